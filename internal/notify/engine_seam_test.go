package notify

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// The engine's failure paths over a hand-written store and channel: no
// database, no mail server, so each failure can be made to happen exactly
// where the test wants it.

// fakeStore is an in-memory Store with enough of the outbox's rules
// (unique keys, claims, retry times) to drive the engine.
type fakeStore struct {
	mu    sync.Mutex
	occ   map[int64]duty.Occurrence
	keys  map[string]int64 // occurrence identity -> id
	out   []*duty.Notification
	now   func() time.Time
	fails []failedMark

	dropped map[int64]bool // CancelDropped's record

	claimErr    error // Claim fails
	markSentErr error // MarkSent fails
}

type failedMark struct {
	ids       []int64
	permanent bool
	retryAt   time.Time
	text      string
}

func newFakeStore(now func() time.Time) *fakeStore {
	return &fakeStore{occ: map[int64]duty.Occurrence{}, keys: map[string]int64{}, now: now}
}

func (f *fakeStore) UpsertOccurrences(_ context.Context, rows []duty.Occurrence) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for i := range rows {
		k := rows[i].ScheduleID + "|" + rows[i].TaskID + "|" + rows[i].Period + "|" + rows[i].AgencyID + "|" + rows[i].NamedAgencyID
		if id, ok := f.keys[k]; ok {
			rows[i].ID = id
			continue
		}
		r := rows[i]
		r.ID = int64(len(f.occ) + 1)
		r.Deadline = r.EffectiveDue
		if r.State == "" {
			r.State = duty.StateOpen
		}
		f.occ[r.ID], f.keys[k] = r, r.ID
		rows[i].ID = r.ID
		n++
	}
	return n, nil
}

func (f *fakeStore) Occurrence(_ context.Context, id int64) (duty.Occurrence, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.occ[id]
	if !ok {
		return o, duty.ErrNotFound
	}
	return o, nil
}

func (f *fakeStore) between(from, until schedule.Date, st duty.State) []duty.Occurrence {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []duty.Occurrence
	for _, o := range f.occ {
		if o.State == st && o.Deadline >= from && o.Deadline <= until {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (f *fakeStore) OpenOccurrencesBetween(_ context.Context, from, until schedule.Date) ([]duty.Occurrence, error) {
	return f.between(from, until, duty.StateOpen), nil
}

func (f *fakeStore) UnassignedBetween(_ context.Context, from, until schedule.Date) ([]duty.Occurrence, error) {
	return f.between(from, until, duty.StateUnassigned), nil
}

func (f *fakeStore) SubmittedBetween(context.Context, schedule.Date, schedule.Date) ([]duty.Record, error) {
	return nil, nil
}

// DutyRecords lists one duty's occurrences (no submissions: the fake
// records none).
func (f *fakeStore) DutyRecords(_ context.Context, scheduleID, taskID, period string) ([]duty.Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []duty.Record
	for _, o := range f.occ {
		if o.ScheduleID == scheduleID && o.TaskID == taskID && o.Period == period {
			out = append(out, duty.Record{Occurrence: o})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (f *fakeStore) QuotaCounts(context.Context, ...int64) (map[int64]int, error) {
	return map[int64]int{}, nil
}

func (f *fakeStore) Enqueue(_ context.Context, ns []duty.Notification) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[string]bool{}
	for _, n := range f.out {
		seen[n.Key] = true
	}
	added := 0
	for _, x := range ns {
		if seen[x.Key] {
			continue
		}
		seen[x.Key] = true
		x.ID, x.State = int64(len(f.out)+1), "pending"
		f.out = append(f.out, &x)
		added++
	}
	return added, nil
}

func (f *fakeStore) EnqueuedSince(context.Context, time.Time) ([]duty.Notification, error) {
	return nil, nil
}

// ImpactRows gives every stored duty: the fake's stores are small.
func (f *fakeStore) ImpactRows(context.Context, schedule.Date, schedule.Date) ([]duty.Occurrence, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]duty.Occurrence, 0, len(f.occ))
	for _, o := range f.occ {
		out = append(out, o)
	}
	return out, nil
}

func (f *fakeStore) OpenIDsDue(_ context.Context, from, to schedule.Date) ([]int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []int64
	for id, o := range f.occ {
		if (o.State == duty.StateOpen || o.State == duty.StateUnassigned) && o.Due >= from && o.Due <= to {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

func (f *fakeStore) OccurrencesByID(_ context.Context, ids []int64) ([]duty.Occurrence, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []duty.Occurrence
	for _, id := range ids {
		out = append(out, f.occ[id])
	}
	return out, nil
}

func (f *fakeStore) DroppedAmong(_ context.Context, ids []int64) (map[int64]bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64]bool{}
	for _, id := range ids {
		if f.dropped[id] {
			out[id] = true
		}
	}
	return out, nil
}

func (f *fakeStore) CancelDropped(_ context.Context, ids []int64, reason string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dropped == nil {
		f.dropped = map[int64]bool{}
	}
	n := 0
	for _, id := range ids {
		f.dropped[id] = true
		for _, x := range f.out {
			if x.OccurrenceID == id && x.State == "pending" {
				x.State, x.LastError = "cancelled", reason
				n++
			}
		}
	}
	return n, nil
}

func (f *fakeStore) SupersedePending(context.Context, int64, string, []string) (int, error) {
	return 0, nil
}

func (f *fakeStore) Claim(_ context.Context, worker string, lease time.Duration, limit int) ([]duty.Notification, error) {
	if f.claimErr != nil {
		return nil, f.claimErr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	var out []duty.Notification
	for _, n := range f.out {
		if len(out) == limit {
			break
		}
		if (n.State == "pending" || n.State == "retry") && !now.Before(n.LeaseUntil) {
			n.State, n.ClaimedBy, n.LeaseUntil = "claimed", worker, now.Add(lease)
			out = append(out, *n)
		}
	}
	return out, nil
}

// mark sets the state of rows; retry rows wait until retryAt.
func (f *fakeStore) mark(ids []int64, state string, retryAt time.Time) {
	for _, id := range ids {
		n := f.out[id-1]
		n.State, n.LeaseUntil = state, retryAt
		if state == "retry" {
			n.Attempts++
		}
	}
}

func (f *fakeStore) MarkSent(_ context.Context, _, _ string, ids ...int64) error {
	if f.markSentErr != nil {
		return f.markSentErr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mark(ids, "sent", time.Time{})
	return nil
}

func (f *fakeStore) MarkFailed(_ context.Context, text string, permanent bool, retryAt time.Time, ids ...int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails = append(f.fails, failedMark{ids: ids, permanent: permanent, retryAt: retryAt, text: text})
	if permanent {
		f.mark(ids, "failed", time.Time{})
	} else {
		f.mark(ids, "retry", retryAt)
	}
	return nil
}

// fakeChannel answers each notice with the class its answer function
// gives and, like the mail channel, stops at a cancelled context and
// reports the rest as temporary failures.
type fakeChannel struct {
	answer  func(n duty.Notice) duty.Class
	handed  []duty.Notice // every notice it was given
	tried   []duty.Notice // the ones it attempted (context not cancelled)
	batches int
}

func (c *fakeChannel) Deliver(ctx context.Context, notices []duty.Notice, each func(int, duty.Outcome)) {
	c.batches++
	c.handed = append(c.handed, notices...)
	for i, n := range notices {
		if err := ctx.Err(); err != nil {
			each(i, duty.Outcome{Class: duty.Temporary, Err: err})
			continue
		}
		c.tried = append(c.tried, n)
		class := duty.Delivered
		if c.answer != nil {
			class = c.answer(n)
		}
		o := duty.Outcome{Class: class, MessageID: "<" + n.Key + "@t.example>", Subject: "s"}
		if class != duty.Delivered {
			o.Err = errors.New("refused: " + class.String())
		}
		each(i, o)
	}
}

// seamEngine is an engine over the fake store and channel, on the test
// setup, at 09:00 on Monday 14/6/2027, when agency a's R7 reminders and
// Sở Nội vụ's copies are due.
func seamEngine(t *testing.T) (*Engine, *fakeStore, *fakeChannel, *time.Time) {
	t.Helper()
	s := testSetup(t)
	ch := &fakeChannel{}
	s.Channel = ch
	now := d("2027-06-14").In(s.Location).Add(9 * time.Hour)
	store := newFakeStore(func() time.Time { return now })
	eng := New(store, func() *Setup { return &s }, func() time.Time { return now }, zerolog.Nop())
	return eng, store, ch, &now
}

func TestSeamSentNotCommittedStopsTheBatch(t *testing.T) {
	eng, store, ch, _ := seamEngine(t)
	store.markSentErr = errors.New("disk I/O error")
	_, err := eng.Tick(context.Background())
	if !errors.Is(err, store.markSentErr) {
		t.Fatalf("Tick = %v, want the commit error", err)
	}
	if len(ch.handed) < 2 {
		t.Fatalf("the channel was handed %d notices; the test needs a batch of several", len(ch.handed))
	}
	if len(ch.tried) != 1 {
		t.Errorf("the channel sent %d notices after the first could not be recorded, want it to stop at 1", len(ch.tried))
	}
}

func TestSeamFailedClaimSendsNothing(t *testing.T) {
	eng, store, ch, _ := seamEngine(t)
	store.claimErr = errors.New("database is locked")
	if _, err := eng.Tick(context.Background()); !errors.Is(err, store.claimErr) {
		t.Fatalf("Tick = %v, want the claim error", err)
	}
	if len(ch.handed) != 0 || ch.batches != 0 {
		t.Errorf("the channel was handed %d notices in %d batches without a claim", len(ch.handed), ch.batches)
	}
}

func TestSeamChannelFailuresAreClassifiedAndRetried(t *testing.T) {
	const agencyAddr = "a@t.example"
	for _, tc := range []struct {
		class     duty.Class
		permanent bool
		retryIn   time.Duration // after the first failure
	}{
		{duty.Temporary, false, time.Minute},
		{duty.Misconfigured, false, time.Hour}, // it needs a person: wait the cap
		{duty.Permanent, true, 0},
	} {
		t.Run(tc.class.String(), func(t *testing.T) {
			eng, store, ch, now := seamEngine(t)
			down := true
			ch.answer = func(n duty.Notice) duty.Class {
				if down && n.To.Addr == agencyAddr {
					return tc.class
				}
				return duty.Delivered
			}
			start := *now
			if _, err := eng.Tick(context.Background()); err != nil {
				t.Fatal(err)
			}
			var f *failedMark
			for i := range store.fails {
				if store.out[store.fails[i].ids[0]-1].Recipient == agencyAddr {
					f = &store.fails[i]
				}
			}
			if f == nil {
				t.Fatalf("no failure recorded for %s", agencyAddr)
			}
			if f.permanent != tc.permanent || (!tc.permanent && !f.retryAt.Equal(start.Add(tc.retryIn))) || f.text == "" {
				t.Errorf("recorded %+v, want permanent=%v, retry at +%s, with the reason", *f, tc.permanent, tc.retryIn)
			}
			// The channel recovers; ticks go on past the backoff.
			down = false
			for range 4 {
				*now = now.Add(90 * time.Minute)
				if _, err := eng.Tick(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			attempts, rows, sent := 0, 0, 0
			for _, n := range ch.tried {
				if n.To.Addr == agencyAddr {
					attempts++
				}
			}
			for _, n := range store.out {
				if n.Recipient == agencyAddr {
					rows++
					if n.State == "sent" {
						sent++
					}
				}
			}
			if tc.permanent {
				if attempts != 1 || sent != 0 {
					t.Errorf("a permanent failure was retried: %d attempts, %d rows sent", attempts, sent)
				}
				return
			}
			// One notice carries all of the agency's rows of the day.
			if attempts != 2 || sent != rows {
				t.Errorf("after recovery: %d attempts, %d of %d rows sent; want one retry delivering them all", attempts, sent, rows)
			}
		})
	}
}
