package httpui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

// 50 token-less login POSTs from one client are refused without counting:
// the real admin's correct login from the same client right after
// succeeds.
func TestTokenlessLoginsDoNotLockOut(t *testing.T) {
	f := newAdminFixture(t)
	b := newAdminClient(f)
	for i := range 50 {
		res, _ := b.post(adminLogin, url.Values{"ten-dang-nhap": {"an"}, "mat-khau": {fmt.Sprint("sai", i)}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("token-less POST %d = %d, want 403", i+1, res.StatusCode)
		}
	}
	if res, body := b.tryLogin("an", adminPass); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the correct login after 50 token-less POSTs = %d\n%s", res.StatusCode, body)
	}
}

// Failed logins are limited per client and per user name.
func TestLoginLimitsPerClientAndUser(t *testing.T) {
	f := newAdminFixture(t)
	a := newAdminClient(f)
	for i := range loginBurst {
		if res, _ := a.tryLogin(fmt.Sprint("khach", i), "sai"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	if res, _ := a.tryLogin("an", adminPass); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("the same client after %d failures = %d, want 429", loginBurst, res.StatusCode)
	}
	// The user name "an" is guessed from many addresses: after its burst
	// it is refused, from anywhere; other names are not.
	for i := range loginUserBurst {
		c := newAdminClient(f)
		c.remote = fmt.Sprintf("198.51.100.%d:1", i+1)
		if res, _ := c.tryLogin("an", "sai"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	c := newAdminClient(f)
	c.remote = "203.0.113.200:1"
	if res, _ := c.tryLogin("an", adminPass); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("user an after %d failures = %d, want 429", loginUserBurst, res.StatusCode)
	}
	if res, _ := c.tryLogin("binh", adminPass); res.StatusCode != http.StatusSeeOther {
		t.Errorf("user binh = %d, want 303", res.StatusCode)
	}
}

// Behind nginx on the Docker host the peer is the bridge gateway: with
// its network trusted, two officials behind it have limits of their own;
// a peer outside it cannot pick its bucket by writing X-Forwarded-For.
func TestTrustedProxyNetworks(t *testing.T) {
	f := newAdminFixture(t)
	nets, err := ParseTrustedProxies(" 172.17.0.0/16, 10.0.0.5 ")
	if err != nil {
		t.Fatal(err)
	}
	f.rt.TrustedProxies = nets
	client := func(peer, xff string) *adminClient {
		c := newAdminClient(f)
		c.remote = peer
		c.header.Set("X-Forwarded-For", xff)
		return c
	}
	n := 0
	fail := func(c *adminClient) int {
		n++ // a new user name each time: only the client's limit is at play
		res, _ := c.tryLogin(fmt.Sprint("x", n), "sai")
		return res.StatusCode
	}
	a := client("172.17.0.1:40000", "198.51.100.7, 203.0.113.1")
	for i := range loginBurst {
		if code := fail(a); code != http.StatusUnauthorized {
			t.Fatalf("official A, failure %d = %d", i+1, code)
		}
	}
	if code := fail(a); code != http.StatusTooManyRequests {
		t.Errorf("official A after the burst = %d, want 429", code)
	}
	// Through two trusted proxies (10.0.0.5 appended by the first).
	if code := fail(client("172.17.0.1:40001", "203.0.113.2, 10.0.0.5")); code != http.StatusUnauthorized {
		t.Errorf("official B behind the same proxy = %d, want 401 (a limit of its own)", code)
	}
	if got := f.srv.clientKey(a.request()); got != "203.0.113.1" {
		t.Errorf("clientKey = %q, want 203.0.113.1", got)
	}
	// An untrusted peer: every header it sends is its own word.
	for i := range loginBurst {
		if code := fail(client("192.0.2.50:1", fmt.Sprintf("203.0.113.%d", 50+i))); code != http.StatusUnauthorized {
			t.Fatalf("untrusted peer, failure %d = %d", i+1, code)
		}
	}
	if code := fail(client("192.0.2.50:1", "203.0.113.99")); code != http.StatusTooManyRequests {
		t.Errorf("untrusted peer with a new X-Forwarded-For = %d, want 429 (header ignored)", code)
	}
	for _, bad := range []string{"172.17.0.0/99", "nhachan.example", "10.0.0.1/8/2"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
	if p, _ := ParseTrustedProxies("10.1.2.3/8"); len(p) != 1 || p[0] != netip.MustParsePrefix("10.0.0.0/8") {
		t.Errorf("ParseTrustedProxies(10.1.2.3/8) = %v", p)
	}
}

// 100,000 rejected tokens write a few dozen log lines, not 100,000; the
// last one says how many were dropped, and together they account for all.
func TestRejectedTokensLogSampled(t *testing.T) {
	lf := newLinkFixture(t)
	var buf strings.Builder
	lf.srv.Log = zerolog.New(&buf)
	const n = 100_000
	tok := submitURL("AQJrMQEAAAAAAAAAKg." + strings.Repeat("A", 43))
	for i := range n {
		lf.now = lf.now.Add(time.Millisecond) // 100 s in all
		lf.linkRequest(http.MethodGet, tok, nil, fmt.Sprintf("198.51.100.%d:1", i%250+1), nil)
	}
	lf.now = lf.now.Add(time.Minute)
	lf.linkRequest(http.MethodGet, tok, nil, "", nil)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) > 300 {
		t.Fatalf("%d log lines for %d rejected tokens", len(lines), n+1)
	}
	last := lines[len(lines)-1]
	if !strings.Contains(last, `"message":"signed link rejected"`) || !strings.Contains(last, `"dropped":`) {
		t.Fatalf("last line %s", last)
	}
	total := 0
	for _, l := range lines {
		total++
		var d int
		if i := strings.Index(l, `"dropped":`); i >= 0 {
			fmt.Sscanf(l[i+len(`"dropped":`):], "%d", &d)
		}
		total += d
	}
	if total != n+1 {
		t.Errorf("%d lines + dropped = %d, want %d", len(lines), total, n+1)
	}
	t.Logf("%d rejected tokens: %d log lines; last: %s", n+1, len(lines), last)
}

// request is a bare request from b's address with b's headers.
func (b *adminClient) request() *http.Request {
	r := httptest.NewRequest(http.MethodPost, adminLogin, nil)
	r.RemoteAddr = b.remote
	for k, v := range b.header {
		r.Header[k] = v
	}
	return r
}

// Error pages name the follow-up agency as it is today: after its end,
// its successor.
func TestContactNameFollowsSuccession(t *testing.T) {
	st := testSetup(t)
	old := agency("snv-nt", "Sở Nội vụ tỉnh Ninh Thuận")
	old.ValidUntil = d("2025-06-30")
	old.Successors = []string{"snv-kh"}
	kh := agency("snv-kh", "Sở Nội vụ tỉnh Khánh Hòa")
	kh.ValidFrom = d("2025-07-01")
	st.Planner.Directory = model.NewDirectory([]*model.Agency{old, kh}, nil)
	st.FollowUp = "snv-nt"
	for _, tc := range []struct{ on, want string }{
		{"2025-06-30", "Sở Nội vụ tỉnh Ninh Thuận"},
		{"2025-07-01", "Sở Nội vụ tỉnh Khánh Hòa"},
		{"2026-12-06", "Sở Nội vụ tỉnh Khánh Hòa"},
	} {
		if got := contactName(st, d(tc.on)); got != tc.want {
			t.Errorf("on %s: %q, want %q", tc.on, got, tc.want)
		}
	}
}

// Repeated extension requests update one pending request and write one
// audit row; the audit log pages, so an admin's action stays reachable
// whatever came after it.
func TestExtensionRequestsAndAuditPaging(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	id := f.ids["intime"]
	if err := f.store.Waive(ctx, f.ids["soon"], "Lý do đầu tiên", "web:an"); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if err := f.store.RequestExtension(ctx, id, "link:snv", d("2026-10-30").AddDays(i), fmt.Sprint("lần ", i)); err != nil {
			t.Fatal(err)
		}
	}
	tl, err := f.store.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range tl.Audit {
		if a.Action == "occurrence.extension_requested" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("30 requests wrote %d audit rows, want 1", n)
	}
	req, ok, err := f.store.PendingExtensionRequest(ctx, id)
	if err != nil || !ok || req.Times != 30 || req.Reason != "lần 29" || req.Until != d("2026-10-30").AddDays(29) {
		t.Fatalf("pending request %+v %v %v", req, ok, err)
	}
	// The admin sees the latest request and how often it was sent.
	admin := newAdminClient(f)
	admin.login("an")
	if _, page := admin.get(fmt.Sprintf("/quan-tri/nghia-vu/%d", id)); !strings.Contains(page, "Đề nghị gia hạn đang chờ") ||
		!strings.Contains(page, "lần 29 (gửi 30 lần") {
		t.Errorf("the admin page does not show the pending request\n%s", page)
	}
	// An admin's extension settles it.
	if err := f.store.Extend(ctx, id, d("2026-11-30"), "Đồng ý", "web:an"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.store.PendingExtensionRequest(ctx, id); ok {
		t.Error("the request is still pending after the extension")
	}

	// 450 more audit rows (extensions), then the log in pages of 200.
	due := d("2026-11-30")
	for range 450 {
		due = due.AddDays(1)
		if err := f.store.Extend(ctx, f.ids["overdue"], due, "x", "web:an"); err != nil {
			t.Fatal(err)
		}
	}
	b := newAdminClient(f)
	b.login("an")
	target := "/quan-tri/nhat-ky"
	rows, pages := 0, 0
	sawFirst := false
	for target != "" {
		res, body := b.get(target)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", target, res.StatusCode)
		}
		pages++
		rows += strings.Count(body, "<tr><td>")
		sawFirst = sawFirst || strings.Contains(body, "Lý do đầu tiên")
		target = ""
		if m := regexp.MustCompile(`href="(/quan-tri/nhat-ky\?truoc=\d+)"`).FindStringSubmatch(body); m != nil {
			target = m[1]
		}
		if pages > 10 {
			t.Fatal("the pages do not end")
		}
	}
	total := 0
	if err := f.store.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := f.store.AuditLogBefore(ctx, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	total = len(all)
	if pages != (total+auditLogLimit-1)/auditLogLimit || rows != total || !sawFirst {
		t.Errorf("%d pages, %d rows of %d, first action reachable: %t", pages, rows, total, sawFirst)
	}
	if res, _ := b.get("/quan-tri/nhat-ky?truoc=abc"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("?truoc=abc = %d, want 400", res.StatusCode)
	}
}

// A link from Sở Nội vụ's copy of the letter records Sở Nội vụ acting for
// the agency, for a submission and for an extension request; the
// agency's own link (a version-1 token, as mailed before) records the
// agency.
func TestFollowUpCopyLinkRecordsWhoActed(t *testing.T) {
	lf := newLinkFixture(t)
	c := signlink.Claims{Occurrence: lf.ids["soon"], Agency: "stp", Action: signlink.ActionSubmit, Expires: linkExpiry,
		IssuedTo: signlink.IssuedToFollowUp}
	if code, body := lf.post(submitURL(linkSign(t, lf.signer, c)), submitForm("9/BC", "2026-06-15")); code != http.StatusOK {
		t.Fatalf("POST = %d\n%s", code, body)
	}
	tl, err := lf.store.Timeline(context.Background(), lf.ids["soon"])
	if err != nil {
		t.Fatal(err)
	}
	if tl.Submission == nil || tl.Submission.RecordedBy != "link:snv thay mặt stp" {
		t.Errorf("recorded by %+v, want link:snv thay mặt stp", tl.Submission)
	}
	c.Occurrence, c.Agency, c.Action = lf.ids["intime"], "snv", signlink.ActionExtend
	if code, body := lf.post(extendURL(linkSign(t, lf.signer, c)), extendForm("2026-12-31", "Chờ số liệu")); code != http.StatusOK {
		t.Fatalf("extension POST = %d\n%s", code, body)
	}
	c.IssuedTo = signlink.IssuedToAgency
	if code, _ := lf.post(extendURL(linkSign(t, lf.signer, c)), extendForm("2026-12-30", "Chờ số liệu")); code != http.StatusOK {
		t.Fatalf("agency extension POST = %d", code)
	}
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if len(lf.requests) != 2 || lf.requests[0].agency != "snv thay mặt snv" || lf.requests[1].agency != "snv" {
		t.Errorf("requests %+v", lf.requests)
	}
}
