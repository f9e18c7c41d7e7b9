package httpui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// A counted duty shows its count on the board, the task's page and the
// duty's page ("đã thực hiện 1/3 cuộc"), and its period in words.
func TestQuotaProgressOnPages(t *testing.T) {
	f := newFixture(t)
	tk := f.rt.Setup.Planner.Task("p", "T2")
	tk.Time = "ít nhất 03 cuộc/năm"
	tk.Parsed = schedule.Parse(tk.Time, schedule.Options{})
	id := f.ids["soon"]
	if err := f.store.RecordSubmission(context.Background(), duty.Submission{OccurrenceID: id, Ref: "01/BB-KT",
		SubmittedOn: d("2026-06-10"), RecordedBy: "test", Via: duty.ViaCLI, Quota: 3}); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{fmt.Sprintf("/nghia-vu/%d", id), "/cong-viec/T2?nam=2026", "/?nam=2026"} {
		code, body := f.get(page)
		if code != 200 || !strings.Contains(body, "đã thực hiện 1/3 cuộc") {
			t.Errorf("%s: %d, no count:\n%s", page, code, body)
		}
		// A duty's period, in a chip or a title, is in words; the year selector keeps its numbers.
		if strings.Contains(body, ">2026</a>") || strings.Contains(body, "kỳ 2026 ") {
			t.Errorf("%s shows the period code 2026", page)
		}
	}
}
