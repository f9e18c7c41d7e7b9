package httpui

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"
)

// The admins of the tests: one ordinary, one whose display name is
// hostile markup.
const (
	adminPass    = "mật-khẩu đúng 123"
	evilAdminTag = "<script>alert('quản trị')</script>"
)

var testSessionKey = []byte("0123456789abcdef0123456789abcdef-test")

// newAdminFixture is the usual fixture, its server rebuilt with admins and
// a fixed session key (Handler is built once, so the fields must be set
// before).
func newAdminFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	hash, err := bcrypt.GenerateFromPassword([]byte(adminPass), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	old := f.srv
	f.rt.Admins = []Admin{
		{User: "an", Name: "Nguyễn Văn An", PasswordHash: string(hash)},
		{User: "binh", Name: evilAdminTag, PasswordHash: string(hash)},
	}
	f.rt.SessionKeys = [][]byte{testSessionKey}
	f.srv = &Server{Store: old.Store, Runtime: old.Runtime, Now: old.Now, Health: old.Health, Log: zerolog.Nop()}
	f.h = f.srv.Handler()
	return f
}

// adminClient is a client with a cookie jar, talking to the handler directly.
type adminClient struct {
	f       *fixture
	t       *testing.T
	cookies map[string]*http.Cookie
	// remote is the client's address; https makes requests arrive over TLS.
	remote string
	https  bool
	// header is added to every request.
	header http.Header
}

func newAdminClient(f *fixture) *adminClient {
	return &adminClient{f: f, t: f.t, cookies: map[string]*http.Cookie{}, remote: "192.0.2.1:1234", header: http.Header{}}
}

// do sends a request; a non-nil form is POSTed url-encoded.
func (b *adminClient) do(method, target string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	u := "http://example.com" + target
	if b.https {
		u = "https://example.com" + target
	}
	req := httptest.NewRequest(method, u, body)
	req.RemoteAddr = b.remote
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.header {
		req.Header[k] = v
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	b.f.h.ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	s, _ := io.ReadAll(res.Body)
	return res, string(s)
}

func (b *adminClient) get(target string) (*http.Response, string) {
	b.t.Helper()
	return b.do(http.MethodGet, target, nil)
}

func (b *adminClient) post(target string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return b.do(http.MethodPost, target, form)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

// formToken returns the first CSRF token of a page.
func formToken(t *testing.T, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in\n%s", body)
	}
	return m[1]
}

// tryLogin opens the login form and submits it.
func (b *adminClient) tryLogin(user, pass string) (*http.Response, string) {
	b.t.Helper()
	_, page := b.get(adminLogin)
	return b.post(adminLogin, url.Values{"csrf": {formToken(b.t, page)}, "ten-dang-nhap": {user}, "mat-khau": {pass}})
}

// login logs in as user and returns the session's CSRF token.
func (b *adminClient) login(user string) string {
	b.t.Helper()
	res, body := b.tryLogin(user, adminPass)
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("login as %s = %d\n%s", user, res.StatusCode, body)
	}
	return b.csrf()
}

// csrf reads the session's token from the overview page.
func (b *adminClient) csrf() string {
	b.t.Helper()
	res, body := b.get(adminRoot)
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s = %d", adminRoot, res.StatusCode)
	}
	return formToken(b.t, body)
}

// sessionCookie returns the jar's session cookie value, "" when none.
func (b *adminClient) sessionCookie() string {
	for _, n := range []string{cookiePlain, cookieSecure} {
		if c, ok := b.cookies[n]; ok {
			return c.Value
		}
	}
	return ""
}

// bind is what the admin area binds a session to: the admin's password
// hash as configured now.
func (f *fixture) bind(user string) (string, bool) {
	for _, a := range f.rt.Admins {
		if a.User == user {
			return a.PasswordHash, true
		}
	}
	return "", false
}
