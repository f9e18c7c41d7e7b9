package httpui

import (
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Lines about refused requests (forged or expired tokens, cross-site
// POSTs, rate limits, refused sessions) are written by whoever sends the
// requests: one client could fill the disk with them. They go through one
// sampler: a burst of rejectLogBurst lines, then rejectLogPerMinute a
// minute; the lines left out are counted, and the next line written says
// how many ("dropped" field), so the log never hides that it was flooded.
const (
	rejectLogBurst     = 20
	rejectLogPerMinute = 6
)

// logSampler is the token bucket and the count of lines dropped.
type logSampler struct {
	lim     *rateLimiter
	mu      sync.Mutex
	dropped int
}

func newLogSampler() *logSampler {
	return &logSampler{lim: newRateLimiter(rejectLogPerMinute, rejectLogBurst, 1)}
}

// take reports whether a line may be written at now and how many were
// dropped since the last one written.
func (l *logSampler) take(now time.Time) (ok bool, dropped int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ok, _ := l.lim.allow("", now); !ok {
		l.dropped++
		return false, 0
	}
	dropped, l.dropped = l.dropped, 0
	return true, dropped
}

// rejectLog starts a warning about a refused request, or returns nil when
// the sampler drops it (zerolog's methods do nothing on a nil event).
func (s *Server) rejectLog() *zerolog.Event {
	ok, dropped := s.rejects.take(s.Now())
	if !ok {
		return nil
	}
	ev := s.Log.Warn()
	if dropped > 0 {
		ev = ev.Int("dropped", dropped)
	}
	return ev
}
