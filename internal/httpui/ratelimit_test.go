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
		if got := clientKey(r); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", remote, got, want)
		}
	}
}
