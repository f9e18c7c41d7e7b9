package notify

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Setup is everything the engine reads from the configuration. It is
// immutable; a reload swaps a whole new Setup in.
type Setup struct {
	Planner       *model.Planner
	Policy        duty.Policy
	AnyTime       bool // send window open every day at every hour (demos)
	TrackingStart schedule.Date
	Location      *time.Location
	PublicURL     string
	// Channel delivers the notices (the mail adapter); it is part of the
	// setup so that a reload swaps the sender, its templates and its
	// identity together with everything else.
	Channel              Channel
	FollowUp             string // agency id (Sở Nội vụ), routed by date like any agency
	FollowUpLeadership   []duty.Dated
	ProvincialOffice     string
	ProvincialLeadership []duty.Dated
	// Contacts are the follow-up agency's desks: replies go to the one in
	// use on the send day, and the letters' footer names it.
	Contacts []duty.DatedContact
	// Demo marks every letter as a demonstration in its first line.
	Demo bool
	// Links returns the signed "Xác nhận đã nộp" and "Xin gia hạn" URLs of
	// an occurrence for its agency; nil when links are not configured.
	Links func(occurrence int64, agency string, deadline schedule.Date) (confirm, extend string)
}

// Engine decides what is due from the database and the clock, and sends
// it. A tick missed, doubled or delayed changes nothing: every decision is
// recomputed from state, and the outbox's unique keys make enqueueing
// idempotent.
type Engine struct {
	Store  Store
	Now    func() time.Time
	Log    zerolog.Logger
	Worker string

	mu sync.Mutex // one tick at a time
	// setup returns the setup in force; the daemon swaps it (with the web
	// server's half of the runtime) in one step on reload.
	setup    func() *Setup
	lastTick atomic.Int64 // unix nanoseconds; read by /healthz without waiting for a tick

	// Under mu: the setup and day the window was last materialised for.
	matSetup *Setup
	matDay   schedule.Date
	// dropped holds the stored duties the setup no longer plans (set by
	// materialise, see impact.go): decide sends nothing for them.
	dropped map[int64]bool
}

// New returns an engine that reads its setup from setup at every tick. A
// tick that finds a new setup (a reload: another pointer) materialises
// again; nothing is re-sent, since the outbox keys of what was sent are
// still there.
func New(store Store, setup func() *Setup, now func() time.Time, log zerolog.Logger) *Engine {
	return &Engine{Store: store, setup: setup, Now: now, Log: log, Worker: "nhachan"}
}

// LastTick returns when the last tick finished (zero before the first).
func (e *Engine) LastTick() time.Time {
	n := e.lastTick.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// TickReport says what one tick did.
type TickReport struct {
	Today      schedule.Date
	Inserted   int // new occurrences
	Enqueued   int // new notification rows
	Superseded int
	Sent       []SentMessage
	Failed     int       // notification rows that failed
	Failures   []Failure // messages that failed, for metrics
}

// Failure is one message that could not be delivered this tick.
type Failure struct {
	Kind  duty.Kind
	Class duty.Class
}

// SentMessage is one message delivered by a tick.
type SentMessage struct {
	To        string
	Subject   string
	MessageID string
	Kind      duty.Kind
	Steps     []string // what the letter says of each duty, in words: "Kế hoạch CCHC năm 2026 (TCTH.1a.hang-nam): nhắc trước 3 ngày"
}

// Tick runs one round: materialise, decide, enqueue, deliver.
func (e *Engine) Tick(ctx context.Context) (TickReport, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	sp := e.setup()
	s := *sp
	now := e.Now()
	today := schedule.DateOf(now.In(s.Location))
	rep := TickReport{Today: today}
	if sp != e.matSetup || today != e.matDay {
		if err := e.materialise(ctx, s, today, &rep); err != nil {
			return rep, err
		}
		e.matSetup, e.matDay = sp, today
	}
	if e.windowOpen(s, now, today) {
		if err := e.decide(ctx, s, today, &rep); err != nil {
			return rep, err
		}
	}
	if err := e.deliver(ctx, s, now, today, &rep); err != nil {
		return rep, err
	}
	e.lastTick.Store(now.UnixNano())
	return rep, nil
}

// windowOpen: mail goes out on working days from the send hour, unless the
// configuration opens the window for a demo.
func (e *Engine) windowOpen(s Setup, now time.Time, today schedule.Date) bool {
	if s.AnyTime {
		return true
	}
	return s.Planner.Calendar.IsWorkingDay(today) && now.In(s.Location).Hour() >= s.Policy.SendHour
}

// horizon is how far ahead reminders reach.
func horizon(s Setup) int {
	n := 0
	for _, d := range s.Policy.ReminderDays {
		n = max(n, d)
	}
	for _, sc := range s.Planner.Schedules {
		for _, t := range sc.Tasks {
			for _, d := range t.ReminderDays {
				n = max(n, d)
			}
		}
	}
	return n + 7
}

// materialise stores the lead occurrences of the window; Tick calls it once
// a day and after every reload.
func (e *Engine) materialise(ctx context.Context, s Setup, today schedule.Date, rep *TickReport) error {
	from, to := Window(s, today)
	occ := s.Planner.Plan(from, to, model.Filter{LeadOnly: true})
	rows := make([]duty.Occurrence, 0, len(occ))
	for _, o := range occ {
		r := duty.Occurrence{
			ScheduleID: o.Task.Schedule.ID, TaskID: o.Task.ID, Period: o.Period,
			NamedAgencyID: o.Assignee.Named.ID, Role: o.Role, Due: o.Due, EffectiveDue: o.EffectiveDue,
			State: duty.StateOpen,
		}
		if o.Assignee.Agency != nil {
			r.AgencyID = o.Assignee.Agency.ID
		} else {
			r.State = duty.StateUnassigned
		}
		if o.EffectiveDue < s.TrackingStart {
			r.State = duty.StateHistory
		}
		rows = append(rows, r)
	}
	n, err := e.Store.UpsertOccurrences(ctx, rows)
	if err != nil {
		return fmt.Errorf("materialise: %w", err)
	}
	rep.Inserted = n
	return e.dropUnplanned(ctx, s, today, from, to, rows)
}

func findTask(s Setup, scheduleID, taskID string) *model.Task {
	return s.Planner.Task(scheduleID, taskID)
}
