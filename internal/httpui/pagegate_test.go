package httpui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// gateFixture is a page gate over a handler that counts its renderings
// and can be held while rendering.
type gateFixture struct {
	now     time.Time
	g       *pageGate
	renders atomic.Int32
	hold    chan struct{} // when non-nil, a rendering waits for it
	h       http.HandlerFunc
}

func newGateFixture() *gateFixture {
	gf := &gateFixture{now: today}
	s := &Server{Now: func() time.Time { return gf.now }, Log: zerolog.Nop()}
	gf.g = newPageGate(s)
	s.rejects = newLogSampler()
	gf.h = gf.g.cached(func(w http.ResponseWriter, r *http.Request) {
		n := gf.renders.Add(1)
		if gf.hold != nil {
			<-gf.hold
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "rendering %d of %s", n, r.URL.RawQuery)
	})
	return gf
}

func (gf *gateFixture) get(target string) string {
	rec := httptest.NewRecorder()
	gf.h(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Body.String()
}

// One rendering serves everybody within its time, whatever the order of
// the query; requests during a rendering wait for it; a write drops it.
func TestPageGateRendersOnce(t *testing.T) {
	gf := newGateFixture()
	gf.hold = make(chan struct{})
	var wg sync.WaitGroup
	bodies := make([]string, 50)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = gf.get("/?nam=2026&co-quan=stp")
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them all arrive while the first renders
	close(gf.hold)
	wg.Wait()
	gf.hold = nil
	for i, b := range bodies {
		if b != "rendering 1 of nam=2026&co-quan=stp" {
			t.Fatalf("request %d got %q", i, b)
		}
	}
	if got := gf.get("/?co-quan=stp&nam=2026"); got != "rendering 1 of nam=2026&co-quan=stp" {
		t.Errorf("same page, other order: %q", got)
	}
	if n := gf.renders.Load(); n != 1 {
		t.Errorf("%d renderings for 51 requests, want 1", n)
	}
	gf.g.invalidate()
	if got := gf.get("/?nam=2026&co-quan=stp"); got != "rendering 2 of nam=2026&co-quan=stp" {
		t.Errorf("after a write: %q", got)
	}
}

// When a rendering is too old, the request that finds it renders afresh
// while the others get the old one at once instead of waiting.
func TestPageGateServesPreviousWhileRefreshing(t *testing.T) {
	gf := newGateFixture()
	if got := gf.get("/"); got != "rendering 1 of " {
		t.Fatal(got)
	}
	gf.now = gf.now.Add(defaultPageCache)
	gf.hold = make(chan struct{})
	done := make(chan string)
	go func() { done <- gf.get("/") }()
	for gf.renders.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	if got := gf.get("/"); got != "rendering 1 of " {
		t.Errorf("during the refresh: %q, want the previous rendering", got)
	}
	close(gf.hold)
	if got := <-done; got != "rendering 2 of " {
		t.Errorf("the refreshing request got %q", got)
	}
	gf.hold = nil
	if got := gf.get("/"); got != "rendering 2 of " {
		t.Errorf("after the refresh: %q", got)
	}
}
