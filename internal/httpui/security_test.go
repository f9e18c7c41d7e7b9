package httpui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// newTestServer serves the fixture over real HTTP with NewHTTPServer's
// settings and returns its base URL.
func newTestServer(t *testing.T, f *fixture) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(f.h)
	ts.Config = NewHTTPServer("", f.h)
	ts.Start()
	t.Cleanup(ts.Close)
	return ts.URL
}

// targets is every route, its error paths and hostile values: what the
// blanket tests below walk.
func targets(f *fixture) []string {
	out := []string{"/", "/?nam=2025", "/?trang-thai=qua-han", "/?co-quan=evil", "/?nam=abc", "/?co-quan=%3Cscript%3E",
		"/cong-viec/T1", "/cong-viec/T2?nam=2026", "/cong-viec/" + url.PathEscape(evilTask), "/cong-viec/X9",
		"/co-quan/stp", "/co-quan/evil", "/co-quan/khong-co", "/nghia-vu/abc", "/nghia-vu/999999", "/khong-co",
		"/healthz", "/metrics", "/static/style.css"}
	for _, id := range f.ids {
		out = append(out, fmt.Sprintf("/nghia-vu/%d", id))
	}
	return out
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	f := newFixture(t)
	want := map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
	}
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
		for _, target := range targets(f) {
			res := f.do(method, target)
			res.Body.Close()
			for k, v := range want {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s %s (%d): %s = %q, want %q", method, target, res.StatusCode, k, got, v)
				}
			}
			cc := res.Header.Get("Cache-Control")
			if strings.HasPrefix(target, "/static/") && res.StatusCode == http.StatusOK {
				if !strings.Contains(cc, "max-age") {
					t.Errorf("%s %s: Cache-Control = %q, want the stylesheet cached", method, target, cc)
				}
			} else if cc != "no-store" {
				t.Errorf("%s %s (%d): Cache-Control = %q, want no-store", method, target, res.StatusCode, cc)
			}
		}
	}
}

// The stylesheet is the one thing the CSP lets the pages load.
func TestStylesheet(t *testing.T) {
	f := newFixture(t)
	res := f.do(http.MethodGet, "/static/style.css")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("GET /static/style.css = %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	_, body := f.get("/")
	if !strings.Contains(body, `<link rel="stylesheet" href="/static/style.css">`) {
		t.Error("the board does not link the stylesheet")
	}
}

func TestGetAndHeadChangeNothing(t *testing.T) {
	f := newFixture(t)
	f.health.LastTick = time.Time{} // unhealthy answers too
	before := f.snapshot()
	if before == "" {
		t.Fatal("empty snapshot")
	}
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete} {
		for _, target := range targets(f) {
			f.do(method, target).Body.Close()
		}
	}
	if after := f.snapshot(); after != before {
		t.Errorf("requests changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestHostileNamesEscaped(t *testing.T) {
	f := newFixture(t)
	for _, target := range targets(f) {
		if target == "/metrics" || strings.HasPrefix(target, "/static/") {
			continue
		}
		_, body := f.get(target)
		for _, bad := range []string{"<script", "<b>", "alert(\"x\")", "\r\nX-Injected", "'Độc'"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: body holds %q unescaped", target, bad)
			}
		}
	}
	_, board := f.get("/")
	for _, want := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Sở &#39;Độc&#39; &#34;hại&#34;",
		`href="/cong-viec/T%3Cscript%3E%22%27%0D%0AX?nam=2026"`} {
		if !strings.Contains(board, want) {
			t.Errorf("board lacks the escaped form %q", want)
		}
	}
}

// No login yet: no page may show an e-mail address, though the fixture's
// directory, outbox, SMTP replies, errors and submission notes are full of
// them.
func TestNoAddressInAnyPage(t *testing.T) {
	f := newFixture(t)
	for _, target := range targets(f) {
		if strings.HasPrefix(target, "/static/") {
			continue // CSS, not a page: its @-rules are no address
		}
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			_, body := f.request(method, target)
			if i := strings.Index(body, "@"); i >= 0 {
				t.Errorf("%s %s shows %q", method, target, body[max(0, i-40):min(len(body), i+40)])
			}
		}
	}
}

func TestHTTPServerTimeouts(t *testing.T) {
	s := NewHTTPServer("127.0.0.1:0", http.NotFoundHandler())
	if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout <= 0 || s.IdleTimeout <= 0 || s.MaxHeaderBytes <= 0 {
		t.Errorf("server limits not all set: %+v", s)
	}
	if s.Addr != "127.0.0.1:0" {
		t.Errorf("Addr = %q", s.Addr)
	}
}

func TestPanicIsAVietnamese500(t *testing.T) {
	f := newFixture(t)
	f.srv.Runtime = nil // every page now panics on its first use of the runtime
	code, body := f.get("/")
	if code != http.StatusInternalServerError || !strings.Contains(body, "Lỗi hệ thống") {
		t.Errorf("GET / with a broken server = %d\n%s", code, body)
	}
}

func TestStoreErrorIsA500(t *testing.T) {
	f := newFixture(t)
	f.store.Close()
	for _, target := range []string{"/", "/cong-viec/T1", "/co-quan/stp", fmt.Sprintf("/nghia-vu/%d", f.ids["ontime"])} {
		code, body := f.get(target)
		if code != http.StatusInternalServerError || !strings.Contains(body, "Lỗi hệ thống") || strings.Contains(body, "sql") {
			t.Errorf("GET %s on a closed store = %d\n%s", target, code, body)
		}
	}
}
