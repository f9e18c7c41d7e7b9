package httpui

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"
)

func TestRateLimiterBurstAndRefill(t *testing.T) {
	l := newRateLimiter(10, 5, 100) // one token every 6s
	now := time.Date(2026, 6, 15, 10, 0, 0, 0, hcm)
	for i := range 5 {
		if ok, _ := l.allow("a", now); !ok {
			t.Fatalf("request %d refused inside the burst", i+1)
		}
	}
	ok, wait := l.allow("a", now)
	if ok || wait != 6*time.Second || retrySeconds(wait) != 6 {
		t.Fatalf("after the burst: ok=%v wait=%v", ok, wait)
	}
	if ok, wait := l.allow("a", now.Add(4*time.Second)); ok || retrySeconds(wait) != 2 {
		t.Errorf("4s later: ok=%v wait=%v", ok, wait)
	}
	if ok, _ := l.allow("a", now.Add(6*time.Second)); !ok {
		t.Error("6s later: refused")
	}
	// Ten a minute, sustained.
	allowed := 0
	for s := 7; s <= 66; s++ {
		if ok, _ := l.allow("a", now.Add(time.Duration(s)*time.Second)); ok {
			allowed++
		}
	}
	if allowed != 10 {
		t.Errorf("%d allowed in a minute, want 10", allowed)
	}
	// A long pause refills to the burst, not beyond.
	later := now.Add(time.Hour)
	n := 0
	for range 20 {
		if ok, _ := l.allow("a", later); ok {
			n++
		}
	}
	if n != 5 {
		t.Errorf("after an hour %d allowed at once, want 5", n)
	}
	// A clock going backwards earns nothing.
	if ok, _ := l.allow("a", now); ok {
		t.Error("going back in time refilled the bucket")
	}
}

func TestRateLimiterBoundedMemory(t *testing.T) {
	l := newRateLimiter(10, 5, 3)
	now := time.Date(2026, 6, 15, 10, 0, 0, 0, hcm)
	for i := range 3 {
		l.allow(fmt.Sprint("c", i), now)
	}
	// The table is full of busy clients: newcomers share the overflow
	// bucket, so rotating addresses buys one burst in all, not one each.
	granted := 0
	for i := range 1000 {
		if ok, _ := l.allow(fmt.Sprint("new", i), now); ok {
			granted++
		}
	}
	if l.size() != 3 {
		t.Errorf("table holds %d clients, want at most 3", l.size())
	}
	if granted != 5 {
		t.Errorf("1000 new addresses got %d requests, want 5 (the overflow burst)", granted)
	}
	// Once the tracked clients have refilled, they are swept and newcomers
	// get buckets of their own again.
	later := now.Add(time.Minute)
	if ok, _ := l.allow("fresh", later); !ok {
		t.Error("a newcomer after the sweep was refused")
	}
	if l.size() != 1 {
		t.Errorf("after the sweep the table holds %d, want 1", l.size())
	}
	// Many distinct clients over time never grow the table past max.
	for i := range 10000 {
		l.allow(fmt.Sprint("x", i), later.Add(time.Duration(i)*time.Second))
		if l.size() > 3 {
			t.Fatalf("table grew to %d", l.size())
		}
	}
}

func TestClientKey(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.1:1234":             "192.0.2.1",
		"[::ffff:192.0.2.1]:1234":    "192.0.2.1",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2::9]:443":      "2001:db8:1:2::/64",
		"[fe80::1%eth0]:80":          "fe80::/64",
		"192.0.2.9":                  "192.0.2.9",
		"not an address":             "not an address",
	} {
		r := httptest.NewRequest("POST", "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", "203.0.113.7") // ignored without TrustLocalProxy
		if got := (&Server{}).clientKey(r); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", remote, got, want)
		}
	}
}

// With TrustLocalProxy, behind a reverse proxy on this machine the client
// is the address the proxy appended to X-Forwarded-For; what the client
// wrote before it, and the header from any other peer, count for nothing.
// Without it the header is ignored even from loopback: a proxy that passes
// the client's header on unchanged would let anyone choose their bucket.
func TestClientKeyBehindLocalProxy(t *testing.T) {
	trusting := &Server{TrustLocalProxy: true}
	for _, c := range []struct {
		remote string
		xff    []string
		want   string
	}{
		{"127.0.0.1:5000", []string{"203.0.113.7"}, "203.0.113.7"},
		{"127.0.0.1:5000", []string{"198.51.100.1, 203.0.113.7"}, "203.0.113.7"}, // the first is the client's claim
		{"127.0.0.1:5000", []string{"198.51.100.1", "203.0.113.8"}, "203.0.113.8"},
		{"[::1]:5000", []string{"2001:db8:1:2::9"}, "2001:db8:1:2::/64"},
		{"127.0.0.1:5000", []string{"203.0.113.7, not-an-ip"}, "127.0.0.1"},
		{"127.0.0.1:5000", nil, "127.0.0.1"},
		{"192.0.2.1:1234", []string{"203.0.113.7"}, "192.0.2.1"}, // not a local proxy: ignored
	} {
		r := httptest.NewRequest("POST", "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := trusting.clientKey(r); got != c.want {
			t.Errorf("clientKey(%s, X-Forwarded-For %q) = %q, want %q", c.remote, c.xff, got, c.want)
		}
		if got := (&Server{}).clientKey(r); c.remote == "127.0.0.1:5000" && got != "127.0.0.1" {
			t.Errorf("without TrustLocalProxy clientKey(%s, X-Forwarded-For %q) = %q, want the proxy's address", c.remote, c.xff, got)
		}
	}
}
