package httpui

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"
)

func TestHealthz(t *testing.T) {
	for _, tc := range []struct {
		name     string
		health   func(h *Health)
		closeDB  bool
		code     int
		problems []string
		db       string
	}{
		{"ticking", func(h *Health) {}, false, 200, nil, "ok"},
		{"tick 2 intervals late", func(h *Health) { h.LastTick = today.Add(-2 * time.Minute) }, false, 200, nil, "ok"},
		{"tick 4 intervals late", func(h *Health) { h.LastTick = today.Add(-4 * time.Minute) }, false, 503, []string{"tick_stale"}, "ok"},
		{"hourly tick 2 hours late", func(h *Health) { h.TickEvery = time.Hour; h.LastTick = today.Add(-2 * time.Hour) }, false, 200, nil, "ok"},
		{"starting, no tick yet", func(h *Health) { h.LastTick = time.Time{}; h.Started = today.Add(-time.Minute) }, false, 200, nil, "ok"},
		{"never ticked", func(h *Health) { h.LastTick = time.Time{} }, false, 503, []string{"tick_stale"}, "ok"},
		{"nothing known", func(h *Health) { *h = Health{} }, false, 503, []string{"tick_stale"}, "ok"},
		{"two send failures", func(h *Health) { h.SendFailures = 2; h.LastSendError = today }, false, 200, nil, "ok"},
		{"SMTP failing", func(h *Health) { h.SendFailures = 3; h.LastSendError = today }, false, 503, []string{"smtp_failing"}, "ok"},
		{"quick_check failed", func(h *Health) { h.QuickCheck = errors.New("corrupt"); h.QuickCheckAt = today }, false, 503, []string{"db_check_failed"}, "error"},
		{"database gone", func(h *Health) {}, true, 503, []string{"db_unreachable"}, "error"},
		{"everything wrong", func(h *Health) {
			h.LastTick = today.Add(-time.Hour)
			h.SendFailures = 9
			h.QuickCheck = errors.New("x")
		}, true, 503,
			[]string{"tick_stale", "smtp_failing", "db_check_failed", "db_unreachable"}, "error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.health(&f.health)
			if tc.closeDB {
				f.store.Close()
			}
			res := f.do(http.MethodGet, "/healthz")
			defer res.Body.Close()
			if res.StatusCode != tc.code {
				t.Errorf("status = %d, want %d", res.StatusCode, tc.code)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			var got healthReport
			if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			wantStatus := "ok"
			if tc.code != 200 {
				wantStatus = "error"
			}
			if got.Status != wantStatus || got.DB != tc.db || !slices.Equal(got.Problems, tc.problems) {
				t.Errorf("report = %+v, want status %s, db %s, problems %v", got, wantStatus, tc.db, tc.problems)
			}
			if !tc.closeDB && got.OutboxFailed != 2 {
				t.Errorf("outbox_failed = %d, want the fixture's 2", got.OutboxFailed)
			}
			if f.health.LastTick.IsZero() != (got.LastTick == nil) {
				t.Errorf("last_tick = %v for LastTick %v", got.LastTick, f.health.LastTick)
			}
		})
	}
}

// The body always has every key, problems as [] rather than null, so a
// monitoring script need not special-case the healthy answer.
func TestHealthzShape(t *testing.T) {
	f := newFixture(t)
	_, body := f.get("/healthz")
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"status", "last_tick", "outbox_pending", "outbox_failed", "db", "problems"} {
		if _, ok := m[k]; !ok {
			t.Errorf("body lacks %q: %s", k, body)
		}
	}
	if p, ok := m["problems"].([]any); !ok || len(p) != 0 {
		t.Errorf("problems = %#v, want []", m["problems"])
	}
	if m["last_tick"] != "2026-06-15T02:59:30Z" {
		t.Errorf("last_tick = %v, want UTC RFC 3339", m["last_tick"])
	}
}

func TestHealthzWithoutHealthFunc(t *testing.T) {
	f := newFixture(t)
	f.srv.Health = nil
	if code, _ := f.get("/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("GET /healthz with no health facts = %d, want 503", code)
	}
}
