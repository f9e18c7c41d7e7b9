package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// editedConfig writes the shipped configuration with its schedule edited by
// edit, the database in the folder.
func editedConfig(t *testing.T, dir string, edit func(string) string) string {
	t.Helper()
	abs, _ := filepath.Abs("../../config")
	seed, err := os.ReadFile("../../schedules/681-QD-UBND-2021.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plan.yaml"), []byte(edit(string(seed))), 0o644); err != nil {
		t.Fatal(err)
	}
	main := "timezone: Asia/Ho_Chi_Minh\ndirectory: " + abs + "/agencies.yaml\nholidays: " + abs + "/holidays\n" +
		"database: n.db\nschedules:\n  - file: plan.yaml\n    carry_forward_until: 2027-12-31\n" +
		"policy:\n  reminder_days: [90, 30, 14, 7, 3, 1, 0]\n" +
		"mail:\n  outbox_dir: outbox\n" +
		"recipients:\n  follow_up: so-noi-vu\n  provincial_office: van-phong-ubnd-tinh\n"
	p := filepath.Join(dir, "nhachan.yaml")
	if err := os.WriteFile(p, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func cut(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	j := strings.Index(s[i:], to)
	if i < 0 || j < 0 {
		t.Fatalf("cannot cut %q…%q", from, to)
	}
	return s[:i] + s[i+j:]
}

// TestCheckImpact: one date changed (I.4), one row removed (II.6), one
// added (II.7). check --impact lists exactly those three changes before
// anything is applied; the reload then cancels II.6's pending mail with a
// reason and keeps its duty and the mail already sent.
func TestCheckImpact(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	unchanged := editedConfig(t, dir, func(s string) string { return s })
	at := func(day string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02 15:04", day, defaultLocation())
		return d
	}
	if code, _, errs := runCLIAt(t, at("2026-01-20 18:00"), "simulate", "--config", unchanged, "--db", db,
		"--from", "2026-01-01", "--to", "2026-01-20", "--quiet"); code != 0 {
		t.Fatalf("simulate: %s", errs)
	}
	now := at("2026-01-20 18:00")
	code, out, errs := runCLIAt(t, now, "check", "--config", unchanged, "--db", db, "--impact")
	if code != 0 || !strings.Contains(out, "Không có thay đổi.") || !strings.Contains(out, "thêm 0, dời 0, bỏ 0") {
		t.Fatalf("impact of the unchanged configuration: exit %d\n%s%s", code, out, errs)
	}

	// II.6's duty of 2026 waits with a reminder not yet sent.
	store, err := sqlite.Open(db, sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := store.FindPlanOccurrences(context.Background(), "681-QD-UBND-2021", "II.6", "kh-so-tu-phap", "2026")
	if err != nil || len(rows) != 1 {
		t.Fatalf("II.6 2026: %v %v", rows, err)
	}
	dropped := rows[0].ID
	if _, err := store.Enqueue(context.Background(), []duty.Notification{{Key: "test/II.6/R7", OccurrenceID: dropped,
		Step: "R7", Recipient: "vanthu.stp@khanhhoa.example", Kind: "reminder", NotBefore: now.Add(24 * time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	sentBefore := count(t, db, "SELECT count(*) FROM outbox WHERE state = 'sent' AND occurrence_id = "+itoa64(dropped))
	if sentBefore == 0 {
		t.Fatal("II.6 has no mail sent yet: the test wants history to keep")
	}

	edited := editedConfig(t, dir, func(s string) string {
		s = strings.Replace(s, "task: \"Kế hoạch tuyên truyền công tác Cải cách hành chính hàng năm\"\n    product: \"Kế hoạch của UBND tỉnh\"\n    time: \"Quý I hàng năm\"",
			"task: \"Kế hoạch tuyên truyền công tác Cải cách hành chính hàng năm\"\n    product: \"Kế hoạch của UBND tỉnh\"\n    time: \"Trước 10/03 hàng năm\"", 1)
		s = cut(t, s, "  - id: \"II.6\"", "  # ---------- Mục III")
		return strings.Replace(s, "  # ---------- Mục III", `  - id: "II.7"
    section: "II"
    task: "Kế hoạch phổ biến, giáo dục pháp luật"
    time: "Quý I hàng năm"
    lead: [so-tu-phap]

  # ---------- Mục III`, 1)
	})
	code, out, errs = runCLIAt(t, now, "check", "--config", edited, "--db", db, "--impact")
	if code != 0 {
		t.Fatalf("check --impact: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"Nhiệm vụ I.4:\n    ~ dời hạn: kỳ 2026, Sở Nội vụ tỉnh Khánh Hòa, hạn 31/03/2026 → 10/03/2026\n",
		"Nhiệm vụ II.6:\n    - bỏ: kỳ 2026, Sở Tư pháp tỉnh Khánh Hòa, hạn 31/03/2026 (nhiệm vụ đã bị bỏ khỏi kế hoạch); 1 thư đang chờ gửi sẽ bị hủy\n",
		"Nhiệm vụ II.7:\n    + thêm: kỳ 2026, Sở Tư pháp tỉnh Khánh Hòa, hạn 31/03/2026\n",
		"Tổng cộng: thêm 1, dời 1, bỏ 1 nghĩa vụ (3 nhiệm vụ).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("impact lacks %q", want)
		}
	}
	if n := strings.Count(out, "\n    "); n != 3 {
		t.Errorf("impact lists %d changes, want exactly 3:\n%s", n, out)
	}
	if n := count(t, db, "SELECT count(*) FROM outbox WHERE state = 'pending' AND occurrence_id = "+itoa64(dropped)); n != 1 {
		t.Fatalf("check --impact changed the database: %d pending", n)
	}

	// The reload: the daemon's engine runs the next day on the edited plan.
	if code, _, errs := runCLIAt(t, at("2026-01-21 18:00"), "simulate", "--config", edited, "--db", db,
		"--from", "2026-01-21", "--to", "2026-01-21", "--quiet"); code != 0 {
		t.Fatalf("simulate after the edit: %s", errs)
	}
	if n := count(t, db, "SELECT count(*) FROM outbox WHERE occurrence_id = "+itoa64(dropped)+
		" AND state = 'cancelled' AND last_error LIKE '%không còn trong kế hoạch%'"); n != 1 {
		t.Errorf("II.6's pending mail is not cancelled with a reason (%d rows)", n)
	}
	if n := count(t, db, "SELECT count(*) FROM outbox WHERE state = 'sent' AND occurrence_id = "+itoa64(dropped)); n != sentBefore {
		t.Errorf("II.6's sent mail: %d rows, had %d", n, sentBefore)
	}
	if n := count(t, db, "SELECT count(*) FROM occurrences WHERE id = "+itoa64(dropped)); n != 1 {
		t.Error("II.6's duty was deleted")
	}
	if n := count(t, db, "SELECT count(*) FROM audit WHERE action = 'occurrence.dropped' AND object = 'occurrence/"+itoa64(dropped)+"'"); n != 1 {
		t.Errorf("audit rows for the drop: %d, want 1", n)
	}
	// The board, the report and status no longer count it as owed.
	if n := count(t, db, "SELECT count(*) FROM occurrence_drops WHERE occurrence_id = "+itoa64(dropped)); n != 1 {
		t.Errorf("II.6 is not marked dropped (%d marks)", n)
	}
	if code, out, errs := runCLIAt(t, at("2026-12-01 09:00"), "status", "--config", edited, "--db", db, "--year", "2026"); code != 0 ||
		!strings.Contains(out, "Không còn trong kế hoạch") {
		t.Errorf("status after the drop (exit %d) does not show II.6 as no longer planned:\n%s%s", code, out, errs)
	}
	if n := count(t, db, "SELECT count(*) FROM occurrences WHERE task_id = 'I.4' AND period = '2026' AND effective_due = '2026-03-10'"); n != 1 {
		t.Error("I.4's new date was not stored")
	}
	if n := count(t, db, "SELECT count(*) FROM occurrences WHERE task_id = 'II.7' AND period = '2026'"); n != 1 {
		t.Error("II.7 was not added")
	}
	// Nothing more is sent for it, through its old due date and after.
	if code, _, errs := runCLIAt(t, at("2026-04-15 18:00"), "simulate", "--config", edited, "--db", db,
		"--from", "2026-01-22", "--to", "2026-04-15", "--quiet"); code != 0 {
		t.Fatalf("simulate to April: %s", errs)
	}
	if n := count(t, db, "SELECT count(*) FROM outbox WHERE occurrence_id = "+itoa64(dropped)); n != sentBefore+1 {
		t.Errorf("II.6 has %d outbox rows after its drop, want the %d sent before and the cancelled one", n, sentBefore)
	}
	if n := count(t, db, "SELECT count(*) FROM outbox o JOIN occurrences c ON c.id = o.occurrence_id WHERE c.task_id = 'II.7' AND o.state = 'sent'"); n == 0 {
		t.Error("the added II.7 was never reminded")
	}
	code, out, _ = runCLIAt(t, at("2026-01-21 18:00"), "check", "--config", edited, "--db", db, "--impact")
	if code != 0 || !strings.Contains(out, "Không có thay đổi.") {
		t.Errorf("after the reload nothing is left to change:\n%s", out)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// plan100YAML is a plan of 100 tasks: the shipped appendix's rows, cycled,
// under new ids.
func plan100YAML(tb testing.TB) string {
	tb.Helper()
	seed, err := os.ReadFile("../../schedules/681-QD-UBND-2021.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	s := string(seed)
	head := s[:strings.Index(s, "tasks:")]
	head = strings.Replace(head, "id: 681-QD-UBND-2021", "id: KH-100", 1)
	var tasks []string
	for _, part := range strings.Split(s[strings.Index(s, "tasks:"):], "\n  - id: ")[1:] {
		if strings.Contains(part, "section: \"MT\"") || strings.Contains(part, "section: \"TCTH\"") {
			continue
		}
		tasks = append(tasks, part[strings.Index(part, "\n"):])
	}
	var sb strings.Builder
	sb.WriteString(head + "tasks:\n")
	for i := range 100 {
		sb.WriteString("  - id: \"B." + strconv.Itoa(i+1) + "\"" + strings.TrimRight(tasks[i%len(tasks)], "\n ") + "\n")
	}
	return sb.String()
}

func BenchmarkCheckImpact100(b *testing.B) {
	dir := b.TempDir()
	t := &testing.T{}
	cfg := editedConfig(t, dir, func(string) string { return plan100YAML(b) })
	db := filepath.Join(dir, "n.db")
	now := time.Date(2026, 3, 1, 18, 0, 0, 0, defaultLocation())
	if code, _, errs := runCLIAt(t, now, "simulate", "--config", cfg, "--db", db, "--from", "2026-01-01", "--to", "2026-03-01", "--quiet"); code != 0 {
		b.Fatalf("simulate: %s", errs)
	}
	// The edit to preview: one task dropped.
	editedConfig(t, dir, func(string) string {
		s := plan100YAML(b)
		return cut(t, s, "  - id: \"B.5\"", "  - id: \"B.6\"")
	})
	code, out, errs := runCLIAt(t, now, "check", "--config", cfg, "--db", db, "--impact")
	if code != 0 || !strings.Contains(out, "Tổng cộng") {
		b.Fatalf("check --impact: %d %s %s", code, out, errs)
	}
	b.ResetTimer()
	for range b.N {
		if code, _, _ := runCLIAt(t, now, "check", "--config", cfg, "--db", db, "--impact"); code != 0 {
			b.Fatal("check --impact failed")
		}
	}
}

func TestPlan100Loads(t *testing.T) {
	cfg := editedConfig(t, t.TempDir(), func(string) string { return plan100YAML(t) })
	if code, out, errs := runCLI(t, "check", "--config", cfg); code != 0 || !strings.Contains(out, "100 nhiệm vụ") {
		t.Fatalf("100-task plan: exit %d\n%s%s", code, lastLines(out), errs)
	}
}

func lastLines(s string) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(ls[max(0, len(ls)-3):], "\n")
}
