package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
)

// An admin logged in to the real daemon stays logged in when it restarts
// (the session key is derived from the links key file), and a session
// logged out stays refused after a restart (the logout is in the
// database), even for a copy of its cookie taken before.
func TestAdminSessionAcrossRestarts(t *testing.T) {
	mp := mailpittest.Start(t)
	c := writeBrowserConfig(t, mp, 3, "http://127.0.0.1:1")
	start := func(name string) (*proc, string) {
		p := startProc(t, name, time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
		return p, p.waitLog(30*time.Second, "listen address", msgIs("web pages, /healthz and /metrics")).str("listen")
	}
	var b *browserlessClient
	do := func(method, u string, form url.Values) (int, string) {
		t.Helper()
		return b.do(method, strings.TrimPrefix(u, b.base), form)
	}
	csrfRE := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	csrf := func(page string) string {
		t.Helper()
		m := csrfRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token on the page:\n%s", page)
		}
		return m[1]
	}

	d1, base := start("serve#1")
	b = newBrowserlessClient(t, base, "")
	jar := b.c.Jar
	_, page := do("GET", base+"/quan-tri/dang-nhap", nil)
	if code, _ := do("POST", base+"/quan-tri/dang-nhap", url.Values{"csrf": {csrf(page)},
		"ten-dang-nhap": {browserAdminUser}, "mat-khau": {browserAdminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("login = %d", code)
	}
	if code, _ := do("GET", base+"/quan-tri/", nil); code != http.StatusOK {
		t.Fatalf("admin home after login = %d", code)
	}
	d1.stop()

	d2, base := start("serve#2")
	b.base = base
	code, home := do("GET", base+"/quan-tri/", nil)
	if code != http.StatusOK {
		t.Fatalf("admin home after a restart = %d, want 200 (the session should outlive the restart)", code)
	}
	var stolen string
	for _, ck := range jar.Cookies(&url.URL{Scheme: "http", Host: "127.0.0.1"}) {
		if ck.Name == "nhachan_session" {
			stolen = ck.Value
		}
	}
	if stolen == "" {
		t.Fatal("no session cookie in the jar")
	}
	if code, _ := do("POST", base+"/quan-tri/dang-xuat", url.Values{"csrf": {csrf(home)}}); code != http.StatusSeeOther {
		t.Fatalf("logout = %d", code)
	}
	d2.stop()

	_, base = start("serve#3")
	b.base = base
	jar.SetCookies(&url.URL{Scheme: "http", Host: "127.0.0.1"}, []*http.Cookie{{Name: "nhachan_session", Value: stolen, Path: "/"}})
	if code, _ := do("GET", base+"/quan-tri/", nil); code != http.StatusSeeOther {
		t.Errorf("the logged-out session's cookie after a restart = %d, want a redirect to the login", code)
	}
}
