package httpui

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/signlink"
)

// complianceRow reads one agency's counts from the report's CSV download.
func complianceRow(t *testing.T, f *fixture, agency string) string {
	t.Helper()
	code, body := f.get("/bao-cao.csv?nam=2026")
	if code != http.StatusOK {
		t.Fatalf("GET /bao-cao.csv = %d", code)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		if r[0] == agency {
			return strings.Join(r[1:], "|")
		}
	}
	t.Fatalf("no row for %s in\n%s", agency, body)
	return ""
}

// A duty due 20/06 is confirmed through its link on 25/06 with a sending
// date of 18/06. The official's word alone does not make it on time: the
// board shows "tự khai, chờ xác nhận" and the report counts it late (by
// the day it was recorded) until an admin confirms the date with one
// click; then both count it on time, and the confirmation is audited.
func TestSelfDeclaredDateCountsOnlyOnceConfirmed(t *testing.T) {
	lf := linksOn(newAdminFixture(t))
	id := lf.ids["soon"] // T2, Sở Tư pháp, due Saturday 20/06/2026
	chip := func(status Status) string { return fmt.Sprintf(`class="chip s-%s" href="/nghia-vu/%d"`, status, id) }

	lf.now = time.Date(2026, 6, 25, 9, 0, 0, 0, hcm)
	tok := linkSign(t, lf.signer, signlink.Claims{Occurrence: id, Agency: "stp", Action: signlink.ActionSubmit,
		Expires: lf.now.Add(14 * 24 * time.Hour)})
	code, body := lf.post(submitURL(tok), submitForm("77/BC-STP", "2026-06-18"))
	if code != http.StatusOK || !strings.Contains(body, "Tự khai, chờ xác nhận") || strings.Contains(body, "Đã nộp đúng hạn") {
		t.Fatalf("POST = %d\n%s", code, body)
	}

	// Before confirmation.
	if _, board := lf.get("/?nam=2026&co-quan=stp"); !strings.Contains(board, chip(Declared)) || strings.Contains(board, chip(OnTime)) {
		t.Errorf("board before confirmation: want %q", chip(Declared))
	}
	_, page := lf.get(fmt.Sprintf("/nghia-vu/%d", id))
	for _, want := range []string{"Tự khai, chờ xác nhận", "ghi nhận ngày 25/06/2026", "09:00 25/06/2026"} {
		if !strings.Contains(page, want) {
			t.Errorf("duty page before confirmation lacks %q", want)
		}
	}
	// due, on time, late, days late, overdue, waived, rate, not yet due, unconfirmed
	if got, want := complianceRow(t, lf.fixture, "Sở Tư pháp"), "2|1|1|5|0|0|50.0%|0|1"; got != want {
		t.Errorf("report before confirmation = %s, want %s", got, want)
	}

	// One click.
	admin := newAdminClient(lf.fixture)
	csrf := admin.login("an")
	_, home := admin.get(adminRoot)
	action := fmt.Sprintf("/quan-tri/nghia-vu/%d/xac-nhan-ngay", id)
	if !strings.Contains(home, `action="`+action+`"`) || !strings.Contains(home, "đúng hạn nếu xác nhận") {
		t.Fatalf("the overview does not offer the confirmation\n%s", home)
	}
	if res, body := admin.post(action, url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm = %d\n%s", res.StatusCode, body)
	}

	if _, board := lf.get("/?nam=2026&co-quan=stp"); !strings.Contains(board, chip(OnTime)) {
		t.Errorf("board after confirmation: want %q", chip(OnTime))
	}
	if got, want := complianceRow(t, lf.fixture, "Sở Tư pháp"), "2|2|0|0|0|0|100.0%|0|0"; got != want {
		t.Errorf("report after confirmation = %s, want %s", got, want)
	}
	tl, err := lf.store.Timeline(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var audited bool
	for _, a := range tl.Audit {
		audited = audited || a.Action == "occurrence.submission_confirmed" && a.Actor == "web:an" &&
			strings.Contains(a.Detail, `"submitted_on":"2026-06-18"`) && strings.Contains(a.Detail, `"recorded_on":"2026-06-25"`)
	}
	if !audited {
		t.Errorf("the confirmation is not audited: %+v", tl.Audit)
	}
	// A second click changes nothing.
	if res, _ := admin.post(action, url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("second confirm = %d", res.StatusCode)
	}
	tl2, _ := lf.store.Timeline(context.Background(), id)
	if len(tl2.Audit) != len(tl.Audit) {
		t.Error("a second confirmation wrote another audit row")
	}
}

// A date equal to the recording day is not self-declared in the sense of
// the rule: nothing waits for an admin, and confirming it is refused.
func TestSameDayLinkDateNeedsNoConfirmation(t *testing.T) {
	lf := linksOn(newAdminFixture(t))
	id := lf.ids["soon"]
	code, body := lf.post(submitURL(lf.token("soon", "stp", signlink.ActionSubmit)), submitForm("78/BC-STP", "2026-06-15"))
	if code != http.StatusOK || !strings.Contains(body, "Đã nộp đúng hạn") || strings.Contains(body, "Tự khai") {
		t.Fatalf("POST = %d\n%s", code, body)
	}
	admin := newAdminClient(lf.fixture)
	csrf := admin.login("an")
	res, _ := admin.post(fmt.Sprintf("/quan-tri/nghia-vu/%d/xac-nhan-ngay", id), url.Values{"csrf": {csrf}})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("confirming a same-day date = %d, want 409", res.StatusCode)
	}
}
