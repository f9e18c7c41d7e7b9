package sqlite

import (
	"context"
	"errors"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
)

func TestRequestExtensionIsAuditedOnly(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	rows := []duty.Occurrence{{ScheduleID: "p", TaskID: "T", Period: "2027", AgencyID: "a", NamedAgencyID: "a",
		Due: date("2027-06-20"), EffectiveDue: date("2027-06-21"), State: duty.StateOpen}}
	if _, err := db.UpsertOccurrences(ctx, rows); err != nil {
		t.Fatal(err)
	}
	id := rows[0].ID
	if err := db.RequestExtension(ctx, id, "link:a", date("2027-07-01"), "Chờ số liệu"); err != nil {
		t.Fatal(err)
	}
	o, err := db.Occurrence(ctx, id)
	if err != nil || o.State != duty.StateOpen || o.Deadline != date("2027-06-21") {
		t.Fatalf("a request changed the occurrence: %+v %v", o, err)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM audit WHERE action = 'occurrence.extension_requested'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("audit rows: %d %v", n, err)
	}
	if err := db.RequestExtension(ctx, 9999, "link:a", date("2027-07-01"), "x"); !errors.Is(err, duty.ErrNotFound) {
		t.Fatalf("unknown occurrence: %v", err)
	}
}
