// Package notify is the notification engine: what is due, who gets it,
// claim -> send -> mark. It reads and writes through the Store it declares
// and hands each recipient's notice to the Channel it declares; the
// adapters (internal/sqlite, internal/email) satisfy them and cmd/ wires
// them. The policy it applies (duty.Policy, duty.Steps) is pure.
package notify

import (
	"context"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Store is what the engine needs of the database: the occurrences of the
// window, and the outbox with its claims.
type Store interface {
	// UpsertOccurrences stores planned occurrences and returns how many
	// were new; it sets each row's ID.
	UpsertOccurrences(ctx context.Context, rows []duty.Occurrence) (inserted int, err error)
	Occurrence(ctx context.Context, id int64) (duty.Occurrence, error)
	OpenOccurrencesBetween(ctx context.Context, from, until schedule.Date) ([]duty.Occurrence, error)
	UnassignedBetween(ctx context.Context, from, until schedule.Date) ([]duty.Occurrence, error)
	SubmittedBetween(ctx context.Context, from, to schedule.Date) ([]duty.Record, error)
	// DutyRecords returns every agency's occurrence of one duty (a task for
	// a period) with its submission: what an oversight letter reports.
	DutyRecords(ctx context.Context, scheduleID, taskID, period string) ([]duty.Record, error)
	// QuotaCounts counts the entries of counted duties ("1/3 cuộc").
	QuotaCounts(ctx context.Context, ids ...int64) (map[int64]int, error)

	// Enqueue inserts the notifications whose keys are new.
	Enqueue(ctx context.Context, ns []duty.Notification) (inserted int, err error)
	EnqueuedSince(ctx context.Context, since time.Time) ([]duty.Notification, error)
	// SupersedePending cancels the occurrence's pending rows of other steps
	// for the given recipients.
	SupersedePending(ctx context.Context, occurrenceID int64, keep string, recipients []string) (int, error)
	// Claim leases up to limit ready rows to worker.
	Claim(ctx context.Context, worker string, lease time.Duration, limit int) ([]duty.Notification, error)
	MarkSent(ctx context.Context, messageID, response string, ids ...int64) error
	MarkFailed(ctx context.Context, errText string, permanent bool, retryAt time.Time, ids ...int64) error

	// ImpactRows and CancelDropped serve the comparison of a reloaded plan
	// with what is stored (impact.go): the duties no longer planned get
	// their pending rows cancelled with the reason; nothing is deleted.
	ImpactStore
	OpenIDsDue(ctx context.Context, from, to schedule.Date) ([]int64, error)
	OccurrencesByID(ctx context.Context, ids []int64) ([]duty.Occurrence, error)
	CancelDropped(ctx context.Context, ids []int64, reason string) (int, error)
}

// Channel delivers notices: e-mail today (internal/email), and any other
// channel (SMS, a Zalo OA bridge) that can say, per notice, whether it was
// delivered, failed for now, failed for good, or cannot work as configured.
type Channel interface {
	// Deliver sends the notices and calls each(i, outcome) exactly once
	// per notice, as soon as its outcome is known. Cancelling ctx stops the
	// batch; what was not attempted is reported as a temporary failure.
	Deliver(ctx context.Context, notices []duty.Notice, each func(i int, o duty.Outcome))
}
