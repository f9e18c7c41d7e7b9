package httpui

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape fetches /metrics and parses the text exposition.
func scrape(t *testing.T, f *fixture) map[string]*dto.MetricFamily {
	t.Helper()
	res := f.doFrom(http.MethodGet, "/metrics", "127.0.0.1:5000", nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %d", res.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("exposition does not parse: %v", err)
	}
	return fams
}

// value returns the sample of family name whose labels are exactly want.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	fam, ok := fams[name]
	if !ok {
		t.Fatalf("no family %s", name)
	}
next:
	for _, m := range fam.Metric {
		if len(m.Label) != len(want) {
			continue
		}
		for _, l := range m.Label {
			if want[l.GetName()] != l.GetValue() {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		}
	}
	t.Fatalf("%s has no sample %v", name, want)
	return 0
}

func TestMetrics(t *testing.T) {
	f := newFixture(t)
	m := f.srv.Metrics // made by Handler over the fixture's store

	m.ObserveSent("reminder")
	m.ObserveSent("reminder")
	m.ObserveSent("escalation")
	m.ObserveFailed("escalation", "permanent")
	m.ObserveReload(true)
	m.ObserveReload(false)
	m.ObserveReload(false)
	tick := time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC)
	m.ObserveTick(tick)

	fams := scrape(t, f)
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"nhachan_mail_sent_total", map[string]string{"kind": "reminder"}, 2},
		{"nhachan_mail_sent_total", map[string]string{"kind": "escalation"}, 1},
		{"nhachan_mail_sent_total", map[string]string{"kind": "digest"}, 0},
		{"nhachan_mail_failed_total", map[string]string{"kind": "escalation", "class": "permanent"}, 1},
		{"nhachan_mail_failed_total", map[string]string{"kind": "reminder", "class": "temporary"}, 0},
		{"nhachan_config_reload_total", map[string]string{"result": "ok"}, 1},
		{"nhachan_config_reload_total", map[string]string{"result": "error"}, 2},
		{"nhachan_last_tick_timestamp_seconds", map[string]string{}, float64(tick.Unix())},
		// From the store: the fixture's two failed E1 rows, nothing pending.
		{"nhachan_outbox_depth", map[string]string{"state": "failed"}, 2},
		{"nhachan_outbox_depth", map[string]string{"state": "pending"}, 0},
		{"nhachan_outbox_depth", map[string]string{"state": "claimed"}, 0},
		{"nhachan_occurrences", map[string]string{"state": "submitted"}, 2},
		{"nhachan_occurrences", map[string]string{"state": "waived"}, 1},
		{"nhachan_occurrences", map[string]string{"state": "open"}, 6},
		{"nhachan_occurrences", map[string]string{"state": "history"}, 0},
		{"nhachan_occurrences", map[string]string{"state": "unassigned"}, 0},
	} {
		if got := value(t, fams, tc.name, tc.labels); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

// A store that fails costs its gauges, not the counters.
func TestMetricsStoreDown(t *testing.T) {
	f := newFixture(t)
	f.srv.Metrics.ObserveSent("digest")
	f.store.Close()
	res := f.doFrom(http.MethodGet, "/metrics", "[::1]:5000", nil)
	defer res.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("exposition does not parse: %v", err)
	}
	if got := value(t, fams, "nhachan_mail_sent_total", map[string]string{"kind": "digest"}); got != 1 {
		t.Errorf("digest sent = %v, want 1", got)
	}
	if _, ok := fams["nhachan_occurrences"]; ok {
		t.Error("occurrence gauges reported from a closed store")
	}
}

func TestNilMetricsIgnoresObservations(t *testing.T) {
	var m *Metrics
	m.ObserveSent("reminder")
	m.ObserveFailed("reminder", "temporary")
	m.ObserveReload(true)
	m.ObserveTick(today)
}

// doFrom runs one request from the peer remote with the given headers.
func (f *fixture) doFrom(method, target, remote string, header map[string]string) *http.Response {
	f.t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = remote
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Result()
}

// On the pages' listener /metrics is for this machine only: another peer,
// or a local proxy forwarding someone's request, finds no such page.
func TestMetricsLoopbackOnly(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		remote string
		header map[string]string
		want   int
	}{
		{"127.0.0.1:5000", nil, http.StatusOK},
		{"[::1]:5000", nil, http.StatusOK},
		{"192.0.2.1:1234", nil, http.StatusNotFound},
		{"127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.9"}, http.StatusNotFound},
		{"127.0.0.1:5000", map[string]string{"Forwarded": "for=203.0.113.9"}, http.StatusNotFound},
	} {
		res := f.doFrom(http.MethodGet, "/metrics", tc.remote, tc.header)
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("GET /metrics from %s %v = %d, want %d", tc.remote, tc.header, res.StatusCode, tc.want)
		}
	}
	f2 := newFixture(t)
	f2.srv = &Server{Store: f2.store, Runtime: f2.srv.Runtime, Now: f2.srv.Now, Health: f2.srv.Health, Log: f2.srv.Log, MetricsElsewhere: true}
	f2.h = f2.srv.Handler()
	if res := f2.doFrom(http.MethodGet, "/metrics", "127.0.0.1:5000", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("with its own listener, /metrics on the pages' = %d, want 404", res.StatusCode)
	}
}

// With ReadStoreEvery, scrapes between two ticks read the database once.
func TestMetricsReadStoreOncePerTick(t *testing.T) {
	f := newFixture(t)
	f.srv.Metrics.ReadStoreEvery(time.Minute, func() time.Time { return f.now })
	for range 50 {
		scrape(t, f)
	}
	if n := f.srv.Metrics.store.reads; n != 1 {
		t.Errorf("50 scrapes within a tick read the store %d times, want 1", n)
	}
	f.now = f.now.Add(time.Minute)
	fams := scrape(t, f)
	if n := f.srv.Metrics.store.reads; n != 2 {
		t.Errorf("a scrape a tick later: %d readings, want 2", n)
	}
	if got := value(t, fams, "nhachan_occurrences", map[string]string{"state": "open"}); got != 6 {
		t.Errorf("open = %v from the cached reading, want 6", got)
	}
}
