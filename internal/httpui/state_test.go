package httpui

import (
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
)

func TestStatusOf(t *testing.T) {
	on := d("2026-06-15")
	br := func(state duty.State, deadline, extended, submitted string) duty.BoardRow {
		r := duty.BoardRow{Occurrence: duty.Occurrence{State: state, Deadline: d(deadline)}}
		if extended != "" {
			r.ExtendedDue = d(extended)
		}
		if submitted != "" {
			r.SubmittedOn = d(submitted)
		}
		return r
	}
	for _, tc := range []struct {
		name string
		row  duty.BoardRow
		want Status
	}{
		{"submitted on the deadline", br(duty.StateSubmitted, "2026-06-10", "", "2026-06-10"), OnTime},
		{"submitted a day late", br(duty.StateSubmitted, "2026-06-10", "", "2026-06-11"), Late},
		{"submitted before an extended deadline", br(duty.StateSubmitted, "2026-07-01", "2026-07-01", "2026-06-20"), OnTime},
		{"history completed by an import, late", br(duty.StateHistory, "2025-03-20", "", "2025-04-01"), Late},
		{"history without a submission", br(duty.StateHistory, "2025-03-20", "", ""), BeforeTracks},
		{"waived", br(duty.StateWaived, "2026-03-20", "", ""), Excused},
		{"unassigned", br(duty.StateUnassigned, "2026-03-20", "", ""), Unassigned},
		{"open, 8 days left", br(duty.StateOpen, "2026-06-23", "", ""), InTime},
		{"open, 7 days left", br(duty.StateOpen, "2026-06-22", "", ""), DueSoon},
		{"open, due today", br(duty.StateOpen, "2026-06-15", "", ""), DueSoon},
		{"open, a day late", br(duty.StateOpen, "2026-06-14", "", ""), Overdue},
		{"extended, not yet due", br(duty.StateOpen, "2026-06-16", "2026-06-16", ""), Excused},
		{"extended and overdue again", br(duty.StateOpen, "2026-06-01", "2026-06-01", ""), Overdue},
		{"dropped by a reload, past its deadline", dropped(br(duty.StateOpen, "2026-06-01", "", "")), Dropped},
		{"dropped, nobody answering", dropped(br(duty.StateUnassigned, "2026-06-01", "", "")), Dropped},
		{"dropped after it was submitted", dropped(br(duty.StateSubmitted, "2026-06-01", "", "2026-05-30")), OnTime},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := statusOf(tc.row, on); got != tc.want {
				t.Errorf("statusOf = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestStatusesHaveLabelsAndParse(t *testing.T) {
	for _, s := range statuses {
		if s.Label() == "" {
			t.Errorf("%s has no label", s)
		}
		if got, ok := parseStatus(string(s)); !ok || got != s {
			t.Errorf("parseStatus(%s) = %s, %v", s, got, ok)
		}
	}
	if _, ok := parseStatus("Quá hạn"); ok {
		t.Error("a label parsed as a slug")
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Sở Tư pháp", "Sở Tư pháp"},
		{"250 2.0.0 Ok: queued as <abc@mx.example>", "250 2.0.0 Ok: queued as " + maskedAddr},
		{"a@b c@d", maskedAddr + " " + maskedAddr},
		{"@", maskedAddr},
		{"dòng 1\r\ndòng 2\x00\u2028", "dòng 1 \ndòng 2  "},
	} {
		if got := mask(tc.in); got != tc.want {
			t.Errorf("mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStepLabel(t *testing.T) {
	for step, want := range map[string]string{
		"R7": "Nhắc trước 7 ngày", "R0": "Nhắc vào ngày đến hạn", "E1": "Thông báo quá hạn lần 1",
		"digest/2026-06-15": "digest/2026-06-15", "x@y": maskedAddr,
	} {
		if got := stepLabel(step); got != want {
			t.Errorf("stepLabel(%q) = %q, want %q", step, got, want)
		}
	}
}

func dropped(r duty.BoardRow) duty.BoardRow {
	r.Dropped = true
	return r
}
