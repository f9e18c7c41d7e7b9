package main

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

// TestReloadSwapsKeysAndAdmins runs the documented key rotation and admin
// changes on the real daemon, by signal and by file change, without a
// restart: the web server must follow every reload at once.
func TestReloadSwapsKeysAndAdmins(t *testing.T) {
	mp := mailpittest.Start(t)
	c := writeProcConfig(t, 3, smtpURL(mp), 3)
	base, err := os.ReadFile(c.File)
	if err != nil {
		t.Fatal(err)
	}
	newKey := func(id string) (signlink.Key, string) {
		k, err := signlink.GenerateKey(id, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(c.Dir, id+".key")
		if err := os.WriteFile(f, signlink.FormatKey(k), 0o600); err != nil {
			t.Fatal(err)
		}
		return k, f
	}
	hash := func(pw string) string {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		return string(h)
	}
	// write rewrites the configuration's links and admins.
	write := func(keyFile, previous string, admins map[string]string) {
		t.Helper()
		tail := fmt.Sprintf("public_url: %q\nlinks:\n  key_file: %q\n", "http://127.0.0.1:1", keyFile)
		if previous != "" {
			tail += fmt.Sprintf("  previous_key_file: %q\n", previous)
		}
		if len(admins) > 0 {
			tail += "admins:\n"
			for user, h := range admins {
				tail += fmt.Sprintf("  - user: %s\n    name: %q\n    password_hash: %q\n", user, "Quản trị "+user, h)
			}
		}
		writeFile(t, c.File, string(base)+tail)
	}
	k1, f1 := newKey("k1")
	an1 := hash("mat-khau-mot")
	write(f1, "", map[string]string{"an": an1})

	// Behind a local proxy, each test client has its own login budget.
	d := startProc(t, "serve", 2*time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File, "--behind-local-proxy")
	web := d.waitLog(30*time.Second, "listen address", msgIs("web pages, /healthz and /metrics")).str("listen")
	waitAllDelivered(t, mp, c, 60*time.Second)
	occ, agency := anOpenOccurrence(t, c.DB)
	reloads := 0
	reload := func(how string) {
		t.Helper()
		reloads++
		if how == "signal" {
			d.signal(syscall.SIGHUP)
		}
		pollUntil(t, 15*time.Second, "reload #"+fmt.Sprint(reloads), func() bool {
			return d.countLogs(msgIs("configuration reloaded")) >= reloads
		})
	}

	b := newBrowserlessClient(t, web, "192.0.2.1")
	link := func(k signlink.Key, action signlink.Action) string {
		s, err := signlink.NewSigner(k)
		if err != nil {
			t.Fatal(err)
		}
		cl := signlink.Claims{Occurrence: occ, Agency: agency, Action: action, Expires: time.Now().Add(30 * 24 * time.Hour)}
		switch action {
		case signlink.ActionCalendar:
			cl.Occurrence = 0
			tok, err := s.Sign(cl)
			if err != nil {
				t.Fatal(err)
			}
			return "/lich/" + tok + ".ics"
		default:
			tok, err := s.Sign(cl)
			if err != nil {
				t.Fatal(err)
			}
			return "/xac-nhan/" + tok
		}
	}
	expect := func(what, path string, want int) {
		t.Helper()
		if code, _ := b.do("GET", path, nil); code != want {
			t.Errorf("%s: GET = %d, want %d", what, code, want)
		}
	}

	// Before: k1 links work; the admin logs in.
	expect("k1 link at start", link(k1, signlink.ActionSubmit), http.StatusOK)
	if code := b.login("an", "mat-khau-mot"); code != http.StatusSeeOther {
		t.Fatalf("login at start = %d", code)
	}
	expect("admin log with the k1 session", "/quan-tri/nhat-ky", http.StatusOK)

	// 1. Rotation: k2 signs, k1 is the previous key (signal).
	k2, f2 := newKey("k2")
	write(f2, f1, map[string]string{"an": an1})
	reload("signal")
	expect("k2 mail link after the rotation", link(k2, signlink.ActionSubmit), http.StatusOK)
	expect("k2 calendar URL after the rotation", link(k2, signlink.ActionCalendar), http.StatusOK)
	expect("k1 mail link while k1 is the previous key", link(k1, signlink.ActionSubmit), http.StatusOK)
	expect("k1 calendar URL while k1 is the previous key", link(k1, signlink.ActionCalendar), http.StatusOK)
	expect("the k1 session while k1 is the previous key", "/quan-tri/nhat-ky", http.StatusOK)

	// 2. The previous key is removed (file change, no signal).
	write(f2, "", map[string]string{"an": an1})
	reload("file change")
	expect("k1 mail link after k1 was removed", link(k1, signlink.ActionSubmit), http.StatusForbidden)
	expect("k1 calendar URL after k1 was removed", link(k1, signlink.ActionCalendar), http.StatusForbidden)
	expect("k2 mail link", link(k2, signlink.ActionSubmit), http.StatusOK)
	expect("the k1 session after k1 was removed", "/quan-tri/nhat-ky", http.StatusSeeOther)

	// 3. A changed password takes effect at once.
	if code := b.login("an", "mat-khau-mot"); code != http.StatusSeeOther {
		t.Fatalf("login with k2 = %d", code)
	}
	expect("admin log with a k2 session", "/quan-tri/nhat-ky", http.StatusOK)
	an2 := hash("mat-khau-hai")
	write(f2, "", map[string]string{"an": an2, "binh": hash("mat-khau-binh")})
	reload("signal")
	expect("a session opened with the old password", "/quan-tri/nhat-ky", http.StatusSeeOther)
	if code := b.login("an", "mat-khau-mot"); code != http.StatusUnauthorized {
		t.Errorf("login with the old password = %d, want 401", code)
	}
	if code := b.login("an", "mat-khau-hai"); code != http.StatusSeeOther {
		t.Errorf("login with the new password = %d, want 303", code)
	}
	other := newBrowserlessClient(t, web, "192.0.2.2")
	if code := other.login("binh", "mat-khau-binh"); code != http.StatusSeeOther {
		t.Fatalf("login of the new admin = %d", code)
	}

	// 4. A removed admin can neither log in nor use an open session.
	write(f2, "", map[string]string{"an": an2})
	reload("signal")
	if code, _ := other.do("GET", "/quan-tri/nhat-ky", nil); code != http.StatusSeeOther {
		t.Errorf("the removed admin's open session = %d, want a redirect to the login", code)
	}
	if code := other.login("binh", "mat-khau-binh"); code != http.StatusUnauthorized {
		t.Errorf("login of the removed admin = %d, want 401", code)
	}

	// 5. A broken file is refused whole: the keys and admins in force stay,
	// and /healthz says so while answering 200.
	writeFile(t, c.File, string(base)+"links:\n  key_file: \"/khong/co/tep.key\"\n")
	d.signal(syscall.SIGHUP)
	pollUntil(t, 15*time.Second, "the refused reload", func() bool {
		return d.countLogs(msgIs("configuration not reloaded: the previous one stays in force")) > 0
	})
	expect("k2 link after a refused reload", link(k2, signlink.ActionSubmit), http.StatusOK)
	code, body := b.do("GET", "/healthz", nil)
	if code != http.StatusOK || !strings.Contains(body, `"reload"`) || !strings.Contains(body, "tep.key") {
		t.Errorf("/healthz after a refused reload = %d:\n%s\nwant 200 naming the reload error", code, body)
	}
	// /metrics is for this machine, not for requests a proxy forwards.
	if _, metrics := newBrowserlessClient(t, web, "").do("GET", "/metrics", nil); !regexp.MustCompile(`nhachan_config_reload_total\{result="error"\} [1-9]`).MatchString(metrics) {
		t.Errorf("/metrics does not count the refused reload:\n%s", grepLines(metrics, "reload"))
	}
}

// anOpenOccurrence returns an open duty's id and agency from the database.
func anOpenOccurrence(t *testing.T, dbPath string) (int64, string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int64
	var agency string
	if err := db.QueryRow(`SELECT id, agency_id FROM occurrences WHERE state = 'open' AND agency_id <> '' ORDER BY id LIMIT 1`).Scan(&id, &agency); err != nil {
		t.Fatal(err)
	}
	return id, agency
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// browserlessClient talks to the daemon's pages as a browser would: a
// cookie jar, redirects not followed, forms with their CSRF tokens.
type browserlessClient struct {
	t    *testing.T
	base string
	c    *http.Client
	from string // the X-Forwarded-For a local proxy would append
}

func newBrowserlessClient(t *testing.T, base, from string) *browserlessClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browserlessClient{t: t, base: base, from: from, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browserlessClient) do(method, path string, form url.Values) (int, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.from != "" {
		req.Header.Set("X-Forwarded-For", b.from)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

var loginCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login fills the login form and returns the answer's status.
func (b *browserlessClient) login(user, pass string) int {
	b.t.Helper()
	_, page := b.do("GET", "/quan-tri/dang-nhap", nil)
	m := loginCSRF.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no CSRF token on the login page:\n%s", page)
	}
	code, _ := b.do("POST", "/quan-tri/dang-nhap", url.Values{"csrf": {m[1]}, "ten-dang-nhap": {user}, "mat-khau": {pass}})
	return code
}
