package httpui

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/ninhthuan/nhachan/internal/report"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

func testSigner(t *testing.T, id string, fill byte) *signlink.Signer {
	t.Helper()
	k, err := signlink.GenerateKey(id, bytes.NewReader(bytes.Repeat([]byte{fill}, signlink.MinSecretLen)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := signlink.NewSigner(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newFeedFixture is the fixture with a signer.
func newFeedFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.rt.Links = testSigner(t, "k1", 1)
	return f
}

func sign(t *testing.T, s *signlink.Signer, c signlink.Claims) string {
	t.Helper()
	tok, err := s.Sign(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// feedPath returns the feed URL of an agency, signed with the fixture's
// signer and valid for two years.
func feedPath(t *testing.T, f *fixture, agency string) string {
	t.Helper()
	return "/lich/" + sign(t, f.rt.Links, signlink.Claims{Agency: agency, Action: signlink.ActionCalendar,
		Expires: f.now.Add(2 * 365 * 24 * time.Hour)}) + ".ics"
}

// getFeed fetches and parses a feed that must be served.
func getFeed(t *testing.T, f *fixture, target string) (*ics.Calendar, string) {
	t.Helper()
	res := f.do(http.MethodGet, target)
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d:\n%s", target, res.StatusCode, b)
	}
	if got := res.Header.Get("Content-Type"); got != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, b)
	}
	return cal, string(b)
}

func TestCalendarFeedEvents(t *testing.T) {
	f := newFeedFixture(t)
	today := d("2026-06-15")
	for _, agency := range []string{"stp", "snv", "evil"} {
		t.Run(agency, func(t *testing.T) {
			cal, _ := getFeed(t, f, feedPath(t, f, agency))
			recs, err := f.store.AgencyRecords(context.Background(), agency, today.AddDays(-365), today.AddDays(730))
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) == 0 {
				t.Fatal("the fixture has no duty for the agency")
			}
			events := cal.Events()
			if len(events) != len(recs) {
				t.Errorf("%d events, want one per duty (%d)", len(events), len(recs))
			}
			uids := map[string]bool{}
			for _, e := range events {
				uids[e.Id()] = true
			}
			for _, r := range recs {
				if !uids[report.EventUID(r.ID)] {
					t.Errorf("no event for occurrence %d (%s, deadline %s)", r.ID, r.TaskID, r.Deadline)
				}
			}
		})
	}
}

func TestCalendarFeedAlarms(t *testing.T) {
	f := newFeedFixture(t)
	cal, _ := getFeed(t, f, feedPath(t, f, "snv"))
	// Sở Nội vụ owes T2 by 30/9 and the extended duty by 31/7: both
	// alarms are ahead. Its late T1 is done: no alarm.
	want := map[int64][]string{
		f.ids["intime"]:   {"-P7D", "-P1D"},
		f.ids["extended"]: {"-P7D", "-P1D"},
		f.ids["late"]:     nil,
	}
	if n := len(cal.Events()); n != len(want) {
		t.Errorf("%d events, want %d", n, len(want))
	}
	for _, e := range cal.Events() {
		var got []string
		for _, a := range e.Alarms() {
			if p := a.GetProperty(ics.ComponentPropertyAction); p == nil || p.Value != string(ics.ActionDisplay) {
				t.Errorf("%s: alarm without ACTION:DISPLAY", e.Id())
			}
			if p := a.GetProperty(ics.ComponentPropertyTrigger); p != nil {
				got = append(got, p.Value)
			}
		}
		found := false
		for id, w := range want {
			if e.Id() == report.EventUID(id) {
				found = true
				if strings.Join(got, ",") != strings.Join(w, ",") {
					t.Errorf("%s: alarms %v, want %v", e.Id(), got, w)
				}
			}
		}
		if !found {
			t.Errorf("unexpected event %s", e.Id())
		}
	}
	// Sở Tư pháp's T2 is due 20/6: seven days before is past, one is ahead.
	cal, _ = getFeed(t, f, feedPath(t, f, "stp"))
	found := false
	for _, e := range cal.Events() {
		if e.Id() == report.EventUID(f.ids["soon"]) {
			found = true
			if n := len(e.Alarms()); n != 1 {
				t.Errorf("T2 of stp: %d alarms, want 1 (the 7-day one is past)", n)
			}
		}
	}
	if !found {
		t.Error("no event for T2 of stp")
	}
}

// The hostile agency's name and task id reach the feed as text: no line of
// the feed starts with what they hold.
func TestCalendarFeedHostileNames(t *testing.T) {
	f := newFeedFixture(t)
	cal, raw := getFeed(t, f, feedPath(t, f, "evil"))
	for _, line := range strings.Split(raw, "\r\n") {
		if strings.HasPrefix(line, "X-Injected") || strings.Contains(line, "\r") {
			t.Errorf("injected line %q", line)
		}
	}
	if n := strings.Count(raw, "\r\nBEGIN:VEVENT\r\n"); n != len(cal.Events()) {
		t.Errorf("%d BEGIN:VEVENT lines, %d events", n, len(cal.Events()))
	}
	var summaries []string
	for _, e := range cal.Events() {
		if p := e.GetProperty(ics.ComponentPropertySummary); p != nil {
			summaries = append(summaries, p.Value)
		}
	}
	if !strings.Contains(strings.Join(summaries, "\n"), "T<script>\"'  X") {
		t.Errorf("the hostile task id is not kept as one line of text: %q", summaries)
	}
}

func TestCalendarFeedRefused(t *testing.T) {
	f := newFeedFixture(t)
	good := strings.TrimSuffix(strings.TrimPrefix(feedPath(t, f, "stp"), "/lich/"), ".ics")
	dot := strings.IndexByte(good, '.')
	flip := func(s string, i int) string {
		c := byte('A')
		if s[i] == 'A' {
			c = 'B'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	other := testSigner(t, "k2", 2)
	exp := f.now.Add(24 * time.Hour)
	for name, token := range map[string]string{
		"payload altered":    flip(good, 3),
		"signature altered":  flip(good, dot+5),
		"truncated":          good[:len(good)-2],
		"no signature":       good[:dot],
		"garbage":            "abc",
		"empty":              "",
		"two dots":           good + ".x",
		"too long":           strings.Repeat("A", signlink.MaxTokenLen+1),
		"another key":        sign(t, other, signlink.Claims{Agency: "stp", Action: signlink.ActionCalendar, Expires: exp}),
		"expired":            sign(t, f.rt.Links, signlink.Claims{Agency: "stp", Action: signlink.ActionCalendar, Expires: f.now}),
		"a submit token":     sign(t, f.rt.Links, signlink.Claims{Occurrence: f.ids["soon"], Agency: "stp", Action: signlink.ActionSubmit, Expires: exp}),
		"an extension token": sign(t, f.rt.Links, signlink.Claims{Occurrence: f.ids["soon"], Agency: "stp", Action: signlink.ActionExtend, Expires: exp}),
	} {
		t.Run(name, func(t *testing.T) {
			for _, m := range []string{http.MethodGet, http.MethodHead} {
				res := f.do(m, "/lich/"+token+".ics")
				b, _ := io.ReadAll(res.Body)
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s = %d, want 403", m, res.StatusCode)
				}
				if got := res.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
					t.Errorf("%s: Content-Type = %q", m, got)
				}
				if m == http.MethodGet && !strings.Contains(string(b), "Liên kết lịch không hợp lệ") {
					t.Errorf("body %q", b)
				}
				if strings.Contains(string(b), "BEGIN:VCALENDAR") {
					t.Error("a refused token got the feed")
				}
			}
		})
	}
}

func TestCalendarFeedNotFound(t *testing.T) {
	f := newFeedFixture(t)
	path := feedPath(t, f, "stp")
	for _, target := range []string{strings.TrimSuffix(path, ".ics"), path + "x", "/lich/", "/lich/a/b.ics"} {
		if code, _ := f.get(target); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, code)
		}
	}
	if code, _ := f.request(http.MethodPost, path); code != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", code)
	}
	// Without a signer (links.key_file unset) there are no feeds.
	f.rt.Links = nil
	if code, _ := f.get(path); code != http.StatusNotFound {
		t.Errorf("without a signer: %d, want 404", code)
	}
}

// A feed is read only: fetching it changes nothing in the database.
func TestCalendarFeedChangesNothing(t *testing.T) {
	f := newFeedFixture(t)
	before := f.snapshot()
	getFeed(t, f, feedPath(t, f, "evil"))
	f.do(http.MethodGet, "/lich/abc.ics")
	if f.snapshot() != before {
		t.Error("the feed changed the database")
	}
}
