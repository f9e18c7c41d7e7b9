package httpui

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/duty"
)

func TestAdminLogin(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	res, body := b.get(adminLogin)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Đăng nhập quản trị") || !strings.Contains(body, `name="mat-khau"`) {
		t.Fatalf("GET login = %d\n%s", res.StatusCode, body)
	}
	res, _ = b.tryLogin("an", adminPass)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != adminRoot {
		t.Fatalf("login = %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, x := range res.Cookies() {
		if x.Name == cookiePlain {
			c = x
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.MaxAge != 8*3600 || c.Secure {
		t.Fatalf("session cookie over HTTP: %+v", c)
	}
	if _, ok := b.cookies[loginCookiePlain]; ok {
		t.Error("the login form's cookie outlives the login")
	}
	res, body = b.get(adminRoot)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Nguyễn Văn An") || !strings.Contains(body, "Đăng xuất") {
		t.Fatalf("GET /quan-tri/ after login = %d\n%s", res.StatusCode, body)
	}
	// A logged-in admin asking for the login form goes to the overview.
	if res, _ := b.get(adminLogin); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != adminRoot {
		t.Errorf("GET login when logged in = %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestAdminLoginRefused(t *testing.T) {
	f := newAdminFixture(t)
	var bodies []string
	for _, tc := range []struct{ name, user, pass string }{
		{"bad password", "an", "sai"},
		{"unknown user", "khong-co", adminPass},
		{"empty", "", ""},
		{"user with different case", "AN", adminPass},
		{"password too long", "an", adminPass + strings.Repeat("x", 80)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newAdminClient(f)
			b.remote = "198.51.100." + fmt.Sprint(len(bodies)+1) + ":1" // no rate limit here
			res, body := b.tryLogin(tc.user, tc.pass)
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Tên đăng nhập hoặc mật khẩu không đúng.") {
				t.Fatalf("= %d\n%s", res.StatusCode, body)
			}
			if b.sessionCookie() != "" {
				t.Fatal("a refused login set a session cookie")
			}
			if res, _ := b.get(adminRoot); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("GET /quan-tri/ after a refused login = %d", res.StatusCode)
			}
			bodies = append(bodies, body)
		})
	}
	// An unknown user and a wrong password read the same.
	if len(bodies) >= 2 && stripTokens(bodies[0]) != stripTokens(bodies[1]) {
		t.Errorf("unknown user and wrong password answer differently:\n%s\n---\n%s", bodies[0], bodies[1])
	}
}

// stripTokens removes the form tokens, which differ between browsers.
func stripTokens(s string) string { return csrfRE.ReplaceAllString(s, "") }

// The login form is bound to its cookie: without the cookie, without the
// token, or with another browser's token, nothing is checked.
func TestAdminLoginFormToken(t *testing.T) {
	f := newAdminFixture(t)
	other := newAdminClient(f)
	_, page := other.get(adminLogin)
	otherToken := formToken(t, page)
	for _, tc := range []struct {
		name   string
		token  string
		cookie bool
	}{{"no token", "", true}, {"another browser's token", otherToken, true}, {"no cookie", "", false}, {"garbage", "abc", true}} {
		t.Run(tc.name, func(t *testing.T) {
			b := newAdminClient(f)
			b.get(adminLogin)
			if !tc.cookie {
				delete(b.cookies, loginCookiePlain)
			}
			res, body := b.post(adminLogin, url.Values{"csrf": {tc.token}, "ten-dang-nhap": {"an"}, "mat-khau": {adminPass}})
			if res.StatusCode != http.StatusForbidden || b.sessionCookie() != "" {
				t.Fatalf("= %d\n%s", res.StatusCode, body)
			}
		})
	}
	// Without a cookie, the other browser's token works only in it.
	if res, _ := other.post(adminLogin, url.Values{"csrf": {otherToken}, "ten-dang-nhap": {"an"}, "mat-khau": {adminPass}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the token's own browser: %d", res.StatusCode)
	}
}

func TestAdminLoginRateLimit(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	for i := range loginBurst {
		if res, _ := b.tryLogin("an", "sai"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d", i+1, res.StatusCode)
		}
	}
	res, body := b.tryLogin("an", adminPass)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "quá nhiều lần") {
		t.Fatalf("attempt after the burst = %d, Retry-After %q\n%s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if b.sessionCookie() != "" {
		t.Fatal("a rate-limited login set a session")
	}
	// Another client is not held back.
	c := newAdminClient(f)
	c.remote = "203.0.113.9:5555"
	if res, _ := c.tryLogin("an", adminPass); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another client = %d", res.StatusCode)
	}
	// A minute later the first client may try again.
	f.now = f.now.Add(time.Minute)
	if res, _ := b.tryLogin("an", adminPass); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after a minute = %d", res.StatusCode)
	}
}

// adminGets is every admin page.
func adminGets(f *fixture) []string {
	out := []string{"/quan-tri/", "/quan-tri/nhat-ky", "/quan-tri/nghia-vu?so=1", "/quan-tri/nghia-vu/999999"}
	for _, id := range f.ids {
		out = append(out, fmt.Sprintf("/quan-tri/nghia-vu/%d", id), fmt.Sprintf("/quan-tri/nghia-vu/%d/mien", id))
	}
	return out
}

func TestAdminPagesNeedSession(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		for _, target := range append(adminGets(f), "/quan-tri") {
			res, body := b.do(method, target, nil)
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/quan-tri/") {
				t.Errorf("%s %s = %d %q", method, target, res.StatusCode, loc)
			}
			if target != "/quan-tri" && !strings.HasPrefix(loc, adminLogin) {
				t.Errorf("%s %s redirects to %q", method, target, loc)
			}
			if strings.Contains(body, "@") {
				t.Errorf("%s %s without a session shows an address", method, target)
			}
		}
	}
	// The login returns to the page asked for, and only to an admin page.
	res, _ := b.get(fmt.Sprintf("/quan-tri/nghia-vu/%d", f.ids["overdue"]))
	want := fmt.Sprintf("%s?tiep=/quan-tri/nghia-vu/%d", adminLogin, f.ids["overdue"])
	if loc := res.Header.Get("Location"); loc != want {
		t.Fatalf("Location = %q, want %q", loc, want)
	}
	_, page := b.get(want)
	res, _ = b.post(adminLogin, url.Values{"csrf": {formToken(t, page)}, "ten-dang-nhap": {"an"}, "mat-khau": {adminPass},
		"tiep": {fmt.Sprintf("/quan-tri/nghia-vu/%d", f.ids["overdue"])}})
	if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/quan-tri/nghia-vu/%d", f.ids["overdue"]) {
		t.Errorf("after login: Location %q", loc)
	}
	for i, next := range []string{"//evil.example/", "https://evil.example/", "/quan-tri/../", "/", "/quan-tri/x?y=1", "/quan-tri/dang-nhap"} {
		c := newAdminClient(f)
		c.remote = fmt.Sprintf("198.51.100.%d:1", i+1)
		_, page := c.get(adminLogin)
		res, _ := c.post(adminLogin, url.Values{"csrf": {formToken(t, page)}, "ten-dang-nhap": {"an"}, "mat-khau": {adminPass}, "tiep": {next}})
		if loc := res.Header.Get("Location"); loc != adminRoot {
			t.Errorf("tiep=%q: Location %q", next, loc)
		}
	}
}

// Every admin page sends the site's security headers, and is not cached.
func TestAdminSecurityHeaders(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	b.login("an")
	for _, target := range append(adminGets(f), adminLogin) {
		res, _ := b.get(target)
		if res.Header.Get("Content-Security-Policy") != csp || res.Header.Get("X-Frame-Options") != "DENY" ||
			res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: headers %v", target, res.Header)
		}
	}
}

func TestAdminHTTPSCookie(t *testing.T) {
	f := newAdminFixture(t)
	for _, tc := range []struct {
		name   string
		https  bool
		remote string
		proto  string
		secure bool
	}{
		{"TLS", true, "192.0.2.1:1", "", true},
		{"proxy on loopback", false, "127.0.0.1:4000", "https", true},
		{"IPv6 loopback proxy", false, "[::1]:4000", "https", true},
		{"forged header", false, "192.0.2.1:1", "https", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newAdminClient(f)
			b.https, b.remote = tc.https, tc.remote
			if tc.proto != "" {
				b.header.Set("X-Forwarded-Proto", tc.proto)
			}
			res, _ := b.tryLogin("an", adminPass)
			want := cookiePlain
			if tc.secure {
				want = cookieSecure
			}
			var c *http.Cookie
			for _, x := range res.Cookies() {
				if x.Name == cookieSecure || x.Name == cookiePlain {
					c = x
				}
			}
			if c == nil || c.Name != want || c.Secure != tc.secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Domain != "" {
				t.Fatalf("cookie %+v, want %s secure=%v", c, want, tc.secure)
			}
			if res, _ := b.get(adminRoot); res.StatusCode != http.StatusOK {
				t.Errorf("GET with the cookie = %d", res.StatusCode)
			}
		})
	}
	// Each scheme reads only its own cookie: a plain-HTTP cookie is no
	// session over HTTPS.
	b := newAdminClient(f)
	b.login("an")
	b.https = true
	if res, _ := b.get(adminRoot); res.StatusCode != http.StatusSeeOther {
		t.Errorf("HTTP cookie over HTTPS = %d", res.StatusCode)
	}
}

func TestAdminSessionTamperedOrExpired(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	b.login("an")
	good := b.sessionCookie()
	keys := deriveKeys(testSessionKey)
	valid, err := keys.parse(good, f.now, f.bind)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	// flip changes a character in the middle, where every bit counts.
	flip := func(s string) string {
		i := len(s) / 2
		c := byte('A')
		if s[i] == 'A' {
			c = 'B'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	join := func(p ...string) string { return strings.Join(p, ".") }
	resign := func(s adminSession) string { h, _ := f.bind(s.User); return keys.sign(s, h) }
	otherKeys := deriveKeys([]byte("another key, another server, 32 bytes long"))
	resignWith := func(k sessionKeys, s adminSession) string { h, _ := f.bind(s.User); return k.sign(s, h) }
	cases := map[string]string{
		"MAC flipped":              join(parts[0], parts[1], parts[2], flip(parts[3])),
		"user changed":             join(parts[0], parts[1], tokenB64.EncodeToString([]byte("binh")), parts[3]),
		"expiry moved":             join(parts[0], fmt.Sprint(valid.Expires.Unix()+3600), parts[2], parts[3]),
		"session id changed":       join(flip(parts[0]), parts[1], parts[2], parts[3]),
		"MAC missing":              join(parts[0], parts[1], parts[2]),
		"empty":                    "",
		"garbage":                  "khong-phai-phien!",
		"too long":                 good + strings.Repeat("A", 600),
		"other key":                resignWith(otherKeys, valid),
		"CSRF key":                 join(parts[0], parts[1], parts[2], tokenB64.EncodeToString(sessionMAC(keys.csrf, join(parts[0], parts[1], parts[2])))),
		"unknown user, signed":     resign(adminSession{ID: valid.ID, User: "ghost", Expires: valid.Expires}),
		"30-day expiry, signed":    resign(adminSession{ID: valid.ID, User: "an", Expires: f.now.Add(30 * 24 * time.Hour).Truncate(time.Second)}),
		"expired, signed":          resign(adminSession{ID: valid.ID, User: "an", Expires: f.now.Add(-time.Second).Truncate(time.Second)}),
		"id not hex, signed":       resign(adminSession{ID: strings.Repeat("z", 32), User: "an", Expires: valid.Expires}),
		"id short, signed":         resign(adminSession{ID: "abc", User: "an", Expires: valid.Expires}),
		"user empty, signed":       resign(adminSession{ID: valid.ID, User: "", Expires: valid.Expires}),
		"MAC of the padded base64": join(parts[0], parts[1], parts[2], parts[3]+"="),
		"MAC spelled otherwise":    join(parts[0], parts[1], parts[2], respell(parts[3])),
	}
	before := f.snapshot()
	overdue := fmt.Sprintf("/quan-tri/nghia-vu/%d/mien", f.ids["overdue"])
	csrf := keys.csrfToken(valid.ID)
	for name, v := range cases {
		c := newAdminClient(f)
		c.cookies[cookiePlain] = &http.Cookie{Name: cookiePlain, Value: v}
		if res, _ := c.get(adminRoot); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: GET = %d", name, res.StatusCode)
		}
		if res, _ := c.post(overdue, url.Values{"csrf": {csrf}, "ly-do": {"thử"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: POST = %d", name, res.StatusCode)
		}
	}
	if res, _ := b.get(adminRoot); res.StatusCode != http.StatusOK {
		t.Fatalf("the good cookie no longer works: %d", res.StatusCode)
	}
	// Eight hours later the good cookie has expired too.
	f.now = f.now.Add(sessionTTL)
	if res, _ := b.get(adminRoot); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after 8 hours = %d", res.StatusCode)
	}
	if res, _ := b.post(overdue, url.Values{"csrf": {csrf}, "ly-do": {"thử"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST after 8 hours = %d", res.StatusCode)
	}
	if after := f.snapshot(); after != before {
		t.Errorf("refused sessions changed the database:\n%s\n---\n%s", before, after)
	}
}

// respell changes the spare low bits of the last character of an
// unpadded base64 text of 32 bytes: a lenient decoder reads the same bytes.
func respell(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[i^1])
}

func TestAdminLogout(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	csrf := b.login("an")
	stolen := b.sessionCookie()
	if res, _ := b.post("/quan-tri/dang-xuat", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("logout without the token = %d", res.StatusCode)
	}
	res, _ := b.post("/quan-tri/dang-xuat", url.Values{"csrf": {csrf}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != adminLogin || b.sessionCookie() != "" {
		t.Fatalf("logout = %d %q, cookie %q", res.StatusCode, res.Header.Get("Location"), b.sessionCookie())
	}
	// A copy of the cookie taken before the logout is worth nothing.
	c := newAdminClient(f)
	c.cookies[cookiePlain] = &http.Cookie{Name: cookiePlain, Value: stolen}
	if res, _ := c.get(adminRoot); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the cookie after logout = %d", res.StatusCode)
	}
	// Logging in again starts a new session.
	b.login("an")
	if b.sessionCookie() == stolen {
		t.Error("a new login reused the session")
	}

	// The daemon restarts: a new server with the same session key (derived
	// from the links key) and the same database. The live session goes on;
	// the logged-out one stays refused.
	old := f.srv
	f.srv = &Server{Store: old.Store, Runtime: old.Runtime, Now: old.Now, Health: old.Health, Log: zerolog.Nop()}
	f.h = f.srv.Handler()
	if res, _ := b.get(adminRoot); res.StatusCode != http.StatusOK {
		t.Errorf("the live session after a restart = %d, want 200", res.StatusCode)
	}
	if res, _ := c.get(adminRoot); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the logged-out cookie after a restart = %d, want a redirect to the login", res.StatusCode)
	}
}

// adminPost is one valid admin POST: what the CSRF tests refuse and the
// action tests run.
type adminPost struct {
	name   string
	target string
	form   url.Values
}

func validPosts(f *fixture) []adminPost {
	occ := func(name, slug string) string { return fmt.Sprintf("/quan-tri/nghia-vu/%d/%s", f.ids[name], slug) }
	return []adminPost{
		{"record", occ("overdue", "nop"), url.Values{"che-do": {"ghi"}, "so-ky-hieu": {"45/BC-SĐH"}, "ngay-nop": {"2026-06-10"}, "ghi-chu": {"gửi qua văn thư"}}},
		{"correct", occ("ontime", "nop"), url.Values{"che-do": {"sua"}, "so-ky-hieu": {"12/BC-STP (sửa)"}, "ngay-nop": {"17/03/2026"}, "ghi-chu": {""}}},
		{"waive", occ("intime", "mien"), url.Values{"ly-do": {"Không phát sinh nội dung"}}},
		{"extend", occ("soon", "gia-han"), url.Values{"han-moi": {"2026-07-15"}, "ly-do": {"Chờ số liệu của Bộ"}}},
		{"reopen", occ("waived", "mo-lai"), url.Values{"ly-do": {"Miễn nhầm"}}},
		{"logout", "/quan-tri/dang-xuat", url.Values{}},
	}
}

func withField(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for key, vs := range v {
		out[key] = append([]string(nil), vs...)
	}
	out.Set(k, val)
	return out
}

func TestAdminPostsNeedCSRF(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	csrf := b.login("an")
	other := newAdminClient(f)
	otherCSRF := other.login("binh")
	_, loginPage := newAdminClient(f).get(adminLogin)
	loginToken := formToken(t, loginPage)
	anon := newAdminClient(f)
	before := f.snapshot()
	for _, p := range validPosts(f) {
		for _, tc := range []struct {
			name   string
			b      *adminClient
			form   url.Values
			header map[string]string
		}{
			{"no session", anon, withField(p.form, "csrf", csrf), nil},
			{"no token", b, p.form, nil},
			{"empty token", b, withField(p.form, "csrf", ""), nil},
			{"another session's token", b, withField(p.form, "csrf", otherCSRF), nil},
			{"the login form's token", b, withField(p.form, "csrf", loginToken), nil},
			{"token truncated", b, withField(p.form, "csrf", csrf[:len(csrf)-1]), nil},
			{"token with a suffix", b, withField(p.form, "csrf", csrf+"A"), nil},
			{"cross-site fetch", b, withField(p.form, "csrf", csrf), map[string]string{"Sec-Fetch-Site": "cross-site"}},
			{"same-site fetch", b, withField(p.form, "csrf", csrf), map[string]string{"Sec-Fetch-Site": "same-site"}},
			{"foreign origin", b, withField(p.form, "csrf", csrf), map[string]string{"Origin": "https://evil.example"}},
		} {
			tc.b.header = http.Header{}
			for k, v := range tc.header {
				tc.b.header.Set(k, v)
			}
			res, body := tc.b.post(p.target, tc.form)
			tc.b.header = http.Header{}
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s, %s: %d\n%s", p.name, tc.name, res.StatusCode, body)
			}
		}
		// The token in the query string is not the form's.
		res, _ := b.post(p.target+"?csrf="+url.QueryEscape(csrf), p.form)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s, token in the query: %d", p.name, res.StatusCode)
		}
	}
	// The login form, cross-site, is refused before any password is read.
	c := newAdminClient(f)
	_, page := c.get(adminLogin)
	c.header.Set("Sec-Fetch-Site", "cross-site")
	if res, _ := c.post(adminLogin, url.Values{"csrf": {formToken(t, page)}, "ten-dang-nhap": {"an"}, "mat-khau": {adminPass}}); res.StatusCode != http.StatusForbidden || c.sessionCookie() != "" {
		t.Errorf("cross-site login = %d", res.StatusCode)
	}
	if after := f.snapshot(); after != before {
		t.Errorf("refused POSTs changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if res, _ := b.get(adminRoot); res.StatusCode != http.StatusOK {
		t.Error("a refused logout logged out")
	}
}

// auditOf returns the newest audit row of an occurrence with its detail.
func auditOf(t *testing.T, f *fixture, id int64) (duty.AuditEntry, map[string]any) {
	t.Helper()
	log, err := f.store.AuditLog(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.OccurrenceID() == id {
			var d map[string]any
			if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
				t.Fatal(err)
			}
			return e, d
		}
	}
	t.Fatalf("no audit row for %d", id)
	return duty.AuditEntry{}, nil
}

func TestAdminActions(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	csrf := b.login("an")
	ctx := context.Background()
	for _, p := range validPosts(f) {
		if p.name == "logout" {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			f.now = f.now.Add(time.Minute)
			res, body := b.post(p.target, withField(p.form, "csrf", csrf))
			id := f.ids[map[string]string{"record": "overdue", "correct": "ontime", "waive": "intime", "extend": "soon", "reopen": "waived"}[p.name]]
			slug := p.target[strings.LastIndexByte(p.target, '/')+1:]
			want := fmt.Sprintf("/quan-tri/nghia-vu/%d?xong=%s", id, slug)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
				t.Fatalf("POST = %d %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
			}
			_, page := b.get(want)
			if !strings.Contains(page, doneMessage(slug)) {
				t.Errorf("the occurrence page lacks %q", doneMessage(slug))
			}
			e, det := auditOf(t, f, id)
			if e.Actor != "web:an" || !e.At.Equal(f.now.Truncate(time.Second)) {
				t.Errorf("audit row %+v", e)
			}
			tl, err := f.store.Timeline(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			o := tl.Occurrence
			switch p.name {
			case "record":
				s := tl.Submission
				if o.State != duty.StateSubmitted || s == nil || s.Ref != "45/BC-SĐH" || s.SubmittedOn != d("2026-06-10") ||
					s.Note != "gửi qua văn thư" || s.RecordedBy != "web:an" || s.Via != duty.ViaWeb || e.Action != "occurrence.submitted" {
					t.Errorf("after record: %s %+v %+v", o.State, s, e)
				}
			case "correct":
				s := tl.Submission
				before, _ := det["before"].(map[string]any)
				if s == nil || s.Ref != "12/BC-STP (sửa)" || s.SubmittedOn != d("2026-03-17") || s.Note != "" ||
					e.Action != "occurrence.submission_corrected" || before["ref"] != "12/BC-STP" {
					t.Errorf("after correct: %+v %+v", s, e)
				}
			case "waive":
				if o.State != duty.StateWaived || tl.Waiver == nil || tl.Waiver.Actor != "web:an" || e.Action != "occurrence.waived" {
					t.Errorf("after waive: %s %+v", o.State, tl.Waiver)
				}
			case "extend":
				if o.ExtendedDue != d("2026-07-15") || len(tl.Extensions) != 1 || tl.Extensions[0].Actor != "web:an" || e.Action != "occurrence.extended" {
					t.Errorf("after extend: %+v %+v", o, tl.Extensions)
				}
			case "reopen":
				if o.State != duty.StateOpen || tl.Waiver != nil || e.Action != "occurrence.reopened" || det["reason"] != "Miễn nhầm" {
					t.Errorf("after reopen: %s %+v %v", o.State, tl.Waiver, det)
				}
			}
		})
	}
	// The audit log page lists them all, newest first, with the actor.
	_, body := b.get("/quan-tri/nhat-ky")
	for _, want := range []string{"Mở lại nghĩa vụ", "Gia hạn", "Miễn thực hiện", "Sửa thông tin đã nộp", "Ghi nhận đã nộp", "web:an",
		"Lý do: Miễn nhầm", "Trước khi sửa: {&#34;note&#34;:&#34;gửi bởi chuyenvien@stp.example&#34;"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	if i, j := strings.Index(body, "Mở lại nghĩa vụ"), strings.Index(body, "Sửa thông tin đã nộp"); i < 0 || j < 0 || i > j {
		t.Error("audit log is not newest first")
	}
}

func TestAdminBadInput(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	csrf := b.login("an")
	occ := func(name, slug string) string { return fmt.Sprintf("/quan-tri/nghia-vu/%d/%s", f.ids[name], slug) }
	record := url.Values{"csrf": {csrf}, "che-do": {"ghi"}, "so-ky-hieu": {"1/BC"}, "ngay-nop": {"2026-06-10"}}
	extend := url.Values{"csrf": {csrf}, "han-moi": {"2026-07-15"}, "ly-do": {"x"}}
	reason := url.Values{"csrf": {csrf}, "ly-do": {"x"}}
	dup := withField(record, "so-ky-hieu", "a")
	dup.Add("so-ky-hieu", "b")
	before := f.snapshot()
	for _, tc := range []struct {
		name, target string
		form         url.Values
		code         int
	}{
		{"no mode", occ("overdue", "nop"), withField(record, "che-do", ""), 400},
		{"unknown mode", occ("overdue", "nop"), withField(record, "che-do", "xoa"), 400},
		{"no date", occ("overdue", "nop"), withField(record, "ngay-nop", ""), 400},
		{"date in the future", occ("overdue", "nop"), withField(record, "ngay-nop", "2026-06-16"), 400},
		{"date long ago", occ("overdue", "nop"), withField(record, "ngay-nop", "1999-12-31"), 400},
		{"date that does not exist", occ("overdue", "nop"), withField(record, "ngay-nop", "31/02/2026"), 400},
		{"ISO date that does not exist", occ("overdue", "nop"), withField(record, "ngay-nop", "2026-02-30"), 400},
		{"date in words", occ("overdue", "nop"), withField(record, "ngay-nop", "hôm qua"), 400},
		{"ref with a line break", occ("overdue", "nop"), withField(record, "so-ky-hieu", "1/BC\r\nX-Injected: 1"), 400},
		{"ref with a NUL", occ("overdue", "nop"), withField(record, "so-ky-hieu", "1/BC\x00"), 400},
		{"ref with a direction override", occ("overdue", "nop"), withField(record, "so-ky-hieu", "1/BC\u202egnp.exe"), 400},
		{"ref not UTF-8", occ("overdue", "nop"), withField(record, "so-ky-hieu", "\xff\xfe"), 400},
		{"ref too long", occ("overdue", "nop"), withField(record, "so-ky-hieu", strings.Repeat("số", 51)), 400},
		{"note too long", occ("overdue", "nop"), withField(record, "ghi-chu", strings.Repeat("a", 2001)), 400},
		{"field twice", occ("overdue", "nop"), dup, 400},
		{"correct without a submission", occ("overdue", "nop"), withField(record, "che-do", "sua"), 409},
		{"record over a submission", occ("ontime", "nop"), record, 409},
		{"waive without a reason", occ("intime", "mien"), withField(reason, "ly-do", "  \n "), 400},
		{"waive a submitted duty", occ("ontime", "mien"), reason, 409},
		{"waive a waived duty", occ("waived", "mien"), reason, 409},
		{"extend to the same day", occ("soon", "gia-han"), withField(extend, "han-moi", "2026-06-20"), 400},
		{"extend to an earlier day", occ("soon", "gia-han"), withField(extend, "han-moi", "2026-06-01"), 400},
		{"extend by a typo", occ("soon", "gia-han"), withField(extend, "han-moi", "2062-06-20"), 400},
		{"extend without a reason", occ("soon", "gia-han"), withField(extend, "ly-do", ""), 400},
		{"extend without a date", occ("soon", "gia-han"), withField(extend, "han-moi", ""), 400},
		{"extend a waived duty", occ("waived", "gia-han"), extend, 409},
		{"reopen an open duty", occ("overdue", "mo-lai"), reason, 409},
		{"reopen without a reason", occ("waived", "mo-lai"), withField(reason, "ly-do", ""), 400},
		{"unknown occurrence", "/quan-tri/nghia-vu/999999/mien", reason, 404},
		{"id with a leading zero", fmt.Sprintf("/quan-tri/nghia-vu/0%d/mien", f.ids["intime"]), reason, 404},
		{"negative id", "/quan-tri/nghia-vu/-1/mien", reason, 404},
		{"id not a number", "/quan-tri/nghia-vu/abc/mien", reason, 404},
	} {
		res, body := b.post(tc.target, tc.form)
		if res.StatusCode != tc.code {
			t.Errorf("%s: %d, want %d\n%s", tc.name, res.StatusCode, tc.code, body)
			continue
		}
		if !strings.Contains(body, "Chưa có gì được thay đổi") && tc.code != 404 {
			t.Errorf("%s: the page does not say that nothing changed\n%s", tc.name, body)
		}
		if !strings.Contains(body, `lang="vi"`) || strings.Contains(body, "X-Injected: 1") {
			t.Errorf("%s: page\n%s", tc.name, body)
		}
	}
	if after := f.snapshot(); after != before {
		t.Errorf("bad input changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// Unparseable number on the overview's form.
	if res, _ := b.get("/quan-tri/nghia-vu?so=abc"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("GET /quan-tri/nghia-vu?so=abc = %d", res.StatusCode)
	}
	if res, _ := b.get("/quan-tri/nghia-vu?so=7"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/quan-tri/nghia-vu/7" {
		t.Errorf("GET /quan-tri/nghia-vu?so=7 = %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestAdminGetAndHeadChangeNothing(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	b.login("an")
	before := f.snapshot()
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		for _, target := range append(adminGets(f), adminLogin, "/quan-tri/nghia-vu/1/nop", "/quan-tri/nghia-vu/1/mo-lai",
			"/quan-tri/nghia-vu/1/gia-han", "/quan-tri/dang-xuat") {
			b.do(method, target, nil)
		}
	}
	if after := f.snapshot(); after != before {
		t.Errorf("GET/HEAD changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if res, _ := b.get(adminRoot); res.StatusCode != http.StatusOK {
		t.Errorf("a GET of the logout address logged out: %d", res.StatusCode)
	}
}

// Addresses: behind the login, the occurrence page shows who was written
// to and what the mail server said; the public pages still show none,
// even of what an admin typed.
func TestAdminAddressesOnlyBehindLogin(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	csrf := b.login("an")
	_, body := b.get(fmt.Sprintf("/quan-tri/nghia-vu/%d", f.ids["overdue"]))
	for _, want := range []string{"evil@t.example", "head-evil@t.example", "Lãnh đạo Sở Nội vụ &lt;LanhDao-SNV@t.example&gt;",
		"550 5.1.1 &lt;head-evil@t.example&gt;: Recipient address rejected", "someone@else.example", "Thư điện tử của cơ quan"} {
		if !strings.Contains(body, want) {
			t.Errorf("admin occurrence page lacks %q", want)
		}
	}
	if res, _ := b.post(fmt.Sprintf("/quan-tri/nghia-vu/%d/nop", f.ids["overdue"]), url.Values{"csrf": {csrf}, "che-do": {"ghi"},
		"so-ky-hieu": {"9/BC"}, "ngay-nop": {"2026-06-12"}, "ghi-chu": {"theo thư của vanthu@evil.example"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record = %d", res.StatusCode)
	}
	_, body = b.get(fmt.Sprintf("/quan-tri/nghia-vu/%d", f.ids["overdue"]))
	if !strings.Contains(body, "vanthu@evil.example") {
		t.Error("admin page hides the note's address")
	}
	anon := newAdminClient(f)
	for _, target := range targets(f) {
		if strings.HasPrefix(target, "/static/") {
			continue
		}
		if _, body := anon.get(target); strings.Contains(body, "@") {
			i := strings.Index(body, "@")
			t.Errorf("public %s shows %q", target, body[max(0, i-40):min(len(body), i+40)])
		}
	}
	// The same browser, logged in, still sees no address on public pages.
	if _, body := b.get(fmt.Sprintf("/nghia-vu/%d", f.ids["overdue"])); strings.Contains(body, "@") {
		t.Error("the public occurrence page shows an address to a logged-in admin")
	}
	if _, body := anon.get(adminLogin); strings.Contains(body, "@") {
		t.Error("the login page shows an address")
	}
}

func TestAdminHostileNamesEscaped(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	csrf := b.login("binh")
	hostile := `<script>alert("x")</script><img src=x onerror=alert(1)> '"`
	for _, p := range []struct {
		target string
		form   url.Values
	}{
		{fmt.Sprintf("/quan-tri/nghia-vu/%d/nop", f.ids["hostile"]), url.Values{"che-do": {"ghi"}, "so-ky-hieu": {hostile}, "ngay-nop": {"2026-06-01"}, "ghi-chu": {hostile}}},
		{fmt.Sprintf("/quan-tri/nghia-vu/%d/mien", f.ids["overdue"]), url.Values{"ly-do": {hostile}}},
	} {
		if res, body := b.post(p.target, withField(p.form, "csrf", csrf)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s = %d\n%s", p.target, res.StatusCode, body)
		}
	}
	for _, target := range adminGets(f) {
		_, body := b.get(target)
		for _, bad := range []string{"<script", "<img", "<b>", "alert(\"x\")", "\r\nX-Injected", "'Độc'", "onerror=alert(1)>"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: body holds %q unescaped", target, bad)
			}
		}
	}
	_, body := b.get(fmt.Sprintf("/quan-tri/nghia-vu/%d", f.ids["hostile"]))
	for _, want := range []string{"&lt;script&gt;alert(&#39;quản trị&#39;)&lt;/script&gt;", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;",
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Sở &#39;Độc&#39; &#34;hại&#34;"} {
		if !strings.Contains(body, want) {
			t.Errorf("hostile occurrence page lacks the escaped form %q", want)
		}
	}
	// The value attribute of the correction form is escaped too.
	if !strings.Contains(body, `value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &#39;&#34;"`) {
		t.Error("the correction form's value is not escaped as an attribute")
	}
}

// A server without admins still answers, and nobody logs in.
func TestAdminNoAdmins(t *testing.T) {
	f := newFixture(t)
	b := newAdminClient(f)
	_, body := b.get(adminLogin)
	if !strings.Contains(body, "Chưa có tài khoản quản trị nào") {
		t.Errorf("login page without admins:\n%s", body)
	}
	if res, _ := b.tryLogin("an", adminPass); res.StatusCode != http.StatusUnauthorized || b.sessionCookie() != "" {
		t.Errorf("login without admins = %d", res.StatusCode)
	}
}
