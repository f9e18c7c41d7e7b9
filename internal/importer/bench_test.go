package importer

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// wrap breaks a cell's text into lines of about 60 bytes, as a copy from a
// legal portal does, keeping "- " list items on their own lines.
func wrap(s string) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && len(line)+len(w) > 60 {
				out = append(out, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// plan100 writes a decision as portal text whose appendix has 100 task
// rows in five sections of 20, cycling through the seed's appendix rows.
func plan100(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(seedSchedule)
	if err != nil {
		tb.Fatal(err)
	}
	var shipped yFile
	if err := yamlUnmarshal(b, &shipped); err != nil {
		tb.Fatal(err)
	}
	var rows []yTask
	for _, t := range shipped.Tasks {
		if t.Section != "MT" && t.Section != "TCTH" {
			rows = append(rows, t)
		}
	}
	var sb strings.Builder
	cell := func(s string) { sb.WriteString(wrap(s) + "\n|\n") }
	sb.WriteString("ỦY BAN NHÂN DÂN\nTỈNH KHÁNH HÒA\n-------\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\nSố: 100/QĐ-UBND\n|\nKhánh Hòa, ngày\n15 tháng 12 năm 2025\n|\n")
	sb.WriteString("QUYẾT ĐỊNH\nĐiều 1.\nBan hành kèm theo Quyết định này Kế hoạch cải cách hành chính nhà nước tỉnh Khánh Hòa giai đoạn 2026 - 2030.\n")
	sb.WriteString("PHỤ LỤC\n")
	for _, h := range []string{"STT", "NHIỆM VỤ", "SẢN PHẨM", "THỜI GIAN HOÀN THÀNH", "CƠ QUAN CHỦ TRÌ", "CƠ QUAN PHỐI HỢP"} {
		cell(h)
	}
	for i := range 100 {
		if i%20 == 0 {
			cell([]string{"I", "II", "III", "IV", "V"}[i/20])
			cell("MỤC " + strconv.Itoa(i/20+1))
			for range 4 {
				cell("")
			}
		}
		r := rows[i%len(rows)]
		cell(strconv.Itoa(i%20 + 1))
		cell(r.Task)
		cell(r.Product)
		cell(r.Time)
		cell(strings.ReplaceAll(r.LeadText, "Kế hoạch và Đầu tư", "Tài chính"))
		cell(r.CoordinatingText)
	}
	return []byte(sb.String())
}

func BenchmarkImport100Rows(b *testing.B) {
	_, dir := shippedDirectory(&testing.T{})
	data := plan100(b)
	opt := Options{PlanID: "bench", Today: schedule.NewDate(2026, 1, 1)}
	d, err := Import(data, dir, opt)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(d.Tasks), "tasks")
	b.ResetTimer()
	for range b.N {
		if _, err := Import(data, dir, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPlan100(t *testing.T) {
	_, dir := shippedDirectory(t)
	d, err := Import(plan100(t), dir, Options{PlanID: "bench"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Tasks != 100 || d.Sections != 5 {
		t.Fatalf("benchmark plan has %d tasks in %d sections, want 100 in 5", d.Tasks, d.Sections)
	}
	draft := readYAML(t, d.YAML)
	if draft.Number != "100/QĐ-UBND" || draft.Period.Until != "2030-12-31" || draft.Issuer != "Ủy ban nhân dân tỉnh Khánh Hòa" {
		t.Errorf("header: %q %q %q", draft.Number, draft.Period.Until, draft.Issuer)
	}
	// A Khánh Hòa plan of 2025 resolves to Khánh Hòa's agencies; the
	// districts had ended, so "UBND các huyện, thành phố" is flagged.
	if t0 := draft.Tasks[0]; strings.Join(t0.Lead, ",") != "kh-so-noi-vu" || !hasReview(t0, "coordinating") {
		t.Errorf("first task: lead %v review %q", t0.Lead, t0.Review)
	}
}
