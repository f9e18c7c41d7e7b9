package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/httpui"
)

// TestBrowserBoardOnAPhone reads the board at a phone's width (375 px,
// mobile emulation): every cell writes its state as text, visible, not
// only as a colour; the column headers and the task filter name the tasks;
// the header links the report and the admin login; an agency that ended
// before the year is hidden by default, said so, and shown marked on
// request.
func TestBrowserBoardOnAPhone(t *testing.T) {
	chromiumPath(t)
	mp := mailpittest.Start(t)
	port := browserFreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	c := writeBrowserConfig(t, mp, 3, base)
	year := c.Due[0].Year()
	// An agency of the group that ended before the year, with no
	// successor: its duties are unassigned.
	f, err := os.OpenFile(c.Directory, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, `  - id: co-quan-cu
    name: "Cơ quan thử nghiệm đã giải thể"
    groups: [cac-co-quan]
    email: ["cu@t.example"]
    head: {title: "Thủ trưởng", email: "tt.cu@t.example"}
    valid_until: %d-06-30
`, year-1)
	f.Close()

	srv := startProc(t, "serve", 3*time.Minute, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--config", c.File)
	srv.waitStarted()
	srv.waitLog(30*time.Second, "the web server listening", msgIs("web pages, /healthz and /metrics"))
	t.Cleanup(func() {
		if !srv.exited() {
			srv.stop()
		}
	})
	// Three states on the board: one submitted, one waived, one open.
	if code, out, errs := runCmd(t, time.Minute, "submit", "--config", c.File, "--task", "I.1", "--agency", "co-quan-001",
		"--period", c.Due[0].String(), "--ref", "1/BC"); code != 0 {
		t.Fatalf("submit: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCmd(t, time.Minute, "waive", "--config", c.File, "--task", "I.1", "--agency", "co-quan-002",
		"--period", c.Due[0].String(), "--reason", "Không phát sinh"); code != 0 {
		t.Fatalf("waive: exit %d\n%s%s", code, out, errs)
	}

	ctx := newBrowser(t)
	browserDo(t, ctx, "emulate a phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	boardURL := fmt.Sprintf("%s/?nam=%d", base, year)
	browserNavigate(t, ctx, "open the board", http.StatusOK, chromedp.Navigate(boardURL))
	if w := browserGet(t, ctx, "read the viewport width", chromedp.Evaluate[int]("window.innerWidth")); w != 375 {
		t.Fatalf("the viewport is %d px wide, want 375", w)
	}

	type cell struct {
		Class, Text string
		Width       float64
		Color, Bg   string
	}
	cells := browserGet(t, ctx, "read the cells", chromedp.Evaluate[[]cell](`Array.from(document.querySelectorAll("table.board tbody a.chip")).map(a => {
		const s = a.querySelector(".state"); const cs = s ? getComputedStyle(s) : null;
		return {Class: a.className, Text: a.innerText, Width: s ? s.getBoundingClientRect().width : 0,
			Color: cs ? cs.color : "", Bg: cs ? getComputedStyle(a).backgroundColor : ""};
	})`))
	if len(cells) != c.Agencies {
		t.Fatalf("the board has %d cells, want %d (the ended agency hidden)", len(cells), c.Agencies)
	}
	seen := map[string]bool{}
	for _, x := range cells {
		cls := strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(x.Class, "chip")), "s-")
		want := httpui.Status(cls).Short()
		if want == "" {
			t.Errorf("a cell has the unknown class %q", x.Class)
			continue
		}
		if !strings.Contains(x.Text, want) || x.Width < 20 || x.Color == x.Bg {
			t.Errorf("the cell %q does not show its state %q as visible text (width %.0f px, colour %s on %s)", x.Text, want, x.Width, x.Color, x.Bg)
		}
		seen[want] = true
	}
	for _, s := range []httpui.Status{httpui.OnTime, httpui.Excused, httpui.DueSoon} {
		if !seen[s.Short()] {
			t.Errorf("no cell reads %q: %v", s.Short(), cells)
		}
	}
	legend := browserGet(t, ctx, "read the legend", chromedp.Text(chromedp.CSS("ul.legend")))
	browserWantContains(t, "legend", legend, httpui.OnTime.Short()+" — Đã nộp đúng hạn: 1", httpui.Excused.Short()+" — Miễn/gia hạn: 1")
	head := browserGet(t, ctx, "read the column header", chromedp.Text(chromedp.CSS("table.board thead th.task")))
	browserWantContains(t, "column header", head, "I.1", "Báo cáo thử nghiệm số 1")
	opts := browserGet(t, ctx, "read the task filter", chromedp.Text(chromedp.CSS(`select[name="cong-viec"]`)))
	browserWantContains(t, "task filter", opts, "I.1 — Báo cáo thử nghiệm số 1")
	links := browserGet(t, ctx, "read the header's links", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("header a")).filter(a => a.getBoundingClientRect().width > 0).map(a => a.getAttribute("href"))`))
	browserWantContains(t, "header links", strings.Join(links, " "), fmt.Sprintf("/bao-cao?nam=%d", year), "/quan-tri/dang-nhap")
	if sw := browserGet(t, ctx, "measure the page", chromedp.Evaluate[int]("document.documentElement.scrollWidth")); sw > 375 {
		t.Errorf("the page is %d px wide at 375: only the board's table may scroll sideways", sw)
	}
	note := browserGet(t, ctx, "read the board's note", chromedp.Text(chromedp.CSS("main > p")))
	browserWantContains(t, "hidden agencies note", note, "Đã ẩn 1 cơ quan đã kết thúc hoạt động", "hiện các cơ quan này")
	browserScreenshot(t, ctx, "board-phone")

	browserNavigate(t, ctx, "show the ended agencies", http.StatusOK, chromedp.Click(chromedp.CSS(`main > p a[href*="hien-da-ket-thuc=1"]`)))
	ended := browserGet(t, ctx, "read the ended agency's row", chromedp.Text(chromedp.CSS(`table.board tr:has(a[href^="/co-quan/co-quan-cu?"]) th.agency`)))
	browserWantContains(t, "ended agency", ended, "Cơ quan thử nghiệm đã giải thể", fmt.Sprintf("hoạt động đến 30/06/%d", year-1))
	unassigned := browserGet(t, ctx, "read the ended agency's cell", chromedp.Text(boardChipSel("co-quan-cu")))
	browserWantContains(t, "ended agency's cell", unassigned, httpui.Unassigned.Short())
	browserScreenshot(t, ctx, "board-phone-ended")

	// The ended agency's own page says until when it worked.
	browserNavigate(t, ctx, "open the ended agency's page", http.StatusOK, chromedp.Navigate(fmt.Sprintf("%s/co-quan/co-quan-cu?nam=%d", base, year)))
	facts := browserGet(t, ctx, "read the ended agency's facts", chromedp.Text(chromedp.CSS("dl.facts")))
	browserWantContains(t, "ended agency's facts", facts, "Hoạt động đến ngày", fmt.Sprintf("30/06/%d", year-1))
}
