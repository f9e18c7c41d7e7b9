package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	gomail "github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/email"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// Setup is everything the engine reads from the configuration. It is
// immutable; a reload swaps a whole new Setup in.
type Setup struct {
	Planner              *model.Planner
	Policy               Policy
	AnyTime              bool // send window open every day at every hour (demos)
	TrackingStart        schedule.Date
	Location             *time.Location
	From                 email.Recipient
	Domain               string // of Message-IDs
	PublicURL            string
	Templates            *email.Templates
	FollowUp             string // agency id (Sở Nội vụ), routed by date like any agency
	FollowUpLeadership   []string
	ProvincialOffice     string
	ProvincialLeadership []string
	// Links returns the signed "Xác nhận đã nộp" and "Xin gia hạn" URLs of
	// an occurrence for its agency; nil when links are not configured.
	Links func(occurrence int64, agency string, deadline schedule.Date) (confirm, extend string)
}

// Engine decides what is due from the database and the clock, and sends
// it. A tick missed, doubled or delayed changes nothing: every decision is
// recomputed from state, and the outbox's unique keys make enqueueing
// idempotent.
type Engine struct {
	Store  *sqlite.DB
	Sender email.Sender
	Now    func() time.Time
	Log    zerolog.Logger
	Worker string

	mu       sync.Mutex // one tick at a time
	setup    atomic.Pointer[Setup]
	lastTick atomic.Int64 // unix nanoseconds; read by /healthz without waiting for a tick

	// Under mu: the setup and day the window was last materialised for.
	matSetup *Setup
	matDay   schedule.Date
}

// New returns an engine over setup.
func New(store *sqlite.DB, sender email.Sender, setup Setup, now func() time.Time, log zerolog.Logger) *Engine {
	e := &Engine{Store: store, Sender: sender, Now: now, Log: log, Worker: "nhachan"}
	e.setup.Store(&setup)
	return e
}

// Swap installs a new setup (a reload); the next tick materialises again.
// Nothing is re-sent: the outbox keys of what was sent are still there.
func (e *Engine) Swap(s Setup) { e.setup.Store(&s) }

// Setup returns the setup in force, for readers such as the web pages.
func (e *Engine) Setup() Setup { return *e.setup.Load() }

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
	Kind  email.Kind
	Class email.Class
}

// SentMessage is one message delivered by a tick.
type SentMessage struct {
	To        string
	Subject   string
	MessageID string
	Kind      email.Kind
	Steps     []string // "I.3/2027:R7"
}

// Tick runs one round: materialise, decide, enqueue, deliver.
func (e *Engine) Tick(ctx context.Context) (TickReport, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	sp := e.setup.Load()
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
	back := s.Policy.EscalationSpan() + 30
	from := today.AddDays(-back)
	to := today.AddDays(horizon(s))
	occ := s.Planner.Plan(from, to, model.Filter{LeadOnly: true})
	rows := make([]sqlite.OccurrenceRow, 0, len(occ))
	for _, o := range occ {
		r := sqlite.OccurrenceRow{
			ScheduleID: o.Task.Schedule.ID, TaskID: o.Task.ID, Period: o.Period,
			NamedAgencyID: o.Assignee.Named.ID, Role: o.Role, Due: o.Due, EffectiveDue: o.EffectiveDue,
			State: sqlite.StateOpen,
		}
		if o.Assignee.Agency != nil {
			r.AgencyID = o.Assignee.Agency.ID
		} else {
			r.State = sqlite.StateUnassigned
		}
		if o.EffectiveDue < s.TrackingStart {
			r.State = sqlite.StateHistory
		}
		rows = append(rows, r)
	}
	n, err := e.Store.UpsertOccurrences(ctx, rows)
	if err != nil {
		return fmt.Errorf("materialise: %w", err)
	}
	rep.Inserted = n
	return nil
}

// decide enqueues the step each open occurrence has reached today.
func (e *Engine) decide(ctx context.Context, s Setup, today schedule.Date, rep *TickReport) error {
	cal := s.Planner.Calendar
	span, ahead := s.Policy.EscalationSpan()+14, horizon(s)
	open, err := e.Store.OpenOccurrencesBetween(ctx, today.AddDays(-span), today.AddDays(ahead))
	if err != nil {
		return err
	}
	// Duties nobody answers for go to Sở Nội vụ, so that somebody acts.
	orphans, err := e.Store.UnassignedBetween(ctx, today.AddDays(-span), today.AddDays(ahead))
	if err != nil {
		return err
	}
	open = append(open, orphans...)
	stepDay := today
	if s.AnyTime && !cal.IsWorkingDay(today) {
		stepDay = cal.PrevWorkingDay(today) // steps fall on working days
	}
	dir := s.Planner.Directory
	base := Recipients{FollowUpLeadership: s.FollowUpLeadership, ProvincialLeadership: s.ProvincialLeadership}
	if a, ok := dir.Agency(s.FollowUp); ok {
		base.FollowUp = a
	}
	if a, ok := dir.Agency(s.ProvincialOffice); ok {
		base.ProvincialOffice = a
	}
	var batch []sqlite.Notification
	for _, o := range open {
		t := findTask(s, o.ScheduleID, o.TaskID)
		if t == nil {
			continue // the task left the schedule: keep the row, send nothing
		}
		pol := s.Policy
		if t.ReminderDays != nil {
			pol.ReminderDays = t.ReminderDays
		}
		pl, reason, ok := Reached(o.Deadline, stepDay, cal, pol)
		if !ok {
			e.Log.Debug().Int64("occurrence", o.ID).Str("reason", string(reason)).Msg("nothing to send")
			continue
		}
		agency, _ := dir.Agency(o.AgencyID)
		var coord []*model.Agency
		if pol.RemindCoordinating {
			for _, a := range dir.Resolve(t.Coordinating, o.Deadline) {
				if a.Agency != nil {
					coord = append(coord, a.Agency)
				}
			}
		}
		kind := string(email.KindReminder)
		if pl.Step.Kind == Escalation {
			kind = string(email.KindEscalation)
		}
		// Route Sở Nội vụ and the provincial office on the day the duty is
		// owed, like the agency itself: across a merger both sides agree.
		rcpt := base.On(dir, o.Deadline)
		targets := rcpt.For(agency, coord, pl.Step, pol)
		addrs := make([]string, 0, len(targets))
		for _, tg := range targets {
			batch = append(batch, sqlite.Notification{
				Key:          fmt.Sprintf("occ/%d/%s/%s", o.ID, pl.Step.Key(), strings.ToLower(tg.Addr)),
				OccurrenceID: o.ID, Step: pl.Step.Key(), Recipient: tg.Addr, Kind: kindFor(kind, tg),
			})
			addrs = append(addrs, tg.Addr)
		}
		// Level 2 and its repeats go to the agency's head and above, not
		// to the agency's own mailboxes. Those get the overdue notice (E1)
		// once, even when E1's day was missed (downtime, or E1 and E2 on
		// one day after a long holiday): the key is E1's, so an E1 already
		// sent or queued is not sent again.
		if pl.Step.Kind == Escalation && pl.Step.Level >= 2 {
			e1 := Step{Kind: Escalation, Level: 1}
			for _, tg := range rcpt.For(agency, coord, e1, pol) {
				if tg.Why != WhyAgency || slices.ContainsFunc(addrs, func(a string) bool { return strings.EqualFold(a, tg.Addr) }) {
					continue
				}
				batch = append(batch, sqlite.Notification{
					Key:          fmt.Sprintf("occ/%d/%s/%s", o.ID, e1.Key(), strings.ToLower(tg.Addr)),
					OccurrenceID: o.ID, Step: e1.Key(), Recipient: tg.Addr, Kind: string(email.KindEscalation),
				})
			}
		}
		n, err := e.Store.SupersedePending(ctx, o.ID, pl.Step.Key(), addrs)
		if err != nil {
			return err
		}
		rep.Superseded += n
	}
	if s.Policy.DailyDigest && len(batch) > 0 {
		if fu := base.On(dir, today).FollowUp; fu != nil {
			for _, addr := range fu.Email {
				batch = append(batch, sqlite.Notification{
					Key: "digest/" + today.String() + "/" + strings.ToLower(addr), Step: "digest/" + today.String(),
					Recipient: addr, Kind: string(email.KindDigest),
				})
			}
		}
	}
	// Sở Nội vụ's weekly summary, on the first working day of each week.
	if s.Policy.WeeklySummary && firstWorkingDayOfWeek(s, today) {
		if fu := base.On(dir, today).FollowUp; fu != nil {
			y, w := today.In(time.UTC).ISOWeek()
			week := fmt.Sprintf("%04d-W%02d", y, w)
			for _, addr := range fu.Email {
				batch = append(batch, sqlite.Notification{
					Key: "weekly/" + week + "/" + strings.ToLower(addr), Step: "weekly/" + week,
					Recipient: addr, Kind: string(email.KindWeekly),
				})
			}
		}
	}
	n, err := e.Store.Enqueue(ctx, batch)
	if err != nil {
		return err
	}
	rep.Enqueued = n
	return nil
}

// firstWorkingDayOfWeek reports whether no working day comes before today
// in its ISO week (Monday, or the day after a Monday holiday). With the
// window open at any time, Monday itself.
func firstWorkingDayOfWeek(s Setup, today schedule.Date) bool {
	cal := s.Planner.Calendar
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	if s.AnyTime {
		return today == monday
	}
	if !cal.IsWorkingDay(today) {
		return false
	}
	for d := monday; d < today; d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			return false
		}
	}
	return true
}

// weeklyItems lists, for the weekly summary: duties due in the next two
// weeks, duties overdue (within the escalation span) and submissions of
// the past seven days.
func (e *Engine) weeklyItems(ctx context.Context, s Setup, today schedule.Date) ([]email.Item, error) {
	span := s.Policy.EscalationSpan() + 14
	open, err := e.Store.OpenOccurrencesBetween(ctx, today.AddDays(-span), today.AddDays(14))
	if err != nil {
		return nil, err
	}
	var out []email.Item
	for _, o := range open {
		if it, ok := itemFor(s, o, "", today); ok {
			out = append(out, it)
		}
	}
	done, err := e.Store.SubmittedBetween(ctx, today.AddDays(-7), today)
	if err != nil {
		return nil, err
	}
	for _, r := range done {
		if it, ok := itemFor(s, r.OccurrenceRow, "", today); ok {
			it.SubmittedOn = r.SubmittedOn
			out = append(out, it)
		}
	}
	return out, nil
}

// kindFor marks Sở Nội vụ's copies, so that their message says so.
func kindFor(kind string, tg Target) string {
	if tg.Copy {
		return kind + "-copy"
	}
	return kind
}

func findTask(s Setup, scheduleID, taskID string) *model.Task {
	return s.Planner.Task(scheduleID, taskID)
}

// leaseFor is how long a claim holds: long enough for one batch over a slow
// server, short enough that a crashed daemon's claims come back soon.
const leaseFor = 5 * time.Minute

// deliver claims ready notifications and sends them, one message per
// recipient, over one connection per batch.
func (e *Engine) deliver(ctx context.Context, s Setup, now time.Time, today schedule.Date, rep *TickReport) error {
	for round := 0; round < 100; round++ {
		claimed, err := e.Store.Claim(ctx, e.Worker, leaseFor, 50)
		if err != nil {
			return err
		}
		if len(claimed) == 0 {
			return nil
		}
		groups := groupByRecipient(claimed)
		var msgs []*gomail.Msg
		var built [][]sqlite.Notification
		var infos []SentMessage
		for _, g := range groups {
			m, info, err := e.compose(ctx, s, now, today, g)
			if err != nil {
				// A message that cannot be built (a hostile address, a broken
				// template) is a permanent failure of its rows, reported.
				e.Log.Error().Err(err).Str("to", g[0].Recipient).Msg("cannot build message")
				if err := e.Store.MarkFailed(ctx, err.Error(), true, time.Time{}, ids(g)...); err != nil {
					return err
				}
				rep.Failed += len(g)
				continue
			}
			if m == nil {
				// Nothing left to say (every occurrence closed meanwhile).
				if err := e.Store.MarkFailed(ctx, "nothing to send: occurrences closed", true, time.Time{}, ids(g)...); err != nil {
					return err
				}
				continue
			}
			msgs = append(msgs, m)
			built = append(built, g)
			infos = append(infos, info)
		}
		if len(msgs) == 0 {
			continue
		}
		stop := false
		var markErr error
		record := func(i int, res email.Result) {
			if markErr != nil {
				return
			}
			g := built[i]
			switch res.Class {
			case email.OK:
				markErr = e.Store.MarkSent(ctx, infos[i].MessageID, res.Response, ids(g)...)
				rep.Sent = append(rep.Sent, infos[i])
			case email.Permanent:
				e.Log.Error().Err(res.Err).Str("to", g[0].Recipient).Msg("permanent delivery failure")
				markErr = e.Store.MarkFailed(ctx, errText(res), true, time.Time{}, ids(g)...)
				rep.Failed += len(g)
				rep.Failures = append(rep.Failures, Failure{Kind: infos[i].Kind, Class: res.Class})
			default: // temporary or configuration: retry later, with capped backoff
				if res.Class == email.Config {
					e.Log.Error().Err(res.Err).Msg("mail configuration error: check the SMTP settings")
				}
				retry := now.Add(backoff(g[0].Attempts, res.Class))
				markErr = e.Store.MarkFailed(ctx, errText(res), false, retry, ids(g)...)
				rep.Failed += len(g)
				rep.Failures = append(rep.Failures, Failure{Kind: infos[i].Kind, Class: res.Class})
				stop = true
			}
		}
		if es, ok := e.Sender.(email.EachSender); ok {
			// Commit each "sent" as soon as the server said 250: a crash then
			// re-sends at most the message in flight.
			done := make([]bool, len(msgs))
			// If "sent" cannot be committed (disk full), stop sending: each
			// further message would be sent again after the restart.
			sendCtx, cancel := context.WithCancel(ctx)
			results := es.SendEach(sendCtx, msgs, func(i int, r email.Result) {
				done[i] = true
				record(i, r)
				if markErr != nil {
					cancel()
				}
			})
			cancel()
			for i, r := range results {
				if !done[i] {
					record(i, r)
				}
			}
		} else {
			for i, r := range e.Sender.Send(ctx, msgs) {
				record(i, r)
			}
		}
		if markErr != nil {
			return markErr
		}
		if stop {
			// The server is down or refuses us: do not hammer it this tick.
			return nil
		}
	}
	return nil
}

func errText(r email.Result) string {
	if r.Err != nil {
		return r.Err.Error()
	}
	return r.Response
}

// backoff doubles from one minute to an hour for temporary failures; a
// configuration error (auth, TLS) waits the cap at once: it needs a person.
func backoff(attempts int, class email.Class) time.Duration {
	if class == email.Config {
		return time.Hour
	}
	d := time.Minute << min(attempts, 6)
	return min(d, time.Hour)
}

func ids(ns []sqlite.Notification) []int64 {
	out := make([]int64, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

// groupByRecipient puts each recipient's rows together: one message each.
func groupByRecipient(ns []sqlite.Notification) [][]sqlite.Notification {
	by := map[string][]sqlite.Notification{}
	var order []string
	for _, n := range ns {
		// Summaries are their own messages; the day's reminders, copies
		// and escalations to one recipient are grouped into one.
		k := strings.ToLower(n.Recipient)
		if n.Kind == string(email.KindWeekly) || strings.HasPrefix(n.Kind, string(email.KindDigest)) {
			k += "|" + n.Kind
		}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], n)
	}
	sort.Strings(order)
	out := make([][]sqlite.Notification, 0, len(order))
	for _, k := range order {
		out = append(out, by[k])
	}
	return out
}

// messageKey is deterministic for a set of outbox rows, so that a message
// re-sent after a crash carries the same Message-ID.
func messageKey(g []sqlite.Notification) string {
	keys := make([]string, len(g))
	for i, n := range g {
		keys[i] = n.Key
	}
	sort.Strings(keys)
	h := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return hex.EncodeToString(h[:])
}

// compose builds the message for one recipient's rows.
func (e *Engine) compose(ctx context.Context, s Setup, now time.Time, today schedule.Date, g []sqlite.Notification) (*gomail.Msg, SentMessage, error) {
	to := email.Recipient{Addr: g[0].Recipient}
	to.Name, _ = s.RecipientName(to.Addr, today)
	m := email.Message{Key: messageKey(g), From: s.From, To: to, Kind: email.KindReminder, Date: now, Copy: true}
	info := SentMessage{To: to.Addr}
	// The agency whose mailbox or head this is: it answers for the items
	// owed by that agency, and only those carry its action links.
	self := s.Planner.Directory.ByEmail(to.Addr)
	answers, others := false, false
	for _, n := range g {
		if n.Kind == string(email.KindWeekly) {
			items, err := e.weeklyItems(ctx, s, today)
			if err != nil {
				return nil, info, err
			}
			m.Kind, m.Copy = email.KindWeekly, false
			m.Items = append(m.Items, items...)
			info.Steps = append(info.Steps, n.Step)
			continue
		}
		if strings.HasPrefix(n.Kind, string(email.KindDigest)) {
			items, err := e.digestItems(ctx, s, today)
			if err != nil {
				return nil, info, err
			}
			m.Kind, m.Copy = email.KindDigest, false
			m.Items = append(m.Items, items...)
			info.Steps = append(info.Steps, n.Step)
			continue
		}
		o, err := e.Store.Occurrence(ctx, n.OccurrenceID)
		if err != nil {
			return nil, info, err
		}
		if o.State != sqlite.StateOpen && o.State != sqlite.StateUnassigned {
			continue
		}
		it, ok := itemFor(s, o, n.Step, today)
		if !ok {
			continue
		}
		if it.Escalation && m.Kind != email.KindDigest {
			m.Kind = email.KindEscalation
		}
		if !strings.HasSuffix(n.Kind, "-copy") {
			m.Copy = false
		}
		if o.AgencyID != "" {
			if self != nil && self.ID == o.AgencyID {
				answers = true
			} else {
				others = true
				if !strings.HasSuffix(n.Kind, "-copy") {
					// The links act for the agency: a coordinating agency or
					// the leadership gets none (Sở Nội vụ's copy keeps them).
					it.ConfirmURL, it.ExtendURL = "", ""
				}
			}
		}
		m.Items = append(m.Items, it)
		info.Steps = append(info.Steps, fmt.Sprintf("%s/%s:%s", o.TaskID, o.Period, n.Step))
	}
	if len(m.Items) == 0 {
		return nil, info, nil
	}
	if m.Kind == email.KindEscalation && !m.Copy && others && !answers {
		// Level 2 to the leadership or Văn phòng UBND tỉnh: they are
		// informed and urge the agency on.
		m.Oversight = true
	}
	r, err := s.Templates.Render(m)
	if err != nil {
		return nil, info, err
	}
	msg, err := email.Build(m, r, s.Domain)
	if err != nil {
		return nil, info, err
	}
	info.Subject, info.Kind, info.MessageID = r.Subject, m.Kind, email.MessageID(m.Key, s.Domain)
	return msg, info, nil
}

// itemFor describes an occurrence in a message.
func itemFor(s Setup, o sqlite.OccurrenceRow, step string, today schedule.Date) (email.Item, bool) {
	t := findTask(s, o.ScheduleID, o.TaskID)
	if t == nil {
		return email.Item{}, false
	}
	dir := s.Planner.Directory
	it := email.Item{
		Key:  fmt.Sprintf("%s/%s/%s/%s", o.ScheduleID, o.TaskID, o.Period, o.NamedAgencyID),
		Step: step, Escalation: strings.HasPrefix(step, "E"),
		TaskID: t.ID, TaskText: t.Text, Product: t.Product, Period: o.Period,
		Due: o.Due, EffectiveDue: o.Deadline, DaysLeft: int(o.Deadline - today),
		LegalBasis: t.LegalBasis,
	}
	if a, ok := dir.Agency(o.AgencyID); ok {
		it.Agency = a.Name
		if s.Links != nil {
			it.ConfirmURL, it.ExtendURL = s.Links(o.ID, a.ID, o.Deadline)
		}
	} else if a, ok := dir.Agency(o.NamedAgencyID); ok {
		it.Agency = a.Name
		it.Unassigned = dir.WhyUnassigned(a, o.Deadline)
	}
	it.Lead = roleNames(dir, t.Lead, o.Deadline)
	it.Coordinating = roleNames(dir, t.Coordinating, o.Deadline)
	return it, true
}

// roleNames names a task's lead or coordinating agencies as a message shows
// them: a group by its own name ("UBND các huyện, thành phố"), never by its
// members, which may be thousands, and an agency by the agency that answers
// for it on the day (its successor after a merger). An agency that nobody
// answers for any more is left out, as it is from the recipients.
func roleNames(dir *model.Directory, ids []string, on schedule.Date) []string {
	var out []string
	seen := map[string]bool{}
	add := func(name string) {
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, id := range ids {
		if g, ok := dir.Group(id); ok {
			add(g.Name)
			continue
		}
		for _, a := range dir.Resolve([]string{id}, on) {
			if a.Agency != nil {
				add(a.Agency.Name)
			}
		}
	}
	return out
}

// digestItems lists what was queued today for the agencies, for Sở Nội
// vụ's daily digest.
func (e *Engine) digestItems(ctx context.Context, s Setup, today schedule.Date) ([]email.Item, error) {
	queued, err := e.Store.EnqueuedSince(ctx, today.In(s.Location))
	if err != nil {
		return nil, err
	}
	var out []email.Item
	seen := map[int64]bool{}
	for _, n := range queued {
		if seen[n.OccurrenceID] {
			continue
		}
		seen[n.OccurrenceID] = true
		o, err := e.Store.Occurrence(ctx, n.OccurrenceID)
		if err != nil {
			return nil, err
		}
		if it, ok := itemFor(s, o, n.Step, today); ok {
			out = append(out, it)
		}
	}
	return out, nil
}
