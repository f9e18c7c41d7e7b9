package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const seedDecision = "../../schedules/source/681-QD-UBND-2021-ninh-thuan.txt"

func TestImportCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "draft.yaml")
	code, stdout, stderr := runCLI(t, "import", "--config", shippedConfig, "--plan", "681-QD-UBND-2021", "--out", out, seedDecision)
	if code != 0 || stdout != "" {
		t.Fatalf("import --out: exit %d, stdout %q\n%s", code, stdout, stderr)
	}
	draft, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, out+":") || !strings.Contains(stderr, "cần xem xét (nhiệm vụ I.2)") ||
		!strings.Contains(stderr, "46 nhiệm vụ") {
		t.Errorf("stderr does not list the review items with file:line:\n%s", stderr)
	}
	code, stdout, _ = runCLI(t, "import", "--config", shippedConfig, "--plan", "681-QD-UBND-2021", seedDecision)
	if code != 0 || stdout != string(draft) {
		t.Errorf("import to stdout: exit %d, and the draft differs from --out's", code)
	}
	noTable := filepath.Join(t.TempDir(), "cv.txt")
	if err := os.WriteFile(noTable, []byte("ỦY BAN NHÂN DÂN\nTỈNH KHÁNH HÒA\n|\nSố: 1/UBND-VX\n|\nV/v đôn đốc báo cáo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr = runCLI(t, "import", "--config", shippedConfig, "--plan", "x", noTable); code != 2 || !strings.Contains(stderr, "không tìm thấy bảng phụ lục") {
		t.Errorf("a document without an appendix: exit %d, want 2\n%s", code, stderr)
	}
	for _, args := range [][]string{
		{"import", "--config", shippedConfig, seedDecision},                        // no --plan
		{"import", "--config", shippedConfig, "--plan", "a/b", seedDecision},       // not an id
		{"import", "--config", shippedConfig, "--plan", "x"},                       // no document
		{"import", "--config", shippedConfig, "--plan", "x", "/khong/co/tep.docx"}, // unreadable
	} {
		if code, _, _ := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// twoPlanConfig writes a configuration with the shipped plan and a second
// plan whose task ids are the same (a copy under another id and period).
func twoPlanConfig(t *testing.T, db string) string { return planConfig(t, db, true) }

// planConfig writes the shipped plan, carried forward to 2027 (the shipped
// production sample ends with the plan), and the second plan if asked.
func planConfig(t *testing.T, db string, withSecond bool) string {
	t.Helper()
	dir := t.TempDir()
	abs, _ := filepath.Abs("../../config")
	seed, err := os.ReadFile("../../schedules/681-QD-UBND-2021.yaml")
	if err != nil {
		t.Fatal(err)
	}
	second := strings.Replace(string(seed), "id: 681-QD-UBND-2021", "id: KH-CCHC-2026-2030", 1)
	second = strings.Replace(second, "period: {from: 2021-10-27, until: 2025-12-31}", "period: {from: 2026-01-01, until: 2030-12-31}", 1)
	if err := os.WriteFile(filepath.Join(dir, "kh.yaml"), []byte(second), 0o644); err != nil {
		t.Fatal(err)
	}
	seedAbs, _ := filepath.Abs("../../schedules/681-QD-UBND-2021.yaml")
	main := "timezone: Asia/Ho_Chi_Minh\ndirectory: " + abs + "/agencies.yaml\nholidays: " + abs + "/holidays\n" +
		"database: " + db + "\nschedules:\n  - file: " + seedAbs + "\n    carry_forward_until: 2027-12-31\n" + map[bool]string{true: "  - file: kh.yaml\n"}[withSecond] +
		"recipients:\n  follow_up: so-noi-vu\n  provincial_office: van-phong-ubnd-tinh\n"
	p := filepath.Join(dir, "nhachan.yaml")
	if err := os.WriteFile(p, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func count(t *testing.T, db, q string) int {
	t.Helper()
	h, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var n int
	if err := h.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTwoPlansShareIDs: a database written with the one shipped plan keeps
// every duty, submission and sent mail when a second plan with the same
// task ids is added; --task takes PLAN/ID, and a bare id only when one
// plan has it.
func TestTwoPlansShareIDs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	// The database as the current release writes it: one plan, a month
	// simulated, a submission recorded.
	one := planConfig(t, db, false)
	if code, _, errs := runCLI(t, "simulate", "--config", one, "--db", db, "--from", "2026-01-01", "--to", "2026-03-25", "--quiet"); code != 0 {
		t.Fatalf("simulate: %s", errs)
	}
	if code, _, errs := runCLI(t, "submit", "--config", one, "--db", db, "--task", "TCTH.1a.hang-nam", "--agency", "so-tu-phap", "--period", "2025", "--date", "2024-12-08"); code != 0 {
		t.Fatalf("submit: %s", errs)
	}
	occ := count(t, db, "SELECT count(*) FROM occurrences")
	subs := count(t, db, "SELECT count(*) FROM submissions")
	sent := count(t, db, "SELECT count(*) FROM outbox WHERE state = 'sent'")
	if occ == 0 || subs != 1 || sent == 0 {
		t.Fatalf("seed database: %d duties, %d submissions, %d sent", occ, subs, sent)
	}

	cfg := twoPlanConfig(t, db)
	if code, out, errs := runCLI(t, "check", "--config", cfg); code != 0 {
		t.Fatalf("two plans do not load: %s%s", out, errs)
	}
	code, _, errs := runCLI(t, "plan", "--config", cfg, "--from", "2026-01-01", "--to", "2026-12-31", "--task", "I.3")
	if code != 2 || !strings.Contains(errs, "681-QD-UBND-2021/I.3, KH-CCHC-2026-2030/I.3") {
		t.Errorf("bare I.3 in two plans: exit %d, want 2 naming both\n%s", code, errs)
	}
	for _, ref := range []string{"681-QD-UBND-2021/I.3", "KH-CCHC-2026-2030/I.3"} {
		code, out, errs := runCLI(t, "plan", "--config", cfg, "--from", "2026-01-01", "--to", "2026-12-31", "--task", ref, "--format", "json", "--lead-only")
		var rows []planRow
		if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0].Task != ref || rows[0].Due != "2026-03-31" {
			t.Errorf("plan --task %s: exit %d %s\n%s", ref, code, out, errs)
		}
	}
	// The second plan's duties are recorded apart from the first's.
	if code, _, errs := runCLI(t, "submit", "--config", cfg, "--db", db, "--task", "KH-CCHC-2026-2030/I.3", "--agency", "so-noi-vu", "--period", "2026", "--date", "2026-03-20"); code != 0 {
		t.Fatalf("submit KH/I.3: %s", errs)
	}
	if code, _, _ := runCLI(t, "submit", "--config", cfg, "--db", db, "--task", "I.3", "--agency", "so-noi-vu", "--period", "2026"); code == 0 {
		t.Error("submit with an ambiguous bare id was accepted")
	}
	if code, _, errs := runCLI(t, "simulate", "--config", cfg, "--db", db, "--from", "2026-03-26", "--to", "2026-04-10", "--quiet"); code != 0 {
		t.Fatalf("simulate with two plans on the old database: %s", errs)
	}
	// Letters name the second plan's task with its plan (X-Nhachan-Tasks).
	if !outboxMentions(t, filepath.Join(dir, "simulate-outbox"), "KH-CCHC-2026-2030/") {
		t.Error("no letter names a task of the second plan as KH-CCHC-2026-2030/ID")
	}
	if n := count(t, db, "SELECT count(*) FROM occurrences WHERE schedule_id = '681-QD-UBND-2021'"); n < occ {
		t.Errorf("duties of the first plan: %d, had %d", n, occ)
	}
	if n := count(t, db, "SELECT count(*) FROM submissions"); n != subs+1 {
		t.Errorf("submissions: %d, want %d", n, subs+1)
	}
	if n := count(t, db, "SELECT count(*) FROM outbox WHERE state = 'sent'"); n < sent {
		t.Errorf("sent mail: %d, had %d", n, sent)
	}
	if n := count(t, db, "SELECT count(*) FROM occurrences o JOIN submissions s ON s.occurrence_id = o.id WHERE o.schedule_id = 'KH-CCHC-2026-2030' AND o.task_id = 'I.3'"); n != 1 {
		t.Errorf("the second plan's I.3 submission is stored %d times under its plan", n)
	}
}

// outboxMentions reports whether any .eml in dir names want, in its
// X-Nhachan-Tasks header or its text.
func outboxMentions(t *testing.T, dir, want string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		// Letters name duties by title; the task ids are in a header.
		if strings.Contains(m.Header.Get("X-Nhachan-Tasks"), want) {
			return true
		}
		_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
		mr := multipart.NewReader(m.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			body, _ := io.ReadAll(p) // quoted-printable is decoded by the reader
			if strings.Contains(string(body), want) {
				return true
			}
		}
	}
	return false
}
