package config

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

const (
	shippedMain = "../../config/nhachan.yaml"
	seedText    = "../../schedules/source/681-QD-UBND-2021-ninh-thuan.txt"
)

func loadShipped(t testing.TB) *Config {
	t.Helper()
	cfg, diags := Load(shippedMain)
	if diags.HasErrors() {
		t.Fatalf("shipped configuration has errors:\n%s", diags.Error())
	}
	return cfg
}

func TestShippedScheduleFollowsTheDecision(t *testing.T) {
	cfg := loadShipped(t)
	var s *model.Schedule
	for _, sc := range cfg.Schedules {
		if sc.ID == "681-QD-UBND-2021" {
			s = sc
		}
	}
	if s == nil {
		t.Fatal("schedule 681-QD-UBND-2021 not loaded")
	}
	if s.From != mustDate("2021-10-27") || s.Until != mustDate("2025-12-31") {
		t.Errorf("plan period %s–%s", s.From, s.Until)
	}
	appendix := regexp.MustCompile(`^(I|II|III|IV|V|VI|VIII)\.\d+(\.[ab])?$`)
	perSection := map[string]int{}
	ids := map[string]*model.Task{}
	for _, tk := range s.Tasks {
		ids[tk.ID] = tk
		if appendix.MatchString(tk.ID) {
			perSection[tk.Section]++
		}
		if tk.LegalBasis == "" {
			t.Errorf("task %s has no legal basis", tk.ID)
		}
	}
	want := map[string]int{"I": 8, "II": 6, "III": 9, "IV": 6, "V": 6, "VI": 5, "VIII": 6}
	total := 0
	for sec, n := range want {
		total += perSection[sec]
		if perSection[sec] != n {
			t.Errorf("section %s has %d appendix rows, want %d", sec, perSection[sec], n)
		}
	}
	if total != 46 {
		t.Errorf("%d appendix rows, want 46", total)
	}
	if perSection["VII"] != 0 {
		t.Error("the decision has no section VII")
	}
	for _, id := range []string{"I.1", "I.3", "I.3.a", "I.3.b", "III.4", "VIII.6", "TCTH.1a.2021-2025", "TCTH.1a.hang-nam", "MT.2.9"} {
		if ids[id] == nil {
			t.Errorf("task %s missing", id)
		}
	}
	// Facts of the decision that the data must carry.
	facts := []struct {
		id   string
		kind schedule.Kind
		lead []string
	}{
		{"I.1", schedule.KindAnnual, []string{"so-noi-vu"}},
		{"I.2", schedule.KindQuarterly, []string{"so-noi-vu"}}, // admin rule from Công văn 581/BNV-CCHC
		{"I.3.b", schedule.KindContinuous, []string{"so-noi-vu"}},
		{"I.5", schedule.KindOneOff, []string{"so-noi-vu"}},
		{"III.1", schedule.KindContinuous, []string{"so-ban-nganh", "ubnd-cap-huyen"}},
		{"III.4", schedule.KindContinuous, []string{"van-phong-ubnd-tinh", "so-thong-tin-truyen-thong"}},
		{"IV.3", schedule.KindContinuous, []string{"so-noi-vu", "so-ke-hoach-dau-tu", "so-tai-chinh", "so-tai-nguyen-moi-truong"}},
		{"VIII.4", schedule.KindOneOff, []string{"so-thong-tin-truyen-thong"}},
		{"TCTH.1a.2021-2025", schedule.KindOneOff, []string{"so-ban-nganh", "ubnd-cap-huyen"}},
		{"TCTH.1a.hang-nam", schedule.KindAnnual, []string{"so-ban-nganh", "ubnd-cap-huyen"}},
		{"MT.2.9", schedule.KindQuota, []string{"so-noi-vu"}},
	}
	for _, f := range facts {
		tk := ids[f.id]
		if tk == nil {
			continue
		}
		if tk.Parsed.Kind != f.kind {
			t.Errorf("task %s: kind %s, want %s (%q)", f.id, tk.Parsed.Kind, f.kind, tk.Expression())
		}
		if strings.Join(tk.Lead, ",") != strings.Join(f.lead, ",") {
			t.Errorf("task %s: lead %v, want %v", f.id, tk.Lead, f.lead)
		}
	}
}

// TestShippedTextIsVerbatim checks every copied field against the decision's
// text (line breaks folded to spaces), so that a typo in the data cannot
// creep in unnoticed.
func TestShippedTextIsVerbatim(t *testing.T) {
	cfg := loadShipped(t)
	raw, err := os.ReadFile(seedText)
	if err != nil {
		t.Fatal(err)
	}
	fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	seed := fold(string(raw))
	appendix := seed[strings.Index(seed, "PHỤ LỤC CÁC NHIỆM VỤ"):]
	for _, s := range cfg.Schedules {
		for _, tk := range s.Tasks {
			if strings.HasPrefix(tk.ID, "TCTH.") || strings.HasPrefix(tk.ID, "MT.") {
				continue // body duties paraphrase a sentence; their time is checked below
			}
			for field, v := range map[string]string{"task": tk.Text, "product": tk.Product, "time": tk.Time, "lead_text": tk.LeadText, "coordinating_text": tk.CoordText} {
				for _, part := range strings.Split(v, "\n") {
					if part = fold(part); part != "" && !strings.Contains(appendix, part) {
						t.Errorf("task %s %s %q is not in the decision's appendix", tk.ID, field, part)
					}
				}
			}
		}
	}
	for _, body := range []string{"trước ngày 10/11/2021", "trước ngày 10/12 của năm trước liền kề năm kế hoạch", "ít nhất 03 cuộc/năm"} {
		if !strings.Contains(seed, body) {
			t.Errorf("%q not in the decision", body)
		}
	}
}

func TestShippedDirectory(t *testing.T) {
	cfg := loadShipped(t)
	dir := cfg.Directory
	if n := len(dir.Members("ubnd-cap-huyen")); n != 7 {
		t.Errorf("ubnd-cap-huyen has %d members, want the 7 districts of 2021", n)
	}
	// The 2025 reorganisation: duties follow the successors.
	route := func(id, on string) string {
		as := dir.Resolve([]string{id}, mustDate(on))
		if len(as) != 1 || as[0].Unassigned() {
			return "?"
		}
		return as[0].Agency.ID
	}
	for _, tc := range []struct{ id, on, want string }{
		{"so-ke-hoach-dau-tu", "2024-12-31", "so-ke-hoach-dau-tu"},
		{"so-ke-hoach-dau-tu", "2025-03-31", "so-tai-chinh"},
		{"so-thong-tin-truyen-thong", "2025-03-31", "so-khoa-hoc-cong-nghe"},
		{"so-noi-vu", "2025-12-31", "kh-so-noi-vu"},
		{"ubnd-bac-ai", "2025-12-31", "?"},
	} {
		if got := route(tc.id, tc.on); got != tc.want {
			t.Errorf("%s on %s answers as %s, want %s", tc.id, tc.on, got, tc.want)
		}
	}
	for _, a := range dir.Agencies() {
		for _, e := range append(append([]string{}, a.Email...), a.Head.Email) {
			if !strings.HasSuffix(e, ".example") {
				t.Errorf("agency %s: %s is not a placeholder on a reserved .example domain", a.ID, e)
			}
		}
	}
}

func mustDate(s string) schedule.Date {
	d, err := schedule.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// BenchmarkPlanShippedYear plans one year of the shipped schedule.
func BenchmarkPlanShippedYear(b *testing.B) {
	cfg := loadShipped(b)
	p := cfg.Planner()
	b.ReportAllocs()
	var n int
	for i := 0; i < b.N; i++ {
		n = len(p.Plan(mustDate("2024-01-01"), mustDate("2024-12-31"), model.Filter{}))
	}
	b.ReportMetric(float64(n), "rows")
}

// TestShippedProductionAndDemo: the production sample carries nothing past
// a plan's end and keeps working hours; the demo (make run) carries the
// plan on, sends at any hour and marks its letters; both name a desk for
// every day and leaders for every day around the 1/7/2025 merger.
func TestShippedProductionAndDemo(t *testing.T) {
	prod := loadShipped(t)
	demo, diags := Load("../../config/demo/nhachan.yaml")
	if diags.HasErrors() {
		t.Fatalf("demo configuration has errors:\n%s", diags.Error())
	}
	for _, s := range prod.Schedules {
		if s.CarryUntil != s.Until {
			t.Errorf("production: schedule %s carried to %s past its end %s", s.ID, s.CarryUntil, s.Until)
		}
	}
	if prod.Daemon.AnyTime || prod.Daemon.Demo || len(prod.Daemon.Policy.ReminderDays) != 5 {
		t.Errorf("production: any_time %v, demo %v, reminder days %v", prod.Daemon.AnyTime, prod.Daemon.Demo, prod.Daemon.Policy.ReminderDays)
	}
	if !demo.Daemon.AnyTime || !demo.Daemon.Demo || demo.Schedules[0].CarryUntil.Year() < 2027 {
		t.Errorf("demo: any_time %v, demo %v, carried to %s", demo.Daemon.AnyTime, demo.Daemon.Demo, demo.Schedules[0].CarryUntil)
	}
	for _, cfg := range []*Config{prod, demo} {
		for _, day := range []string{"2024-12-02", "2025-06-30", "2025-07-01", "2026-12-07"} {
			d := mustDate(day)
			c, ok := duty.ContactOn(cfg.Daemon.Contacts, d)
			if !ok || c.Phone == "" || c.Address == "" {
				t.Errorf("%s: no desk on %s", cfg.File, day)
			}
			province := "ninhthuan"
			if day >= "2025-07-01" {
				province = "khanhhoa"
			}
			if !strings.Contains(c.Addr, province) {
				t.Errorf("%s: the desk on %s is %s", cfg.File, day, c.Addr)
			}
			for _, list := range [][]duty.Dated{cfg.Daemon.FollowUpLeadership, cfg.Daemon.ProvincialLeadership} {
				got := duty.AddrsOn(list, d)
				if len(got) != 1 || !strings.Contains(got[0], province) {
					t.Errorf("%s: leadership on %s: %v", cfg.File, day, got)
				}
			}
		}
	}
}

// TestShippedTitles: every row of the shipped schedule has a short title,
// the "theo nhu cầu" rows are reminded only, and the province's annual
// plan (I.1) is named by the year it plans, like TCTH.1a.hang-nam.
func TestShippedTitles(t *testing.T) {
	cfg := loadShipped(t)
	p := cfg.Planner()
	for _, s := range cfg.Schedules {
		for _, tk := range s.Tasks {
			if tk.Title == "" || len([]rune(tk.Title)) > 80 || strings.Contains(tk.Title, tk.ID) {
				t.Errorf("task %s: title %q", tk.ID, tk.Title)
			}
			soft := strings.Contains(tk.Time, "theo nhu cầu")
			if soft != tk.RemindOnly {
				t.Errorf("task %s (%q): remind only %v", tk.ID, tk.Time, tk.RemindOnly)
			}
		}
	}
	for _, tc := range []struct{ task, period, want string }{
		{"I.1", "2025", "năm 2026"},              // due 31/12/2025
		{"TCTH.1a.hang-nam", "2026", "năm 2026"}, // due 10/12/2025
		{"I.2", "2025-Q4", "quý IV/2025"},        // due 20/12/2025
		{"II.1", "2025", "năm 2025"},
	} {
		if got := p.Task("681-QD-UBND-2021", tc.task).PeriodText(tc.period); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.task, tc.period, got, tc.want)
		}
	}
}
