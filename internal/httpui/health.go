package httpui

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Health is what the daemon knows about itself, for /healthz. serve fills
// it from the engine and the sender; the zero value of a field means "not
// known yet".
type Health struct {
	// Started is when the daemon started: before the first tick has
	// finished, the tick is not called stale until 3 intervals after it.
	Started time.Time
	// LastTick is when the last tick finished (notify.Engine.LastTick).
	LastTick time.Time
	// TickEvery is the interval between ticks; one minute when zero.
	TickEvery time.Duration
	// SendFailures counts the send attempts that failed since the last
	// one that succeeded; LastSendError is when the latest failed.
	SendFailures  int
	LastSendError time.Time
	// QuickCheck is the result of the daily PRAGMA quick_check (nil: ok),
	// run at QuickCheckAt; a probe is too frequent to run it itself.
	QuickCheck   error
	QuickCheckAt time.Time
	// ReloadError is why the last reload was refused (nil: the last one
	// worked, or none was tried), at ReloadFailedAt: the daemon works on
	// the previous configuration, which no longer matches the files.
	ReloadError    error
	ReloadFailedAt time.Time
}

// Thresholds of /healthz.
const (
	// staleTicks: a tick may be late by up to this many intervals (a long
	// tick, a slow SMTP server) before the daemon is called stuck.
	staleTicks = 3
	// failingSends: this many failures in a row, with no success between,
	// mean the mail server is down or refuses us, not one bad address.
	failingSends = 3
	// pingTimeout bounds the probe's own database query, which runs on
	// its own connection (sqlite.DB.HealthCheck): it waits for no page.
	pingTimeout = time.Second
)

// healthReport is the body of /healthz.
type healthReport struct {
	Status        string     `json:"status"` // "ok" or "error"
	LastTick      *time.Time `json:"last_tick"`
	OutboxPending int        `json:"outbox_pending"`
	OutboxFailed  int        `json:"outbox_failed"`
	DB            string     `json:"db"` // "ok" or "error"
	// Problems are stable codes: tick_stale, smtp_failing,
	// db_check_failed, db_unreachable. Details go to the log, not to an
	// unauthenticated client.
	Problems []string `json:"problems"`
	// Reload, when present, says that the configuration on disk was
	// refused and the previous one stays in force. The daemon still works,
	// so the status stays ok; an operator must fix the files.
	Reload *reloadReport `json:"reload,omitempty"`
}

// reloadReport is a refused reload, for /healthz.
type reloadReport struct {
	Status string    `json:"status"` // "failed"
	At     time.Time `json:"at"`
	Error  string    `json:"error"`
}

// check judges h at now; it is pure, so the thresholds are tested alone.
func (h Health) check(now time.Time) []string {
	every := h.TickEvery
	if every <= 0 {
		every = time.Minute
	}
	var p []string
	since := h.LastTick
	if since.IsZero() {
		since = h.Started
	}
	if since.IsZero() || now.Sub(since) > staleTicks*every {
		p = append(p, "tick_stale")
	}
	if h.SendFailures >= failingSends {
		p = append(p, "smtp_failing")
	}
	if h.QuickCheck != nil {
		p = append(p, "db_check_failed")
	}
	return p
}

// healthz answers 200 when the daemon ticks, sends and reads its database,
// 503 otherwise, with a JSON body saying which.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	var h Health
	if s.Health != nil {
		h = s.Health()
	}
	now := s.Now()
	rep := healthReport{Status: "ok", DB: "ok", Problems: h.check(now)}
	if !h.LastTick.IsZero() {
		t := h.LastTick.UTC()
		rep.LastTick = &t
	}
	if h.ReloadError != nil {
		rep.Reload = &reloadReport{Status: "failed", At: h.ReloadFailedAt.UTC(), Error: h.ReloadError.Error()}
	}
	ctx, cancel := context.WithTimeout(r.Context(), pingTimeout)
	defer cancel()
	d, err := s.Store.HealthCheck(ctx)
	rep.OutboxPending, rep.OutboxFailed = d.Pending, d.Failed
	if err != nil {
		s.Log.Error().Err(err).Msg("healthz: database unreachable")
		rep.Problems = append(rep.Problems, "db_unreachable")
	}
	if h.QuickCheck != nil {
		s.Log.Error().Err(h.QuickCheck).Time("at", h.QuickCheckAt).Msg("healthz: quick_check failed")
	}
	if err != nil || h.QuickCheck != nil {
		rep.DB = "error"
	}
	code := http.StatusOK
	if len(rep.Problems) > 0 {
		rep.Status = "error"
		code = http.StatusServiceUnavailable
	} else {
		rep.Problems = []string{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(rep)
}
