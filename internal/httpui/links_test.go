package httpui

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

// extRequest is one call of the fake RequestExtension.
type extRequest struct {
	occurrence int64
	agency     string
	until      schedule.Date
	reason     string
}

// linkFixture is the page fixture with signed links turned on: a signer
// with a current key "k1" and a previous key "k0", and a fake
// RequestExtension that remembers its calls.
type linkFixture struct {
	*fixture
	signer *signlink.Signer
	old    *signlink.Signer // signs with k0, which the server still accepts

	mu       sync.Mutex
	requests []extRequest
	extErr   error
	client   int // the last client address handed out
}

// linkKey derives a fixed key from id and salt.
func linkKey(t *testing.T, id, salt string) signlink.Key {
	t.Helper()
	sum := sha256.Sum256([]byte("httpui link test|" + id + "|" + salt))
	k, err := signlink.NewKey(id, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func linkSigner(t *testing.T, current signlink.Key, previous ...signlink.Key) *signlink.Signer {
	t.Helper()
	s, err := signlink.NewSigner(current, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newLinkFixture(t *testing.T) *linkFixture {
	t.Helper()
	return linksOn(newFixture(t))
}

// linksOn adds signed links to f's server (its handler reads Links and
// RequestExtension on every request).
func linksOn(f *fixture) *linkFixture {
	t := f.t
	t.Helper()
	lf := &linkFixture{fixture: f}
	k1, k0 := linkKey(t, "k1", "current"), linkKey(t, "k0", "previous")
	lf.signer = linkSigner(t, k1, k0)
	lf.old = linkSigner(t, k0)
	lf.rt.Links = lf.signer
	lf.srv.RequestExtension = func(_ context.Context, id int64, agency string, until schedule.Date, reason string) error {
		lf.mu.Lock()
		defer lf.mu.Unlock()
		lf.requests = append(lf.requests, extRequest{id, agency, until, reason})
		return lf.extErr
	}
	return lf
}

// linkExpiry is when the fixture's links expire: two weeks after today.
var linkExpiry = today.Add(14 * 24 * time.Hour)

// token signs a link for the named occurrence with the current key.
func (lf *linkFixture) token(occ, agency string, action signlink.Action) string {
	lf.t.Helper()
	return linkSign(lf.t, lf.signer, signlink.Claims{Occurrence: lf.ids[occ], Agency: agency, Action: action, Expires: linkExpiry})
}

func linkSign(t *testing.T, s *signlink.Signer, c signlink.Claims) string {
	t.Helper()
	tok, err := s.Sign(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// freshBudget forgets every link's POSTs so far (rate limit).
func (lf *linkFixture) freshBudget() {
	lf.srv.linkPosts = newRateLimiter(linkPostsPerMinute, linkPostBurst, linkMaxClients)
}

// submitURL and extendURL are the links a mail would carry.
func submitURL(tok string) string { return "/xac-nhan/" + tok }
func extendURL(tok string) string { return "/gia-han/" + tok }

// linkRequest runs one request with a form body (for POST) from client
// address addr, or from a fresh address when addr is "", so that tests
// other than the rate limiter's never hit it.
func (lf *linkFixture) linkRequest(method, target string, form url.Values, addr string, header map[string]string) (*http.Response, string) {
	lf.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if addr == "" {
		lf.client++
		addr = fmt.Sprintf("198.51.%d.%d:40000", lf.client/250, lf.client%250+1)
	}
	req.RemoteAddr = addr
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	lf.h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (lf *linkFixture) post(target string, form url.Values) (int, string) {
	lf.t.Helper()
	res, body := lf.linkRequest(http.MethodPost, target, form, "", nil)
	return res.StatusCode, body
}

// submitForm is a valid confirmation form.
func submitForm(ref, on string) url.Values {
	return url.Values{fieldRef: {ref}, fieldSentOn: {on}}
}

func extendForm(until, reason string) url.Values {
	return url.Values{fieldUntil: {until}, fieldReason: {reason}}
}

// tamper decodes tok's payload, lets edit change it, and re-encodes it
// with the original signature.
func tamper(t *testing.T, tok string, edit func(p []byte) []byte) string {
	t.Helper()
	ep, es, _ := strings.Cut(tok, ".")
	p, err := base64.RawURLEncoding.DecodeString(ep)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(edit(p)) + "." + es
}

// Offsets in a version-1 payload signed with the two-byte key id "k1"
// (see the signlink package doc).
const (
	offAction = 4
	offOcc    = 5
	offExpiry = 13
	offAgency = 21
)

// flip changes the character at i (negative: from the end) to another one
// of the base64url alphabet.
func flip(tok string, i int) string {
	if i < 0 {
		i += len(tok)
	}
	c := byte('A')
	if tok[i] == 'A' {
		c = 'B'
	}
	return tok[:i] + string(c) + tok[i+1:]
}

// badLink is a link that must be refused with code and a page holding want.
type badLink struct {
	name   string
	target string
	code   int
	want   string
}

// badLinks is every kind of tampered, forged, expired or misdirected link
// the tests try.
func badLinks(t *testing.T, lf *linkFixture) []badLink {
	valid := lf.token("soon", "stp", signlink.ActionSubmit)
	validExt := lf.token("soon", "stp", signlink.ActionExtend)
	other := lf.token("intime", "snv", signlink.ActionSubmit)
	ep, es, _ := strings.Cut(valid, ".")
	_, otherSig, _ := strings.Cut(other, ".")
	soon := lf.ids["soon"]
	claims := func(occ int64, agency string, action signlink.Action, exp time.Time) signlink.Claims {
		return signlink.Claims{Occurrence: occ, Agency: agency, Action: action, Expires: exp}
	}
	foreign := linkSigner(t, linkKey(t, "kx", "foreign"))
	sameIDOtherSecret := linkSigner(t, linkKey(t, "k1", "attacker"))
	const (
		bad     = "Liên kết không hợp lệ"
		format  = "Liên kết không đúng định dạng"
		oldKey  = "Liên kết không còn hiệu lực"
		expired = "Liên kết đã hết hạn"
		action  = "Liên kết không dùng cho trang này"
		agency  = "Liên kết không khớp cơ quan"
	)
	return []badLink{
		{"signature char flipped", submitURL(flip(valid, -2)), 403, bad},
		{"payload char flipped", submitURL(flip(valid, 10)), 403, bad},
		{"signature truncated", submitURL(valid[:len(valid)-1]), 403, format},
		{"payload truncated", submitURL(ep[:len(ep)-4] + "." + es), 403, format},
		{"signature missing", submitURL(ep), 403, format},
		{"signature empty", submitURL(ep + "."), 403, format},
		{"two dots", submitURL(valid + ".x"), 403, format},
		{"padding added", submitURL(valid + "%3D"), 403, format},
		{"space inside", submitURL(ep + "%20." + es), 403, format},
		{"line feed inside", submitURL(ep + "%0A." + es), 403, format},
		{"NUL inside", submitURL(ep + "%00." + es), 403, format},
		{"non-ASCII inside", submitURL(ep + "%C3%A1." + es), 403, format},
		{"standard base64 plus", submitURL(strings.Replace(valid, string(valid[3]), "+", 1)), 403, format},
		{"longer than MaxTokenLen", submitURL(strings.Repeat("A", signlink.MaxTokenLen+1)), 403, format},
		{"garbage", submitURL("xin-chao"), 403, format},
		{"non-canonical trailing bits", submitURL(valid[:len(valid)-1] + string(valid[len(valid)-1]^1)), 403, ""},
		{"signature of another link", submitURL(ep + "." + otherSig), 403, bad},
		{"occurrence changed", submitURL(tamper(t, valid, func(p []byte) []byte {
			binary.BigEndian.PutUint64(p[offOcc:], uint64(lf.ids["intime"]))
			return p
		})), 403, bad},
		{"agency changed", submitURL(tamper(t, valid, func(p []byte) []byte {
			copy(p[offAgency+1:], "snv")
			return p
		})), 403, bad},
		{"expiry pushed back", submitURL(tamper(t, valid, func(p []byte) []byte {
			binary.BigEndian.PutUint64(p[offExpiry:], uint64(linkExpiry.Add(365*24*time.Hour).Unix()))
			return p
		})), 403, bad},
		{"action changed to extend", extendURL(tamper(t, valid, func(p []byte) []byte {
			p[offAction] = 2
			return p
		})), 403, bad},
		{"version changed", submitURL(tamper(t, valid, func(p []byte) []byte {
			p[0] = 3
			return p
		})), 403, format},
		{"trailing payload byte", submitURL(tamper(t, valid, func(p []byte) []byte { return append(p, 0) })), 403, bad},
		{"key id renamed to the previous key", submitURL(tamper(t, valid, func(p []byte) []byte {
			p[3] = '0'
			return p
		})), 403, bad},
		{"unknown key", submitURL(linkSign(t, foreign, claims(soon, "stp", signlink.ActionSubmit, linkExpiry))), 403, oldKey},
		{"same key id, other secret", submitURL(linkSign(t, sameIDOtherSecret, claims(soon, "stp", signlink.ActionSubmit, linkExpiry))), 403, bad},
		{"expired a second ago", submitURL(linkSign(t, lf.signer, claims(soon, "stp", signlink.ActionSubmit, today.Add(-time.Second)))), 410, expired},
		{"expires this very second", submitURL(linkSign(t, lf.signer, claims(soon, "stp", signlink.ActionSubmit, today))), 410, expired},
		{"expired last year, previous key", submitURL(linkSign(t, lf.old, claims(soon, "stp", signlink.ActionSubmit, today.AddDate(-1, 0, 0)))), 410, expired},
		{"expired extension link", extendURL(linkSign(t, lf.signer, claims(soon, "stp", signlink.ActionExtend, today.Add(-time.Hour)))), 410, expired},
		{"submit link on the extension page", extendURL(valid), 403, action},
		{"extension link on the submit page", submitURL(validExt), 403, action},
		{"calendar link on the submit page", submitURL(linkSign(t, lf.signer, claims(0, "stp", signlink.ActionCalendar, linkExpiry))), 403, action},
		{"another agency's occurrence", submitURL(linkSign(t, lf.signer, claims(soon, "snv", signlink.ActionSubmit, linkExpiry))), 403, agency},
		{"another agency's occurrence, extension", extendURL(linkSign(t, lf.signer, claims(soon, "evil", signlink.ActionExtend, linkExpiry))), 403, agency},
		{"occurrence that does not exist", submitURL(linkSign(t, lf.signer, claims(999999, "stp", signlink.ActionSubmit, linkExpiry))), 404, "Không tìm thấy nghĩa vụ"},
	}
}

// Every bad link is refused on GET, HEAD and POST with a Vietnamese page,
// and none of them changes a byte of the database.
func TestBadLinksRejectedAndChangeNothing(t *testing.T) {
	lf := newLinkFixture(t)
	links := badLinks(t, lf)
	if len(links) < 20 {
		t.Fatalf("only %d kinds of bad link", len(links))
	}
	before := lf.snapshot()
	for _, bl := range links {
		t.Run(bl.name, func(t *testing.T) {
			form := submitForm("99/BC-STP", today.Format("2006-01-02"))
			if strings.HasPrefix(bl.target, "/gia-han/") {
				form = extendForm("2026-07-31", "Chờ số liệu")
			}
			for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
				var f url.Values
				if method == http.MethodPost {
					f = form
				}
				res, body := lf.linkRequest(method, bl.target, f, "", nil)
				if res.StatusCode != bl.code {
					t.Errorf("%s: %d, want %d\n%s", method, res.StatusCode, bl.code, body)
				}
				if method == http.MethodHead {
					continue
				}
				if !strings.Contains(body, bl.want) || !strings.Contains(body, "Mã lỗi") {
					t.Errorf("%s: page lacks %q\n%s", method, bl.want, body)
				}
				if bl.code != 404 && !strings.Contains(body, "Không có gì được ghi nhận") {
					t.Errorf("%s: page does not say nothing was recorded\n%s", method, body)
				}
				for _, leak := range []string{"signlink", "token", "HMAC", "@"} {
					if strings.Contains(body, leak) {
						t.Errorf("%s: page leaks %q", method, leak)
					}
				}
			}
		})
	}
	if after := lf.snapshot(); after != before {
		t.Errorf("bad links changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if len(lf.requests) != 0 {
		t.Errorf("bad links requested extensions: %+v", lf.requests)
	}
}

// An expired link's page says which link expired and when, in Vietnam time.
func TestExpiredLinkSaysWhichAndWhen(t *testing.T) {
	lf := newLinkFixture(t)
	exp := time.Date(2026, 6, 8, 0, 0, 0, 0, hcm)
	tok := linkSign(t, lf.signer, signlink.Claims{Occurrence: lf.ids["soon"], Agency: "stp", Action: signlink.ActionSubmit, Expires: exp})
	code, body := lf.get(submitURL(tok))
	if code != http.StatusGone {
		t.Fatalf("GET = %d, want 410", code)
	}
	for _, want := range []string{"«Xác nhận đã nộp»", "nhiệm vụ T2, kỳ năm 2026", "Sở Tư pháp", "00:00 08/06/2026", "Sở Nội vụ"} {
		if !strings.Contains(body, want) {
			t.Errorf("expired page lacks %q\n%s", want, body)
		}
	}
	// An expired link for an agency the duty does not belong to names no
	// duty.
	tok = linkSign(t, lf.signer, signlink.Claims{Occurrence: lf.ids["soon"], Agency: "snv", Action: signlink.ActionExtend, Expires: exp})
	code, body = lf.get(extendURL(tok))
	if code != http.StatusGone || strings.Contains(body, "nhiệm vụ T2") || !strings.Contains(body, "«Xin gia hạn» của Sở Nội vụ") {
		t.Errorf("GET = %d\n%s", code, body)
	}
}

// Opening a link — as a mail scanner does, any number of times, by GET or
// HEAD — shows the page and changes nothing.
func TestLinkGetAndHeadChangeNothing(t *testing.T) {
	lf := newLinkFixture(t)
	before := lf.snapshot()
	var targets []string
	for name := range lf.ids {
		for _, agency := range []string{"stp", "snv", "evil"} {
			targets = append(targets, submitURL(lf.token(name, agency, signlink.ActionSubmit)),
				extendURL(lf.token(name, agency, signlink.ActionExtend)))
		}
	}
	for range 3 {
		for _, target := range targets {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				res, body := lf.linkRequest(method, target, nil, "", nil)
				if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s = %d\n%s", method, target, res.StatusCode, body)
				}
			}
		}
	}
	if after := lf.snapshot(); after != before {
		t.Errorf("GET/HEAD changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if len(lf.requests) != 0 {
		t.Errorf("GET requested extensions: %+v", lf.requests)
	}
}

func TestSubmitPage(t *testing.T) {
	lf := newLinkFixture(t)
	target := submitURL(lf.token("soon", "stp", signlink.ActionSubmit))
	code, body := lf.get(target)
	if code != http.StatusOK {
		t.Fatalf("GET = %d\n%s", code, body)
	}
	for _, want := range []string{
		"Xác nhận đã nộp báo cáo", "T2 — Kế hoạch kiểm tra", "Kế hoạch cải cách hành chính năm 2026", "<dd>năm 2026</dd>",
		"Sở Tư pháp", "Thứ Bảy, 20/06/2026", "Sắp đến hạn", "Số, ký hiệu văn bản", "Ngày gửi",
		`<form method="post"`, `name="so-ky-hieu"`, `name="ngay-gui" value="2026-06-15"`, `max="2026-06-15"`, `min="2000-01-01"`,
		"Hôm nay: 15/06/2026",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, " action=") {
		t.Error("the form names an action; it must post back to the link itself")
	}
	// Late at night in Vietnam it is already the next day.
	lf.now = time.Date(2026, 6, 15, 23, 30, 0, 0, time.UTC) // 06:30 on the 16th in Vietnam
	if _, body := lf.get(target); !strings.Contains(body, `value="2026-06-16"`) {
		t.Error("the default date is not today in Vietnam")
	}
}

func TestSubmitRecordsOnceAndRepeatIsCalm(t *testing.T) {
	lf := newLinkFixture(t)
	target := submitURL(lf.token("soon", "stp", signlink.ActionSubmit))
	before := lf.snapshot()
	code, body := lf.post(target, submitForm("  45/BC-STP ", "2026-06-12"))
	// 12/06 is before the recording day (15/06): the official's word
	// alone until an admin confirms it.
	if code != http.StatusOK || !strings.Contains(body, "<h1>Đã ghi nhận</h1>") || !strings.Contains(body, "Tự khai, chờ xác nhận") {
		t.Fatalf("POST = %d\n%s", code, body)
	}
	for _, want := range []string{"Thứ Sáu, 12/06/2026", "45/BC-STP", "liên kết xác nhận trong thư"} {
		if !strings.Contains(body, want) {
			t.Errorf("success page lacks %q", want)
		}
	}
	afterFirst := lf.snapshot()
	if afterFirst == before {
		t.Fatal("the POST changed nothing")
	}
	tl, err := lf.store.Timeline(context.Background(), lf.ids["soon"])
	if err != nil {
		t.Fatal(err)
	}
	sb := tl.Submission
	if sb == nil || sb.Ref != "45/BC-STP" || sb.SubmittedOn != d("2026-06-12") || sb.Via != duty.ViaLink || sb.RecordedBy != "link:stp" ||
		tl.Occurrence.State != duty.StateSubmitted {
		t.Fatalf("stored %+v, state %s", sb, tl.Occurrence.State)
	}

	// A second POST, even with other values, and a later GET: calm, and
	// nothing changes.
	for _, tc := range []struct {
		method string
		form   url.Values
	}{{http.MethodPost, submitForm("46/BC-STP", "2026-06-13")}, {http.MethodPost, submitForm("", "sai")}, {http.MethodGet, nil}} {
		res, body := lf.linkRequest(tc.method, target, tc.form, "", nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Báo cáo này đã được ghi nhận trước đó") ||
			!strings.Contains(body, "45/BC-STP") || strings.Contains(body, "<form") {
			t.Errorf("%s again = %d\n%s", tc.method, res.StatusCode, body)
		}
	}
	if after := lf.snapshot(); after != afterFirst {
		t.Errorf("the repeat changed the database:\nbefore:\n%s\nafter:\n%s", afterFirst, after)
	}
	// The board shows it.
	if _, body := lf.get(fmt.Sprintf("/nghia-vu/%d", lf.ids["soon"])); !strings.Contains(body, "liên kết xác nhận trong thư") {
		t.Error("the occurrence page does not show the submission by link")
	}
}

// Many clicks at once: one records, the others are told it is recorded.
func TestSubmitConcurrentPostsRecordOnce(t *testing.T) {
	lf := newLinkFixture(t)
	target := submitURL(lf.token("intime", "snv", signlink.ActionSubmit))
	const n = 8
	type result struct {
		code int
		body string
	}
	results := make(chan result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(submitForm(fmt.Sprintf("%d/BC", i), "2026-06-10").Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.RemoteAddr = fmt.Sprintf("203.0.113.%d:1", i+1)
			rec := httptest.NewRecorder()
			lf.h.ServeHTTP(rec, req)
			results <- result{rec.Code, rec.Body.String()}
		}()
	}
	wg.Wait()
	close(results)
	recorded := 0
	for r := range results {
		switch {
		case r.code == http.StatusOK && strings.Contains(r.body, "<h1>Đã ghi nhận</h1>"):
			recorded++
		case r.code == http.StatusOK && strings.Contains(r.body, "Báo cáo này đã được ghi nhận trước đó"):
		default:
			t.Errorf("POST = %d\n%s", r.code, r.body)
		}
	}
	if recorded != 1 {
		t.Errorf("%d POSTs say they recorded, want 1", recorded)
	}
}

// A link does not override a waiver: the duty stays waived, and the
// agency's confirmation is kept in the audit log for the admins.
func TestSubmitWaivedDuty(t *testing.T) {
	lf := newLinkFixture(t)
	code, body := lf.post(submitURL(lf.token("waived", "evil", signlink.ActionSubmit)), submitForm("1/BC", "2000-01-01"))
	if code != http.StatusOK || !strings.Contains(body, "Nghĩa vụ này đã được miễn thực hiện") || !strings.Contains(body, "1/BC") {
		t.Errorf("POST = %d\n%s", code, body)
	}
	tl, err := lf.store.Timeline(context.Background(), lf.ids["waived"])
	if err != nil {
		t.Fatal(err)
	}
	if tl.Occurrence.State != duty.StateWaived || tl.Submission != nil || tl.Waiver == nil {
		t.Fatalf("state %s, submission %+v, waiver %+v: the link overrode the waiver", tl.Occurrence.State, tl.Submission, tl.Waiver)
	}
	var logged bool
	for _, a := range tl.Audit {
		if a.Action == "occurrence.link_confirmed_waived" && a.Actor == "link:evil" && strings.Contains(a.Detail, `"ref":"1/BC"`) {
			logged = true
		}
	}
	if !logged {
		t.Errorf("the confirmation is not in the audit log: %+v", tl.Audit)
	}
	if _, body := lf.get(fmt.Sprintf("/nghia-vu/%d", lf.ids["waived"])); strings.Contains(body, "1/BC") {
		t.Error("the public page shows the confirmation meant for the admins")
	}
}

func TestSubmitBadFormChangesNothing(t *testing.T) {
	lf := newLinkFixture(t)
	target := submitURL(lf.token("soon", "stp", signlink.ActionSubmit))
	before := lf.snapshot()
	long := strings.Repeat("Đ", maxRefLen+1)
	for _, tc := range []struct {
		name     string
		ref, on  string
		want     string
		noFields bool
	}{
		{"no ref", "", "2026-06-10", "Xin ghi số, ký hiệu văn bản", false},
		{"blank ref", "   ", "2026-06-10", "Xin ghi số, ký hiệu văn bản", false},
		{"ref too long", long, "2026-06-10", "quá mức 100 ký tự", false},
		{"tab in ref", "12/\tBC", "2026-06-10", "ký tự điều khiển", false},
		{"line feed in ref", "12/BC\nX-Injected: 1", "2026-06-10", "ký tự điều khiển", false},
		{"NUL in ref", "12/BC\x00", "2026-06-10", "ký tự điều khiển", false},
		{"DEL in ref", "12/BC\x7f", "2026-06-10", "ký tự điều khiển", false},
		{"C1 control in ref", "12/\u0085BC", "2026-06-10", "ký tự điều khiển", false},
		{"bidi override in ref", "12/\u202eCB", "2026-06-10", "ký tự ẩn", false},
		{"zero-width space in ref", "12/\u200bBC", "2026-06-10", "ký tự ẩn", false},
		{"line separator in ref", "12/\u2028BC", "2026-06-10", "ký tự điều khiển", false},
		{"invalid UTF-8 in ref", "12/\xffBC", "2026-06-10", "ký tự không hợp lệ", false},
		{"no date", "12/BC", "", "Xin ghi ngày gửi", false},
		{"Vietnamese date order", "12/BC", "10/06/2026", "năm-tháng-ngày", false},
		{"one-digit month", "12/BC", "2026-6-10", "năm-tháng-ngày", false},
		{"signed month", "12/BC", "2026-+6-10", "năm-tháng-ngày", false},
		{"month 13", "12/BC", "2026-13-01", "ngày có thật", false},
		{"30 February", "12/BC", "2026-02-30", "ngày có thật", false},
		{"date and time", "12/BC", "2026-06-10T10:00", "năm-tháng-ngày", false},
		{"tomorrow", "12/BC", "2026-06-16", "trong tương lai", false},
		{"far future", "12/BC", "9999-12-31", "trong tương lai", false},
		{"before 2000", "12/BC", "1999-12-31", "không được trước ngày 01/01/2000", false},
		{"year 0001", "12/BC", "0001-01-01", "không được trước ngày 01/01/2000", false},
		{"empty body", "", "", "Xin ghi", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lf.freshBudget() // this test is about the form, not the rate limit
			form := submitForm(tc.ref, tc.on)
			if tc.noFields {
				form = url.Values{}
			}
			code, body := lf.post(target, form)
			if code != http.StatusBadRequest || !strings.Contains(body, tc.want) {
				t.Errorf("POST = %d, want 400 with %q\n%s", code, tc.want, body)
			}
			if !strings.Contains(body, "Chưa ghi nhận:") || !strings.Contains(body, `<form method="post"`) {
				t.Error("the form is not shown again with the error")
			}
		})
	}
	// The typed values come back, escaped.
	lf.freshBudget()
	_, body := lf.post(target, submitForm(`<script>alert("x")</script>`+"\tX", "2026-06-10"))
	if strings.Contains(body, "<script>") || !strings.Contains(body, `value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) {
		t.Errorf("typed value not echoed escaped\n%s", body)
	}
	// A body over the limit.
	code, _ := lf.post(target, submitForm(strings.Repeat("x", maxLinkFormBytes), "2026-06-10"))
	if code != http.StatusRequestEntityTooLarge {
		t.Errorf("huge POST = %d, want 413", code)
	}
	// Not a form at all.
	res, _ := lf.linkRequest(http.MethodPost, target, nil, "", map[string]string{"Content-Type": "application/json"})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("JSON POST = %d, want 400", res.StatusCode)
	}
	if after := lf.snapshot(); after != before {
		t.Errorf("bad forms changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// The edges that are accepted: exactly 100 characters (decomposed input
// counted after NFC), today, and 1 January 2000.
func TestSubmitFormEdgesAccepted(t *testing.T) {
	lf := newLinkFixture(t)
	decomposed := "O\u0309" // "Ỏ" as a Mac types it: two code points, one character
	ref := strings.Repeat(decomposed, maxRefLen)
	code, body := lf.post(submitURL(lf.token("soon", "stp", signlink.ActionSubmit)), submitForm(ref, "2026-06-15"))
	if code != http.StatusOK || !strings.Contains(body, "<h1>Đã ghi nhận</h1>") {
		t.Fatalf("100 characters = %d\n%s", code, body)
	}
	tl, _ := lf.store.Timeline(context.Background(), lf.ids["soon"])
	if tl.Submission == nil || tl.Submission.Ref != strings.Repeat("Ỏ", maxRefLen) {
		t.Errorf("stored ref not NFC: %+v", tl.Submission)
	}
	code, body = lf.post(submitURL(lf.token("lastyear", "stp", signlink.ActionSubmit)), submitForm("1/BC", "2000-01-01"))
	if code != http.StatusOK || !strings.Contains(body, "Tự khai, chờ xác nhận") {
		t.Errorf("2000-01-01 = %d\n%s", code, body)
	}
}

func TestExtensionRequest(t *testing.T) {
	lf := newLinkFixture(t)
	target := extendURL(lf.token("soon", "stp", signlink.ActionExtend))
	code, body := lf.get(target)
	if code != http.StatusOK {
		t.Fatalf("GET = %d\n%s", code, body)
	}
	for _, want := range []string{"Xin gia hạn nộp báo cáo", "Hạn đề nghị", "Lý do", `name="han-moi"`, `name="ly-do"`,
		`min="2026-06-21"`, `max="2027-06-21"`, "Thứ Bảy, 20/06/2026", "Sở Nội vụ"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	before := lf.snapshot()
	code, body = lf.post(target, extendForm("2026-07-15", "Chờ số liệu\r\ncủa Bộ Nội vụ"))
	if code != http.StatusOK || !strings.Contains(body, "Đã gửi đề nghị gia hạn") || !strings.Contains(body, "Thứ Tư, 15/07/2026") ||
		!strings.Contains(body, "chưa thay đổi") {
		t.Fatalf("POST = %d\n%s", code, body)
	}
	want := extRequest{lf.ids["soon"], "stp", d("2026-07-15"), "Chờ số liệu\ncủa Bộ Nội vụ"}
	if len(lf.requests) != 1 || lf.requests[0] != want {
		t.Errorf("requests = %+v, want %+v", lf.requests, want)
	}
	// The request grants nothing: the deadline stands (the fake writes
	// nothing, and neither may the handler).
	if after := lf.snapshot(); after != before {
		t.Errorf("the extension request changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	o, _ := lf.store.Occurrence(context.Background(), lf.ids["soon"])
	if o.Deadline != d("2026-06-20") || o.ExtendedDue != 0 {
		t.Errorf("deadline moved: %+v", o)
	}
}

func TestExtensionBadFormCallsNothing(t *testing.T) {
	lf := newLinkFixture(t)
	target := extendURL(lf.token("soon", "stp", signlink.ActionExtend)) // deadline 2026-06-20, today 2026-06-15
	for _, tc := range []struct{ until, reason, want string }{
		{"2026-06-20", "Lý do", "phải sau hạn hiện tại"},
		{"2026-06-01", "Lý do", "phải sau hạn hiện tại"},
		{"2027-06-22", "Lý do", "không được quá ngày 21/06/2027"},
		{"", "Lý do", "Xin ghi hạn đề nghị"},
		{"20/07/2026", "Lý do", "năm-tháng-ngày"},
		{"2026-07-20", "", "Xin ghi lý do"},
		{"2026-07-20", " \r\n ", "Xin ghi lý do"},
		{"2026-07-20", strings.Repeat("a", maxReasonLen+1), "quá mức 1000 ký tự"},
		{"2026-07-20", "Lý\tdo", "ký tự điều khiển"},
		{"2026-07-20", "Lý\u202edo", "ký tự ẩn"},
	} {
		code, body := lf.post(target, extendForm(tc.until, tc.reason))
		if code != http.StatusBadRequest || !strings.Contains(body, tc.want) || !strings.Contains(body, "Chưa gửi được đề nghị:") {
			t.Errorf("POST %q %q = %d, want 400 with %q\n%s", tc.until, tc.reason, code, tc.want, body)
		}
	}
	// Overdue: the new date may not be before today either.
	code, body := lf.post(extendURL(lf.token("overdue", "evil", signlink.ActionExtend)), extendForm("2026-06-10", "Lý do"))
	if code != http.StatusBadRequest || !strings.Contains(body, "không được trước ngày hôm nay") {
		t.Errorf("overdue, before today = %d\n%s", code, body)
	}
	if len(lf.requests) != 0 {
		t.Errorf("bad forms requested extensions: %+v", lf.requests)
	}
}

func TestExtensionForDutyNoLongerOwed(t *testing.T) {
	lf := newLinkFixture(t)
	for _, name := range []string{"ontime", "waived"} {
		agency := map[string]string{"ontime": "stp", "waived": "evil"}[name]
		target := extendURL(lf.token(name, agency, signlink.ActionExtend))
		code, body := lf.get(target)
		if code != http.StatusOK || !strings.Contains(body, "không cần gia hạn") || strings.Contains(body, "<form") {
			t.Errorf("GET %s = %d\n%s", name, code, body)
		}
		if code, _ := lf.post(target, extendForm("2026-12-01", "Lý do")); code != http.StatusConflict {
			t.Errorf("POST %s = %d, want 409", name, code)
		}
	}
	if len(lf.requests) != 0 {
		t.Errorf("requests = %+v", lf.requests)
	}
}

func TestExtensionWithoutOrFailingRecorder(t *testing.T) {
	lf := newLinkFixture(t)
	target := extendURL(lf.token("soon", "stp", signlink.ActionExtend))
	lf.srv.RequestExtension = nil
	code, body := lf.post(target, extendForm("2026-07-15", "Lý do"))
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "liên hệ trực tiếp Sở Nội vụ") {
		t.Errorf("nil recorder: %d\n%s", code, body)
	}
	lf.srv.RequestExtension = func(context.Context, int64, string, schedule.Date, string) error {
		return errors.New("disk full at /var/lib/nhachan (admin@t.example)")
	}
	code, body = lf.post(target, extendForm("2026-07-15", "Lý do"))
	if code != http.StatusInternalServerError || !strings.Contains(body, "Sở Nội vụ") || strings.Contains(body, "disk full") {
		t.Errorf("failing recorder: %d\n%s", code, body)
	}
}

// Forms are authorised by the token in the URL, so the only cross-site
// risk is a hostile page posting a token it learnt: refused when the
// browser says the POST is cross-site.
func TestCrossSitePostsRefused(t *testing.T) {
	lf := newLinkFixture(t)
	target := submitURL(lf.token("soon", "stp", signlink.ActionSubmit))
	before := lf.snapshot()
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Sec-Fetch-Site": "cross-site", "Origin": "http://example.com"},
		{"Origin": "https://evil.example"},
		{"Origin": "null"},
		{"Origin": "http://example.com.evil.example"},
	} {
		res, body := lf.linkRequest(http.MethodPost, target, submitForm("1/BC", "2026-06-10"), "", h)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Yêu cầu bị từ chối") {
			t.Errorf("POST with %v = %d\n%s", h, res.StatusCode, body)
		}
	}
	if after := lf.snapshot(); after != before {
		t.Error("a cross-site POST changed the database")
	}
	// Same-origin by Sec-Fetch-Site, by Origin against Host, and by Origin
	// against the public URL (behind a proxy that rewrites Host).
	lf.rt.Setup.PublicURL = "https://nhachan.example.gov.vn"
	for i, tc := range []struct {
		occ, agency string
		h           map[string]string
	}{
		{"soon", "stp", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"}},
		{"intime", "snv", map[string]string{"Origin": "http://example.com"}},
		{"hostile", "evil", map[string]string{"Origin": "https://nhachan.example.gov.vn"}},
	} {
		res, body := lf.linkRequest(http.MethodPost, submitURL(lf.token(tc.occ, tc.agency, signlink.ActionSubmit)),
			submitForm(fmt.Sprintf("%d/BC", i), "2026-06-10"), "", tc.h)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>Đã ghi nhận</h1>") {
			t.Errorf("POST with %v = %d\n%s", tc.h, res.StatusCode, body)
		}
	}
}

// The limit is per verified link: its holder, wherever they are, gets a
// burst and then one POST every 6 seconds; other links are not affected,
// and neither is the holder's address for other links.
func TestLinkPostsRateLimited(t *testing.T) {
	lf := newLinkFixture(t)
	target := submitURL(lf.token("soon", "stp", signlink.ActionSubmit))
	bad := submitForm("", "") // a 400 that changes nothing
	before := lf.snapshot()
	for i := range linkPostBurst {
		// From a new address each time: the address does not matter.
		res, _ := lf.linkRequest(http.MethodPost, target, bad, "", nil)
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("POST %d = %d, want 400", i+1, res.StatusCode)
		}
	}
	res, body := lf.linkRequest(http.MethodPost, target, submitForm("1/BC", "2026-06-10"), "", nil)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "6" ||
		!strings.Contains(body, "Quá nhiều yêu cầu") || !strings.Contains(body, "khoảng 6 giây") {
		t.Fatalf("POST after the burst = %d, Retry-After %q\n%s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if res.Header.Get("Content-Security-Policy") == "" {
		t.Error("the 429 lacks the security headers")
	}
	// Rate limiting changed nothing, even for a valid form.
	if after := lf.snapshot(); after != before {
		t.Error("a rate-limited POST changed the database")
	}
	// GETs are never limited; other links are not affected.
	if code, _ := lf.get(target); code != http.StatusOK {
		t.Errorf("GET while limited = %d", code)
	}
	other := submitURL(lf.token("intime", "snv", signlink.ActionSubmit))
	if res, _ := lf.linkRequest(http.MethodPost, other, bad, "", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("another link = %d", res.StatusCode)
	}
	// Six seconds later there is one POST again.
	lf.now = lf.now.Add(6 * time.Second)
	if res, _ := lf.linkRequest(http.MethodPost, target, bad, "", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("after 6s = %d, want 400", res.StatusCode)
	}
	if res, _ := lf.linkRequest(http.MethodPost, target, bad, "", nil); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("again at once = %d, want 429", res.StatusCode)
	}
}

// 1,000 garbage tokens from one address (behind a proxy, the whole
// province's) are cheap 403s that spend nobody's budget: a valid link's
// POST from the same address right after records.
func TestGarbageTokensDoNotStopValidLink(t *testing.T) {
	lf := newLinkFixture(t)
	const addr = "127.0.0.1:40000"
	valid := lf.token("soon", "stp", signlink.ActionSubmit)
	for i := range 1000 {
		garbage := submitURL(fmt.Sprintf("AQJrMQEAAAAAAAAA%04d.%s", i, strings.Repeat("A", 43)))
		res, _ := lf.linkRequest(http.MethodPost, garbage, submitForm("1/BC", "2026-06-10"), addr, nil)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("garbage token %d = %d, want 403", i, res.StatusCode)
		}
	}
	forged := submitURL(tamper(t, valid, func(p []byte) []byte { p[len(p)-1] ^= 1; return p }))
	for range 100 {
		if res, _ := lf.linkRequest(http.MethodPost, forged, submitForm("1/BC", "2026-06-10"), addr, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("forged token = %d, want 403", res.StatusCode)
		}
	}
	res, body := lf.linkRequest(http.MethodPost, submitURL(valid), submitForm("2/BC", "2026-06-15"), addr, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>Đã ghi nhận</h1>") {
		t.Fatalf("the valid link after 1,100 bad ones = %d\n%s", res.StatusCode, body)
	}
}

// Hostile task and agency names are escaped on every link page, and no
// page shows an e-mail address.
func TestLinkPagesEscapeAndHideAddresses(t *testing.T) {
	lf := newLinkFixture(t)
	sub := submitURL(lf.token("hostile", "evil", signlink.ActionSubmit))
	ext := extendURL(lf.token("hostile", "evil", signlink.ActionExtend))
	expired := submitURL(linkSign(t, lf.signer, signlink.Claims{Occurrence: lf.ids["hostile"], Agency: "evil",
		Action: signlink.ActionSubmit, Expires: today.Add(-time.Minute)}))
	pages := map[string]string{}
	get := func(name, target string) {
		_, pages[name] = lf.get(target)
	}
	get("submit form", sub)
	get("extension form", ext)
	get("expired", expired)
	get("ontime, already", submitURL(lf.token("ontime", "stp", signlink.ActionSubmit)))
	_, pages["bad form"] = lf.post(sub, submitForm("<b>x</b>\x00", "2026-06-10"))
	_, pages["extension sent"] = lf.post(ext, extendForm("2026-12-31", "<script>alert(1)</script> gửi tới a@b.example"))
	_, pages["submitted"] = lf.post(sub, submitForm("<i>7</i>/BC hỏi x@y.example", "2026-06-10"))
	_, pages["repeat"] = lf.post(sub, submitForm("8/BC", "2026-06-10"))
	for name, body := range pages {
		for _, bad := range []string{"<script", "<b>", "<i>", "alert(\"x\")", "\r\nX-Injected", "'Độc'"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: body holds %q unescaped", name, bad)
			}
		}
		if i := strings.Index(body, "@"); i >= 0 {
			t.Errorf("%s shows %q", name, body[max(0, i-40):min(len(body), i+40)])
		}
	}
	for _, name := range []string{"submit form", "extension form", "submitted"} {
		if !strings.Contains(pages[name], "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Sở &#39;Độc&#39; &#34;hại&#34;") {
			t.Errorf("%s lacks the escaped agency name\n%s", name, pages[name])
		}
		if !strings.Contains(pages[name], "T&lt;script&gt;&#34;&#39;") {
			t.Errorf("%s lacks the escaped task id", name)
		}
	}
	if !strings.Contains(pages["expired"], "&lt;script&gt;") {
		t.Errorf("the expired page does not name the duty\n%s", pages["expired"])
	}
}

func TestLinkPagesHeadersAndMethods(t *testing.T) {
	lf := newLinkFixture(t)
	target := submitURL(lf.token("soon", "stp", signlink.ActionSubmit))
	srv := newTestServer(t, lf.fixture)
	res, err := http.Head(srv + target)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
		res.Header.Get("Cache-Control") != "no-store" || res.Header.Get("Referrer-Policy") != "no-referrer" ||
		!strings.Contains(res.Header.Get("Content-Security-Policy"), "form-action 'self'") {
		t.Errorf("HEAD = %d %v", res.StatusCode, res.Header)
	}
	res2, _ := lf.linkRequest(http.MethodPut, target, nil, "", nil)
	if res2.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(res2.Header.Get("Allow"), "POST") {
		t.Errorf("PUT = %d, Allow %q", res2.StatusCode, res2.Header.Get("Allow"))
	}
	for _, p := range []string{"/xac-nhan/", "/gia-han/", "/xac-nhan/a/b"} {
		if code, _ := lf.get(p); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, code)
		}
	}
	// Links not configured: a Vietnamese 404, nothing else.
	lf.rt.Links = nil
	if code, body := lf.get(target); code != http.StatusNotFound || !strings.Contains(body, "Liên kết chưa được bật") {
		t.Errorf("no signer: %d\n%s", code, body)
	}
}

func TestBelongs(t *testing.T) {
	o := duty.Occurrence{AgencyID: "new", NamedAgencyID: "old"}
	for agency, want := range map[string]bool{"new": true, "old": true, "other": false, "": false} {
		if got := belongs(o, agency); got != want {
			t.Errorf("belongs(%q) = %v", agency, got)
		}
	}
	if belongs(duty.Occurrence{NamedAgencyID: "x"}, "") {
		t.Error("an empty agency belongs to an unassigned row")
	}
}
