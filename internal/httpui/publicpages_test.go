package httpui

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// Secrets the seeded database holds that no public page may show: mail
// servers' replies with internal host names and addresses, the file
// outbox's server paths, addresses, and what admins wrote for each other
// (notes, the reasons of waivers, extensions, reopenings and extension
// requests).
var privateMarks = []string{
	"@", "mx1.noibo", "10.20.30.40", "relay.noibo", "192.168.5.5", "/var/lib/nhachan", ".eml", "written to",
	"250 2.0.0", "550 5.1.1", "421 4.7.0", "queued as",
	"Ghi chú nội bộ", "Lý do nội bộ", "chuyenvien", "Không phát sinh nội dung báo cáo", "Chờ số liệu của Bộ",
	"Đề nghị nội bộ", "Mở lại vì nội bộ",
}

// seedPrivate adds the secrets to the fixture's database through the
// store's own API.
func seedPrivate(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	o := f.ids["late"]
	_, err := f.store.Enqueue(ctx, []duty.Notification{
		{Key: fmt.Sprintf("occ/%d/R3/snv@t.example", o), OccurrenceID: o, Step: "R3", Recipient: "snv@t.example", Kind: "reminder"},
		{Key: fmt.Sprintf("occ/%d/R1/snv@t.example", o), OccurrenceID: o, Step: "R1", Recipient: "snv@t.example", Kind: "reminder"},
		{Key: fmt.Sprintf("occ/%d/R0/snv@t.example", o), OccurrenceID: o, Step: "R0", Recipient: "snv@t.example", Kind: "reminder"},
	})
	must(err)
	claimed, err := f.store.Claim(ctx, "w", time.Minute, 10)
	must(err)
	if len(claimed) != 3 {
		t.Fatalf("claimed %d", len(claimed))
	}
	must(f.store.MarkSent(ctx, "<m2@t.example>", "250 2.0.0 Ok: queued as 4F2A on mx1.noibo.snv [10.20.30.40]", claimed[0].ID))
	must(f.store.MarkSent(ctx, "<m3@t.example>", "written to /var/lib/nhachan/outbox/20260601-m3.eml", claimed[1].ID))
	must(f.store.MarkFailed(ctx, "421 4.7.0 relay.noibo.snv [192.168.5.5] try again later", false, f.now.Add(time.Hour), claimed[2].ID))
	must(f.store.CorrectSubmission(ctx, f.ids["late"], "", d("2026-03-25"), "Ghi chú nội bộ: đã gọi điện nhắc", "web:an"))
	must(f.store.RequestExtension(ctx, f.ids["intime"], "link:snv", d("2026-12-31"), "Đề nghị nội bộ: chờ số liệu"))
	must(f.store.Waive(ctx, f.ids["soon"], "Lý do nội bộ: trùng báo cáo khác", "web:an"))
	must(f.store.Reopen(ctx, f.ids["soon"], "Mở lại vì nội bộ nhầm", "web:an"))
	must(f.store.Extend(ctx, f.ids["intime"], d("2026-10-31"), "Lý do nội bộ: thiếu người", "web:an"))
}

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)

// Every public page of a seeded database, reached by following links from
// the board and the report, shows none of the secrets; the admin pages,
// behind the login, do show them.
func TestPublicPagesShowOnlyPublicFacts(t *testing.T) {
	f := newAdminFixture(t)
	seedPrivate(t, f)

	seen := map[string]bool{}
	queue := []string{"/", "/bao-cao", "/bao-cao.csv?nam=2026", "/bao-cao.csv?nam=2025"}
	for len(queue) > 0 && len(seen) < 1000 {
		target := queue[0]
		queue = queue[1:]
		if seen[target] {
			continue
		}
		seen[target] = true
		code, body := f.get(target)
		if code != http.StatusOK {
			t.Errorf("GET %s = %d", target, code)
			continue
		}
		for _, mark := range privateMarks {
			if i := strings.Index(body, mark); i >= 0 {
				t.Errorf("%s shows %q: …%s…", target, mark, body[max(0, i-60):min(len(body), i+60)])
			}
		}
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			next := html.UnescapeString(m[1])
			if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "/quan-tri") || strings.HasPrefix(next, "/static/") ||
				strings.HasSuffix(strings.SplitN(next, "?", 2)[0], ".xlsx") {
				continue
			}
			// The year links go on forever; the seeded years are enough.
			if y := regexp.MustCompile(`nam=(\d+)`).FindStringSubmatch(next); y != nil && (y[1] < "2025" || y[1] > "2027") {
				continue
			}
			queue = append(queue, next)
		}
	}
	occurrencePages := 0
	for p := range seen {
		if strings.HasPrefix(p, "/nghia-vu/") {
			occurrencePages++
		}
	}
	if occurrencePages < len(f.ids) || len(seen) < 20 {
		t.Errorf("walked %d pages, %d duty pages of %d: the walk missed pages", len(seen), occurrencePages, len(f.ids))
	}
	t.Logf("walked %d public pages", len(seen))

	// The admin sees them.
	b := newAdminClient(f)
	b.login("an")
	_, page := b.get(fmt.Sprintf("/quan-tri/nghia-vu/%d", f.ids["late"]))
	for _, want := range []string{"mx1.noibo.snv [10.20.30.40]", "/var/lib/nhachan/outbox/20260601-m3.eml", "Ghi chú nội bộ",
		"relay.noibo.snv [192.168.5.5]"} {
		if !strings.Contains(page, want) {
			t.Errorf("the admin page lacks %q", want)
		}
	}
	// And the admin's forms say what becomes public.
	if !strings.Contains(page, "Công khai trên bảng theo dõi: số, ký hiệu văn bản và ngày nộp. Ghi chú chỉ quản trị viên xem được.") {
		t.Error("the admin's submission form does not say which fields are public")
	}
}
