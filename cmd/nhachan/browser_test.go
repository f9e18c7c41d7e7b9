package main

// Browser tests: the real nhachan binary serves its pages to a headless
// Chromium driven with chromedp, while Mailpit receives the reminders. They
// walk the paths an official and an admin take: the board, the signed
// "Xác nhận đã nộp" link from a reminder, and the admin's waiver. The
// screenshots they take are kept as test artifacts.

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

const (
	// browserTimeout bounds everything one test does in the browser.
	browserTimeout = 60 * time.Second
	// browserAdminUser and browserAdminPassword are the generated admin.
	browserAdminUser     = "quantri"
	browserAdminName     = "Quản trị viên thử nghiệm"
	browserAdminPassword = "mat-khau-thu-nghiem-2026"
	// minScreenshotBytes is the least a real page's PNG weighs; a blank or
	// broken capture is far smaller.
	minScreenshotBytes = 10_000
)

// chromiumPath finds the Chromium binary: /usr/bin/chromium (the Debian
// package) or chromium on PATH. No browser is a failure, not a skip: CI
// installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if st, err := os.Stat("/usr/bin/chromium"); err == nil && !st.IsDir() {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("Chromium not found (neither /usr/bin/chromium nor chromium on PATH): the browser tests need it; " +
		"install it with `apt-get update && apt-get install -y chromium` (.ci/run does)")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// tab's context, bounded by browserTimeout. t.Cleanup closes the browser
// and waits for its process to end.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	out := &lockedBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// The machine has no network: without these Chromium keeps
		// calling home and floods the log with refused connections.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(out),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tctx, cancelTimeout := context.WithTimeout(actx, browserTimeout)
	ctx, cancelTab := chromedp.NewContext(tctx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelTimeout()
		cancelAlloc() // waits for the browser process to end
		if t.Failed() {
			// Without a system bus Chromium logs D-Bus errors by the
			// dozen; they say nothing about the test.
			var lines []string
			for _, l := range strings.Split(out.String(), "\n") {
				if !strings.Contains(l, "dbus/") {
					lines = append(lines, l)
				}
			}
			t.Logf("chromium output (D-Bus errors left out):\n%s", tail(strings.Join(lines, "\n"), 40))
		}
	})
	return ctx
}

// browserFreePort is a TCP port free on 127.0.0.1 a moment ago.
func browserFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// writeBrowserConfig writes a configuration for the web pages: the
// generated one of processhelp_test.go (agencies, one task due in 3 days,
// Mailpit as SMTP), plus public_url, a signed-link key (mode 0600) and one
// admin with a bcrypt hash of browserAdminPassword.
func writeBrowserConfig(t *testing.T, mp *mailpittest.Server, agencies int, publicURL string) *procConfig {
	t.Helper()
	c := writeProcConfig(t, agencies, smtpURL(mp), 3)

	key, err := signlink.GenerateKey("kbrowser", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(c.Dir, "links.key")
	if err := os.WriteFile(keyFile, signlink.FormatKey(key), 0o600); err != nil {
		t.Fatal(err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(browserAdminPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(c.File, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = fmt.Fprintf(f, `public_url: %q
links:
  key_file: %q
admins:
  - user: %s
    name: %q
    password_hash: %q
`, publicURL, keyFile, browserAdminUser, browserAdminName, hash)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// browserArtifactDir is where screenshots go: $NHACHAN_ARTIFACTS, else
// var/test-artifacts at the repository's root (var/ is git-ignored).
func browserArtifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NHACHAN_ARTIFACTS")
	if dir == "" {
		root, err := filepath.Abs(".")
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				t.Fatal("cannot find the repository root (go.mod) for the test artifacts; set NHACHAN_ARTIFACTS")
			}
			root = parent
		}
		dir = filepath.Join(root, "var", "test-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifact folder: %v", err)
	}
	return dir
}

// browserScreenshot saves a full-page PNG of the current page as an artifact,
// after checking it decodes and is not trivially small.
func browserScreenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	if b := img.Bounds(); len(buf) < minScreenshotBytes || b.Dx() < 300 || b.Dy() < 300 {
		t.Fatalf("screenshot %s looks empty: %d bytes, %dx%d", name, len(buf), b.Dx(), b.Dy())
	}
	path := filepath.Join(browserArtifactDir(t), name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s: %s (%d bytes, %dx%d)", name, path, len(buf), img.Bounds().Dx(), img.Bounds().Dy())
	return path
}

// browserDo runs actions in the tab, failing the test with what was being done.
func browserDo(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %s: %v", what, err)
	}
}

// browserGet runs one action that returns a value.
func browserGet[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %s: %v", what, err)
	}
	return v
}

// browserNavigate runs steps that load a page (Navigate, or a Click that
// submits a form) and checks the document's HTTP status.
func browserNavigate(t *testing.T, ctx context.Context, what string, want int, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("browser: %s: %v", what, err)
	}
	if resp == nil {
		t.Fatalf("browser: %s: no HTTP response", what)
	}
	if int(resp.Status) != want {
		body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("browser: %s: %s answered %d, want %d\n%s", what, resp.URL, resp.Status, want, body)
	}
}

func browserWantContains(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q does not contain %q", what, got, w)
		}
	}
}

// reminderConfirmURL waits for the reminder sent to addr and returns the
// "Xác nhận đã nộp" link of its text body.
func reminderConfirmURL(t *testing.T, mp *mailpittest.Server, addr, publicURL string) string {
	t.Helper()
	var id string
	pollUntil(t, 60*time.Second, "the reminder to "+addr+" in Mailpit", func() bool {
		for _, m := range searchMessages(t, mp, "to:"+addr) {
			id = m.ID
			return true
		}
		return false
	})
	msg := mp.Message(t, id)
	re := regexp.MustCompile(`Xác nhận đã nộp:\s*(\S+/xac-nhan/\S+)`)
	m := re.FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("the reminder to %s (%q) has no \"Xác nhận đã nộp\" link:\n%s", addr, msg.Subject, msg.Text)
	}
	if !strings.HasPrefix(m[1], publicURL+"/xac-nhan/") {
		t.Fatalf("the confirmation link %s does not start with the public URL %s", m[1], publicURL)
	}
	t.Logf("reminder %q to %s links %s", msg.Subject, addr, m[1])
	return m[1]
}

var linkOccurrencePath = regexp.MustCompile(`^/nghia-vu/([0-9]+)$`)

// linkOccurrenceID reads the id out of a /nghia-vu/{id} link.
func linkOccurrenceID(t *testing.T, href string) int64 {
	t.Helper()
	m := linkOccurrencePath.FindStringSubmatch(href)
	if m == nil {
		t.Fatalf("%q is not an occurrence link", href)
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// boardChipSel selects the board's cell link of one agency (one task, so
// one chip per row).
func boardChipSel(agencyID string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf(`table.board tr:has(th.agency a[href^="/co-quan/%s?"]) a.chip`, agencyID))
}

// TestBrowserSubmitAndAdminWaive is the browser test: the board,
// a reminder's signed link followed and submitted, the board and the
// timeline changed; then an admin logs in and waives another agency's
// occurrence.
func TestBrowserSubmitAndAdminWaive(t *testing.T) {
	chromiumPath(t) // fail before building anything when there is no browser
	mp := mailpittest.Start(t)
	port := browserFreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	c := writeBrowserConfig(t, mp, 3, base)
	year := c.Due[0].Year()
	srv := startProc(t, "serve", 3*time.Minute, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--config", c.File)
	srv.waitStarted()
	srv.waitLog(30*time.Second, "the web server listening", msgIs("web pages, /healthz and /metrics"))
	t.Cleanup(func() {
		if !srv.exited() {
			srv.stop()
		}
	})

	ctx := newBrowser(t)
	started := time.Now()
	boardURL := fmt.Sprintf("%s/?nam=%d", base, year)

	// 1. The board.
	browserNavigate(t, ctx, "open the board", http.StatusOK, chromedp.Navigate(boardURL))
	title := browserGet(t, ctx, "read the title", chromedp.Title())
	browserWantContains(t, "board title", title, "Bảng theo dõi thực hiện nhiệm vụ năm "+strconv.Itoa(year), "Hệ thống nhắc hạn")
	h1 := browserGet(t, ctx, "read the heading", chromedp.Text(chromedp.CSS("main h1")))
	browserWantContains(t, "board heading", h1, "Bảng theo dõi thực hiện nhiệm vụ năm "+strconv.Itoa(year))
	cells := browserGet(t, ctx, "list the board's cells", chromedp.Nodes(chromedp.CSSAll("table.board tbody a.chip")))
	if len(cells) != c.Agencies {
		t.Fatalf("the board has %d cells, want %d (one task × %d agencies)", len(cells), c.Agencies, c.Agencies)
	}
	rows := browserGet(t, ctx, "read the board", chromedp.Text(chromedp.CSS("table.board")))
	browserWantContains(t, "board table", rows, "Cơ quan thử nghiệm số 1", "Cơ quan thử nghiệm số 2", "Cơ quan thử nghiệm số 3", "I.1")
	href2 := browserGet(t, ctx, "find agency 2's cell", chromedp.AttributeValue(boardChipSel("co-quan-002"), "href"))
	occ2 := linkOccurrenceID(t, href2.Value)
	browserScreenshot(t, ctx, "board")

	// 2. The reminder's signed link: GET shows the form, POST records.
	confirmURL := reminderConfirmURL(t, mp, agencyAddr(1), base)
	browserNavigate(t, ctx, "open the confirmation link", http.StatusOK, chromedp.Navigate(confirmURL))
	browserDo(t, ctx, "wait for the confirmation form", chromedp.WaitVisible(chromedp.ID("so-ky-hieu")))
	h1 = browserGet(t, ctx, "read the confirmation heading", chromedp.Text(chromedp.CSS("main h1")))
	browserWantContains(t, "confirmation heading", h1, "Xác nhận đã nộp báo cáo")
	facts := browserGet(t, ctx, "read the confirmation facts", chromedp.Text(chromedp.CSS("dl.facts")))
	browserWantContains(t, "confirmation facts", facts, "I.1", "Báo cáo thử nghiệm số 1", "Cơ quan thử nghiệm số 1")
	browserScreenshot(t, ctx, "confirmation")

	const ref = "123/BC-STP"
	browserDo(t, ctx, "type the số ký hiệu", chromedp.SendKeys(chromedp.ID("so-ky-hieu"), ref))
	if v := browserGet(t, ctx, "read the số ký hiệu back", chromedp.Value(chromedp.ID("so-ky-hieu"))); v != ref {
		t.Fatalf("the số ký hiệu field holds %q, want %q", v, ref)
	}
	browserNavigate(t, ctx, "submit the confirmation", http.StatusOK,
		chromedp.Click(chromedp.CSS(`form.link-form button[type="submit"]`)))
	h1 = browserGet(t, ctx, "read the result heading", chromedp.Text(chromedp.CSS("main h1")))
	if h1 != "Đã ghi nhận" {
		t.Fatalf("after submitting, the heading is %q, want %q", h1, "Đã ghi nhận")
	}
	facts = browserGet(t, ctx, "read the recorded facts", chromedp.Text(chromedp.CSS("dl.facts")))
	browserWantContains(t, "recorded facts", facts, ref)
	href1 := browserGet(t, ctx, "find the timeline link", chromedp.AttributeValue(chromedp.CSS(`main a[href^="/nghia-vu/"]`), "href"))
	occ1 := linkOccurrenceID(t, href1.Value)
	browserScreenshot(t, ctx, "confirmation-done")

	// The board and the occurrence's timeline show the submission.
	browserNavigate(t, ctx, "open the board again", http.StatusOK, chromedp.Navigate(boardURL))
	chip1 := browserGet(t, ctx, "read agency 1's cell", chromedp.AttributeValue(boardChipSel("co-quan-001"), "class"))
	browserWantContains(t, "agency 1's cell on the board", chip1.Value, "s-dung-han")
	legend := browserGet(t, ctx, "read the legend", chromedp.Text(chromedp.CSS("ul.legend")))
	browserWantContains(t, "board legend", legend, "Đã nộp đúng hạn: 1")

	browserNavigate(t, ctx, "open agency 1's occurrence", http.StatusOK, chromedp.Navigate(fmt.Sprintf("%s/nghia-vu/%d", base, occ1)))
	state := browserGet(t, ctx, "read the occurrence's state", chromedp.Text(chromedp.CSS("main span.chip")))
	if !strings.Contains(strings.ToLower(state), "đã nộp") {
		t.Errorf("agency 1's occurrence shows the state %q, want đã nộp", state)
	}
	timeline := browserGet(t, ctx, "read the timeline", chromedp.Text(chromedp.CSS("ol.timeline")))
	browserWantContains(t, "agency 1's timeline", timeline, "Ghi nhận đã nộp", ref, "— thư nhắc hạn")
	if n := len(browserGet(t, ctx, "list the submission entries", chromedp.Nodes(chromedp.CSSAll("ol.timeline > li.submission")))); n != 1 {
		t.Errorf("the timeline lists %d submissions, want 1", n)
	}

	// 3. An admin logs in and waives agency 2's occurrence.
	browserNavigate(t, ctx, "open the login page", http.StatusOK, chromedp.Navigate(base+"/quan-tri/dang-nhap"))
	browserDo(t, ctx, "fill in the login form",
		chromedp.SendKeys(chromedp.CSS(`input[name="ten-dang-nhap"]`), browserAdminUser),
		chromedp.SendKeys(chromedp.CSS(`input[name="mat-khau"]`), browserAdminPassword))
	browserNavigate(t, ctx, "log in", http.StatusOK,
		chromedp.Click(chromedp.CSS(`form[action="/quan-tri/dang-nhap"] button[type="submit"]`)))
	if loc := browserGet(t, ctx, "read the location after login", chromedp.Location()); strings.Contains(loc, "dang-nhap") {
		t.Fatalf("still on the login page after logging in: %s", loc)
	}
	nav := browserGet(t, ctx, "read the admin bar", chromedp.Text(chromedp.CSS("nav.filters")))
	browserWantContains(t, "admin bar", nav, "Đang đăng nhập: "+browserAdminName)

	adminOcc := fmt.Sprintf("%s/quan-tri/nghia-vu/%d", base, occ2)
	browserNavigate(t, ctx, "open agency 2's occurrence as admin", http.StatusOK, chromedp.Navigate(adminOcc))
	const reason = "Cơ quan đã sáp nhập, không phải báo cáo kỳ này"
	waive := fmt.Sprintf(`form[action="/quan-tri/nghia-vu/%d/mien"]`, occ2)
	browserDo(t, ctx, "type the waiver's reason", chromedp.SendKeys(chromedp.CSS(waive+` textarea[name="ly-do"]`), reason))
	browserNavigate(t, ctx, "waive", http.StatusOK, chromedp.Click(chromedp.CSS(waive+` button[type="submit"]`)))
	loc := browserGet(t, ctx, "read the location after waiving", chromedp.Location())
	browserWantContains(t, "location after waiving", loc, fmt.Sprintf("/quan-tri/nghia-vu/%d?xong=mien", occ2))
	done := browserGet(t, ctx, "read the confirmation", chromedp.Text(chromedp.CSS(`main p.chip[role="status"]`)))
	browserWantContains(t, "admin confirmation", done, "Đã miễn thực hiện nghĩa vụ.")
	state = browserGet(t, ctx, "read the admin state", chromedp.Text(chromedp.CSS("main span.chip")))
	if !strings.Contains(strings.ToLower(state), "miễn") {
		t.Errorf("the admin page shows the state %q, want miễn", state)
	}
	timeline = browserGet(t, ctx, "read the admin timeline", chromedp.Text(chromedp.CSS("ol.timeline")))
	browserWantContains(t, "admin timeline", timeline, "Miễn thực hiện", reason)
	browserScreenshot(t, ctx, "admin-waived")

	browserNavigate(t, ctx, "open agency 2's public occurrence", http.StatusOK, chromedp.Navigate(fmt.Sprintf("%s/nghia-vu/%d", base, occ2)))
	state = browserGet(t, ctx, "read the public state", chromedp.Text(chromedp.CSS("main span.chip")))
	if !strings.Contains(strings.ToLower(state), "miễn") {
		t.Errorf("the public occurrence page shows the state %q, want miễn", state)
	}
	timeline = browserGet(t, ctx, "read the public timeline", chromedp.Text(chromedp.CSS("ol.timeline")))
	browserWantContains(t, "public timeline", timeline, "Miễn thực hiện")
	// The reason is the admins' business: the admin page shows it, the
	// public one does not.
	if strings.Contains(timeline, reason) {
		t.Errorf("the public timeline shows the waiver's reason: %q", timeline)
	}

	browserNavigate(t, ctx, "open the board a last time", http.StatusOK, chromedp.Navigate(boardURL))
	chip2 := browserGet(t, ctx, "read agency 2's cell", chromedp.AttributeValue(boardChipSel("co-quan-002"), "class"))
	browserWantContains(t, "agency 2's cell on the board", chip2.Value, "s-mien-gia-han")
	browserScreenshot(t, ctx, "board-after")
	t.Logf("browser steps took %s", time.Since(started).Round(time.Millisecond))
}
