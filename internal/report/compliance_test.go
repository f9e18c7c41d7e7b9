package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

func date(s string) schedule.Date {
	d, err := schedule.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// rec builds a record of task owed by agency ("" for unassigned, named
// "so-cu") by deadline, in state, submitted on submitted ("" for none).
func rec(id int64, task, agency, deadline string, state duty.State, submitted string) duty.Record {
	r := duty.Record{Occurrence: duty.Occurrence{
		ID: id, ScheduleID: "kh-2026", TaskID: task, Period: "2026",
		AgencyID: agency, NamedAgencyID: agency,
		Due: date(deadline), EffectiveDue: date(deadline), Deadline: date(deadline), State: state,
	}}
	if agency == "" {
		r.NamedAgencyID = "so-cu"
	}
	if submitted != "" {
		r.SubmittedOn = date(submitted)
		r.Ref = fmt.Sprintf("%d/BC", id)
	}
	if state == duty.StateWaived {
		r.Waived = true
	}
	return r
}

func testDirectory(agencies ...*model.Agency) *model.Directory {
	return model.NewDirectory(agencies, nil)
}

func agency(id, name string) *model.Agency {
	return &model.Agency{ID: id, Name: name, ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate}
}

func TestClassify(t *testing.T) {
	today := date("2026-07-01")
	extended := rec(1, "t", "so-nv", "2026-04-30", duty.StateSubmitted, "2026-04-25")
	extended.EffectiveDue, extended.ExtendedDue = date("2026-04-15"), date("2026-04-30")
	waivedThenSubmitted := rec(1, "t", "so-nv", "2026-04-15", duty.StateSubmitted, "2026-04-17")
	waivedThenSubmitted.Waived = true
	// A link confirmed on 10/04 that declares 25/03 for a 31/03 deadline:
	// until an admin confirms, it counts from 10/04.
	declared := rec(1, "t", "so-nv", "2026-03-31", duty.StateSubmitted, "2026-03-25")
	declared.Unconfirmed, declared.RecordedOn = true, date("2026-04-10")
	confirmed := declared
	confirmed.Unconfirmed = false
	declaredInTime := rec(1, "t", "so-nv", "2026-03-31", duty.StateSubmitted, "2026-03-20")
	declaredInTime.Unconfirmed, declaredInTime.RecordedOn = true, date("2026-03-30")
	droppedOverdue := rec(1, "t", "so-nv", "2026-04-15", duty.StateOpen, "")
	droppedOverdue.Dropped = true
	droppedDone := rec(1, "t", "so-nv", "2026-03-31", duty.StateSubmitted, "2026-03-30")
	droppedDone.Dropped = true
	tests := []struct {
		name         string
		r            duty.Record
		want         Outcome
		wantDaysLate int
	}{
		{"dropped by a reload: not owed", droppedOverdue, Untracked, 0},
		{"dropped after it was submitted: still on time", droppedDone, OnTime, 0},
		{"submitted the day before", rec(1, "t", "so-nv", "2026-03-31", duty.StateSubmitted, "2026-03-30"), OnTime, 0},
		{"submitted on the deadline day", rec(1, "t", "so-nv", "2026-03-31", duty.StateSubmitted, "2026-03-31"), OnTime, 0},
		{"submitted early for a future deadline", rec(1, "t", "so-nv", "2026-09-30", duty.StateSubmitted, "2026-06-15"), OnTime, 0},
		{"submitted five days late", rec(1, "t", "so-nv", "2026-04-15", duty.StateSubmitted, "2026-04-20"), Late, 5},
		{"submitted late across a year end", rec(1, "t", "so-nv", "2025-12-31", duty.StateSubmitted, "2026-01-02"), Late, 2},
		{"submitted within an extension", extended, OnTime, 0},
		{"submitted after a waiver, late", waivedThenSubmitted, Late, 2},
		{"self-declared on time, recorded late, unconfirmed", declared, Late, 10},
		{"self-declared on time, recorded late, confirmed", confirmed, OnTime, 0},
		{"self-declared, recorded before the deadline", declaredInTime, OnTime, 0},
		{"open, deadline passed", rec(1, "t", "so-nv", "2026-06-20", duty.StateOpen, ""), Overdue, 11},
		{"open, deadline yesterday", rec(1, "t", "so-nv", "2026-06-30", duty.StateOpen, ""), Overdue, 1},
		{"open, deadline today", rec(1, "t", "so-nv", "2026-07-01", duty.StateOpen, ""), Pending, 0},
		{"open, deadline ahead", rec(1, "t", "so-nv", "2026-09-30", duty.StateOpen, ""), Pending, 0},
		{"waived", rec(1, "t", "so-nv", "2026-03-31", duty.StateWaived, ""), Waived, 0},
		{"history", rec(1, "t", "so-nv", "2026-01-15", duty.StateHistory, ""), Untracked, 0},
		{"unassigned, deadline passed", rec(1, "t", "", "2026-05-01", duty.StateUnassigned, ""), Overdue, 61},
		{"unassigned, deadline ahead", rec(1, "t", "", "2026-08-01", duty.StateUnassigned, ""), Pending, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.r, today); got != tt.want {
				t.Errorf("Classify = %d, want %d", got, tt.want)
			}
			if got := DaysLate(tt.r, today); got != tt.wantDaysLate {
				t.Errorf("DaysLate = %d, want %d", got, tt.wantDaysLate)
			}
		})
	}
}

// rowLine renders a row as one line of facts.
func rowLine(r Row) string {
	return fmt.Sprintf("%s %q unassigned=%t due=%d ontime=%d late=%d days=%d overdue=%d waived=%d notyet=%d",
		r.Key, r.Name, r.Unassigned, r.Due, r.OnTime, r.Late, r.DaysLate, r.Overdue, r.Waived, r.NotYetDue)
}

func TestCompliance(t *testing.T) {
	today := date("2026-07-01")
	dir := testDirectory(
		agency("so-yt", "Sở Y tế"),
		agency("so-tp", "Sở Tư pháp"),
		agency("so-tc", "Sở Tài chính"),
		agency("dai-ptth", "Đài Phát thanh và Truyền hình"),
		agency("ca", "Công an tỉnh"),
		agency("so-du", "Sở Du lịch"),
		agency("so-cu", "Sở Bưu chính"),
	)
	tests := []struct {
		name    string
		records []duty.Record
		dir     *model.Directory
		want    []string
	}{
		{"nothing", nil, dir, nil},
		{"one agency, every outcome", []duty.Record{
			rec(1, "a", "so-tc", "2026-03-31", duty.StateSubmitted, "2026-03-30"),
			rec(2, "b", "so-tc", "2026-04-15", duty.StateSubmitted, "2026-04-20"),
			rec(3, "c", "so-tc", "2026-05-15", duty.StateSubmitted, "2026-05-18"),
			rec(4, "d", "so-tc", "2026-06-20", duty.StateOpen, ""),
			rec(5, "e", "so-tc", "2026-06-25", duty.StateWaived, ""),
			rec(6, "f", "so-tc", "2026-07-01", duty.StateOpen, ""),
			rec(7, "g", "so-tc", "2026-09-30", duty.StateOpen, ""),
			rec(8, "h", "so-tc", "2026-09-30", duty.StateSubmitted, "2026-06-15"),
			rec(9, "i", "so-tc", "2026-01-05", duty.StateHistory, ""),
		}, dir, []string{
			`so-tc "Sở Tài chính" unassigned=false due=6 ontime=2 late=2 days=19 overdue=1 waived=1 notyet=2`,
		}},
		{"only history: no row", []duty.Record{
			rec(1, "a", "so-tc", "2026-01-05", duty.StateHistory, ""),
		}, dir, nil},
		{"Vietnamese order: Đ after D, before S; unassigned last", []duty.Record{
			rec(1, "a", "so-yt", "2026-03-31", duty.StateOpen, ""),
			rec(2, "a", "", "2026-03-31", duty.StateUnassigned, ""),
			rec(3, "a", "so-tp", "2026-03-31", duty.StateOpen, ""),
			rec(4, "a", "dai-ptth", "2026-03-31", duty.StateOpen, ""),
			rec(5, "a", "so-tc", "2026-03-31", duty.StateOpen, ""),
			rec(6, "a", "ca", "2026-03-31", duty.StateOpen, ""),
			rec(7, "a", "so-du", "2026-03-31", duty.StateOpen, ""),
		}, dir, []string{
			`ca "Công an tỉnh" unassigned=false due=1 ontime=0 late=0 days=92 overdue=1 waived=0 notyet=0`,
			`dai-ptth "Đài Phát thanh và Truyền hình" unassigned=false due=1 ontime=0 late=0 days=92 overdue=1 waived=0 notyet=0`,
			`so-du "Sở Du lịch" unassigned=false due=1 ontime=0 late=0 days=92 overdue=1 waived=0 notyet=0`,
			`so-tc "Sở Tài chính" unassigned=false due=1 ontime=0 late=0 days=92 overdue=1 waived=0 notyet=0`,
			`so-tp "Sở Tư pháp" unassigned=false due=1 ontime=0 late=0 days=92 overdue=1 waived=0 notyet=0`,
			`so-yt "Sở Y tế" unassigned=false due=1 ontime=0 late=0 days=92 overdue=1 waived=0 notyet=0`,
			`?so-cu "Chưa có cơ quan thực hiện — Sở Bưu chính" unassigned=true due=1 ontime=0 late=0 days=92 overdue=1 waived=0 notyet=0`,
		}},
		{"an agency gone from the directory is named by its id", []duty.Record{
			rec(1, "a", "so-moi", "2026-03-31", duty.StateSubmitted, "2026-03-31"),
		}, dir, []string{
			`so-moi "so-moi" unassigned=false due=1 ontime=1 late=0 days=0 overdue=0 waived=0 notyet=0`,
		}},
		{"no directory: names are ids", []duty.Record{
			rec(1, "a", "so-tc", "2026-03-31", duty.StateSubmitted, "2026-03-31"),
			rec(2, "a", "", "2026-08-31", duty.StateUnassigned, ""),
		}, nil, []string{
			`so-tc "so-tc" unassigned=false due=1 ontime=1 late=0 days=0 overdue=0 waived=0 notyet=0`,
			`?so-cu "Chưa có cơ quan thực hiện — so-cu" unassigned=true due=0 ontime=0 late=0 days=0 overdue=0 waived=0 notyet=1`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := Compliance(tt.records, tt.dir, today)
			var got []string
			for _, r := range rows {
				got = append(got, rowLine(r))
				if r.Due != r.OnTime+r.Late+r.Overdue+r.Waived {
					t.Errorf("%s: Due %d is not OnTime+Late+Overdue+Waived", r.Key, r.Due)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestRowRate(t *testing.T) {
	tests := []struct {
		name   string
		row    Row
		want   float64
		wantOK bool
		wantVN string
	}{
		{"nothing owed", Row{}, 0, false, "—"},
		{"only waived", Row{Due: 2, Waived: 2}, 0, false, "—"},
		{"all on time", Row{Due: 3, OnTime: 3}, 1, true, "100,0%"},
		{"two of three, waived left out", Row{Due: 4, OnTime: 2, Late: 1, Waived: 1}, 2.0 / 3, true, "66,7%"},
		{"overdue counts as not on time", Row{Due: 2, OnTime: 1, Overdue: 1}, 0.5, true, "50,0%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.row.Rate()
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Rate = %v, %t; want %v, %t", got, ok, tt.want, tt.wantOK)
			}
			if vn := rateVN(tt.row); vn != tt.wantVN {
				t.Errorf("rateVN = %q, want %q", vn, tt.wantVN)
			}
		})
	}
}
