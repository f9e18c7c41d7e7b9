package httpui

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// rateLimiter is a token bucket per client: each client may make burst
// requests at once, then one every interval. It is for the signed-link
// POSTs, which write to the database and are reachable without a login.
//
// The bucket is kept in its exact integer form (the "generic cell rate
// algorithm"): per client, the theoretical arrival time tat of the next
// request if the client had used its whole allowance. A request at now is
// allowed when tat - now ≤ (burst-1)·interval, and then moves tat one
// interval on. No floating point, so no tokens lost to rounding.
//
// Memory is bounded: the table holds at most max clients. A client whose
// tat has passed has a full bucket, worth nothing (a new one would be the
// same), so when the table is full such clients are swept out first. If
// every bucket is still in use — many clients at once, or one attacker
// rotating addresses — clients that do not fit share one overflow bucket,
// so that rotating addresses buys no extra requests; clients already
// tracked keep theirs.
//
// The limiter keeps no clock: callers pass now (Server.Now), so tests run
// it on a fake clock.
type rateLimiter struct {
	interval time.Duration // one request per interval, sustained
	slack    time.Duration // (burst-1)·interval: how far ahead tat may run
	max      int           // most clients tracked, not counting the overflow

	mu        sync.Mutex
	tats      map[string]time.Time
	overflow  time.Time
	lastSweep time.Time
}

// newRateLimiter allows perMinute requests a minute after a burst of burst,
// for at most max clients tracked separately.
func newRateLimiter(perMinute, burst, max int) *rateLimiter {
	interval := time.Minute / time.Duration(perMinute)
	return &rateLimiter{interval: interval, slack: time.Duration(burst-1) * interval, max: max,
		tats: make(map[string]time.Time)}
}

// allow spends one request of client's allowance at now. When none is
// left it returns false and how long until one will be.
func (l *rateLimiter) allow(client string, now time.Time) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tat, tracked := l.tats[client]
	if !tracked && len(l.tats) >= l.max {
		l.sweep(now)
	}
	useOverflow := !tracked && len(l.tats) >= l.max
	if useOverflow {
		tat = l.overflow
	}
	if tat.Before(now) {
		tat = now
	}
	if ahead := tat.Sub(now); ahead > l.slack {
		return false, ahead - l.slack
	}
	if useOverflow {
		l.overflow = tat.Add(l.interval)
	} else {
		l.tats[client] = tat.Add(l.interval)
	}
	return true, 0
}

// sweep drops the clients whose buckets are full again. It runs at most
// once per interval, so that a full table of busy clients costs one scan
// every few seconds, not one per request.
func (l *rateLimiter) sweep(now time.Time) {
	if since := now.Sub(l.lastSweep); !l.lastSweep.IsZero() && since >= 0 && since < l.interval {
		return
	}
	l.lastSweep = now
	for k, tat := range l.tats {
		if !tat.After(now) {
			delete(l.tats, k)
		}
	}
}

// size is how many clients are tracked (for tests).
func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.tats)
}

// clientKey names the client of r for rate limiting: the host of
// RemoteAddr, an IPv6 address reduced to its /64 (one subscriber usually
// holds a whole /64). With TrustLocalProxy, a request from a loopback peer
// (the reverse proxy on this machine) is the last address of
// X-Forwarded-For, the one the proxy appended: the ones before it are the
// client's own words. Otherwise forwarding headers are ignored, since
// anyone can send them, and behind a proxy every client shares the proxy's
// address, which makes the limit global rather than per client —
// stricter, never looser.
func (s *Server) clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if s.TrustLocalProxy && peerIsLoopback(r) {
		if f := forwardedFor(r); f != "" {
			host = f
		}
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.String()
		}
	}
	return a.String()
}

// forwardedFor is the last address of r's X-Forwarded-For headers, "" when
// there is none or it is not an IP address.
func forwardedFor(r *http.Request) string {
	vs := r.Header.Values("X-Forwarded-For")
	if len(vs) == 0 {
		return ""
	}
	last := vs[len(vs)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	last = strings.TrimSpace(last)
	if _, err := netip.ParseAddr(last); err != nil {
		return ""
	}
	return last
}

// retrySeconds is a Retry-After value: whole seconds, at least one.
func retrySeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return s
}
