package httpui

import (
	"fmt"
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

// check reports whether client could spend a request at now, without
// spending it, and if not how long until it could.
func (l *rateLimiter) check(client string, now time.Time) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tat, tracked := l.tats[client]
	if !tracked && len(l.tats) >= l.max {
		tat = l.overflow
	}
	if ahead := tat.Sub(now); ahead > l.slack {
		return false, ahead - l.slack
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
// holds a whole /64). When the peer is a trusted proxy (Runtime's
// TrustedProxies, reloaded with the configuration, or
// loopback with TrustLocalProxy), X-Forwarded-For is read from the right:
// each trusted proxy appended the address it got the request from, so the
// first address from the right that is not itself a trusted proxy is the
// client; what stands left of it is the client's own words. Otherwise
// forwarding headers are ignored, since anyone can send them, and behind
// an untrusted proxy every client shares the proxy's address, which makes
// the limit global rather than per client — stricter, never looser.
func (s *Server) clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.Unmap().WithZone("")
	var trusted []netip.Prefix
	if s.Runtime != nil {
		trusted = s.Runtime().TrustedProxies
	}
	if s.trustedProxy(trusted, a) {
		a = s.forwardedClient(r, trusted, a)
	}
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.String()
		}
	}
	return a.String()
}

// trustedProxy reports whether a is a reverse proxy whose
// X-Forwarded-For is believed.
func (s *Server) trustedProxy(trusted []netip.Prefix, a netip.Addr) bool {
	if s.TrustLocalProxy && a.IsLoopback() {
		return true
	}
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedClient walks r's X-Forwarded-For from the right past trusted
// proxies and returns the first other address; peer when the header is
// missing, holds a malformed entry before one is found, or names only
// trusted proxies.
func (s *Server) forwardedClient(r *http.Request, trusted []netip.Prefix, peer netip.Addr) netip.Addr {
	vs := r.Header.Values("X-Forwarded-For")
	for i := len(vs) - 1; i >= 0; i-- {
		parts := strings.Split(vs[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return peer
			}
			a = a.Unmap().WithZone("")
			if !s.trustedProxy(trusted, a) {
				return a
			}
		}
	}
	return peer
}

// ParseTrustedProxies reads a comma-separated list of networks (CIDR) or
// single addresses, as --trusted-proxies and trusted_proxies give them.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q không phải là địa chỉ IP hoặc dải mạng (CIDR, ví dụ 172.17.0.0/16)", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q không phải là địa chỉ IP hoặc dải mạng (CIDR, ví dụ 172.17.0.0/16)", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// retrySeconds is a Retry-After value: whole seconds, at least one.
func retrySeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return s
}
