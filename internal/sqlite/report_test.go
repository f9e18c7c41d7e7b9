package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// reportFixture stores one occurrence per situation a report must tell
// apart and returns their ids by name.
func reportFixture(t *testing.T, db *DB) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	unassigned := occ("t-unassigned", "", "2026-05-15")
	unassigned.NamedAgencyID = "so-cu"
	rows := mustUpsert(t, db,
		occ("t-open", "so-nv", "2026-03-31"),
		occ("t-submitted", "so-nv", "2026-04-15"),
		occ("t-waived", "so-tc", "2026-06-30"),
		occ("t-waived-then-submitted", "so-tc", "2026-07-15"),
		occ("t-extended-in", "so-nv", "2026-12-20"),
		occ("t-extended-out", "so-nv", "2026-12-25"),
		occ("t-last-year", "so-nv", "2025-12-31"),
		occ("t-next-year", "so-nv", "2027-01-01"),
		occ("t-first-day", "so-tc", "2026-01-01"),
		unassigned,
	)
	ids := map[string]int64{}
	for _, r := range rows {
		ids[r.TaskID] = r.ID
	}
	submit := func(task, ref, on string) {
		t.Helper()
		if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: ids[task], Ref: ref, SubmittedOn: date(on),
			RecordedBy: "test", Via: duty.ViaCLI}); err != nil {
			t.Fatal(err)
		}
	}
	waive := func(task string) {
		t.Helper()
		if err := db.Waive(ctx, ids[task], "không phát sinh", "admin"); err != nil {
			t.Fatal(err)
		}
	}
	submit("t-submitted", "12/BC-SNV", "2026-04-20")
	waive("t-waived")
	waive("t-waived-then-submitted")
	submit("t-waived-then-submitted", "7/BC-STC", "2026-07-01")
	if err := db.Extend(ctx, ids["t-extended-in"], date("2026-12-28"), "chờ số liệu", "admin"); err != nil {
		t.Fatal(err)
	}
	if err := db.Extend(ctx, ids["t-extended-out"], date("2027-01-05"), "chờ số liệu", "admin"); err != nil {
		t.Fatal(err)
	}
	return ids
}

// recordLine renders the facts a report reads from a record, so that a
// table of expected records reads as one line each.
func recordLine(r duty.Record) string {
	sub := "-"
	if r.SubmittedOn != 0 {
		sub = r.SubmittedOn.String()
	}
	return fmt.Sprintf("%s %s %s %s sub=%s ref=%q waived=%t", r.TaskID, assigneeKey(r), r.Deadline, r.State, sub, r.Ref, r.Waived)
}

func assigneeKey(r duty.Record) string {
	if r.AgencyID != "" {
		return r.AgencyID
	}
	return "?" + r.NamedAgencyID
}

func TestYearRecords(t *testing.T) {
	db, _, _ := openTest(t)
	reportFixture(t, db)
	tests := []struct {
		name string
		year int
		want []string
	}{
		{"2026: every deadline of the year, extensions judged by the new date", 2026, []string{
			`t-first-day so-tc 2026-01-01 open sub=- ref="" waived=false`,
			`t-open so-nv 2026-03-31 open sub=- ref="" waived=false`,
			`t-submitted so-nv 2026-04-15 submitted sub=2026-04-20 ref="12/BC-SNV" waived=false`,
			`t-unassigned ?so-cu 2026-05-15 unassigned sub=- ref="" waived=false`,
			`t-waived so-tc 2026-06-30 waived sub=- ref="" waived=true`,
			`t-waived-then-submitted so-tc 2026-07-15 submitted sub=2026-07-01 ref="7/BC-STC" waived=true`,
			`t-extended-in so-nv 2026-12-28 open sub=- ref="" waived=false`,
		}},
		{"2027: the extension moved out of 2026 and the first day", 2027, []string{
			`t-next-year so-nv 2027-01-01 open sub=- ref="" waived=false`,
			`t-extended-out so-nv 2027-01-05 open sub=- ref="" waived=false`,
		}},
		{"2025: the last day of the year", 2025, []string{
			`t-last-year so-nv 2025-12-31 open sub=- ref="" waived=false`,
		}},
		{"a year with nothing", 2030, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := db.YearRecords(context.Background(), tt.year)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, recordLine(r))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestYearRecordsKeepsOccurrenceFields(t *testing.T) {
	db, _, _ := openTest(t)
	ids := reportFixture(t, db)
	recs, err := db.YearRecords(context.Background(), 2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		want, err := db.Occurrence(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Occurrence != want {
			t.Errorf("record %d: occurrence %+v, want %+v", r.ID, r.Occurrence, want)
		}
		if r.TaskID == "t-extended-in" && (r.ExtendedDue != date("2026-12-28") || r.EffectiveDue != date("2026-12-20")) {
			t.Errorf("extended record = %+v", r.Occurrence)
		}
		if r.Submitted() != (r.ID == ids["t-submitted"] || r.ID == ids["t-waived-then-submitted"]) {
			t.Errorf("record %s: Submitted() = %t", r.TaskID, r.Submitted())
		}
	}
}

func TestAgencyRecords(t *testing.T) {
	db, _, _ := openTest(t)
	reportFixture(t, db)
	tests := []struct {
		name     string
		agency   string
		from, to string
		want     []string
	}{
		{"so-nv over 2026, bounds inclusive", "so-nv", "2026-03-31", "2026-12-28", []string{"t-open", "t-submitted", "t-extended-in"}},
		{"so-nv across the new year", "so-nv", "2026-12-01", "2027-01-31", []string{"t-extended-in", "t-next-year", "t-extended-out"}},
		{"so-tc, waived and submitted alike", "so-tc", "2026-01-01", "2026-12-31", []string{"t-first-day", "t-waived", "t-waived-then-submitted"}},
		{"the named agency of an unassigned duty does not answer for it", "so-cu", "2026-01-01", "2026-12-31", nil},
		{"an agency with nothing", "so-yt", "2026-01-01", "2026-12-31", nil},
		{"an empty range", "so-nv", "2026-04-16", "2026-12-27", nil},
		{"from after to", "so-nv", "2026-12-31", "2026-01-01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := db.AgencyRecords(context.Background(), tt.agency, date(tt.from), date(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				if r.AgencyID != tt.agency {
					t.Errorf("%s answered by %q", r.TaskID, r.AgencyID)
				}
				got = append(got, r.TaskID)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("tasks = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAgencyRecordsUsesIndex(t *testing.T) {
	db, _, _ := openTest(t)
	p := queryPlan(t, db, recordQuery+` WHERE o.assignee = ? AND o.deadline BETWEEN ? AND ?`,
		"so-nv", "2026-01-01", "2026-12-31")
	if !strings.Contains(p, "occurrences_by_agency") {
		t.Errorf("plan does not use occurrences_by_agency:\n%s", p)
	}
}

func TestRecordsCancelledContext(t *testing.T) {
	db, _, _ := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.YearRecords(ctx, 2026); err == nil {
		t.Error("YearRecords on a cancelled context: no error")
	}
	if _, err := db.AgencyRecords(ctx, "so-nv", schedule.NewDate(2026, 1, 1), schedule.NewDate(2026, 12, 31)); err == nil {
		t.Error("AgencyRecords on a cancelled context: no error")
	}
}
