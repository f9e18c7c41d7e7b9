package main

// The daemon's half of the soak: while the year is simulated, a real
// `nhachan serve` runs beside it on its own database (a tick every second,
// mail to its outbox folder), its web pages are requested several times a
// second, it is sent SIGHUP every few seconds and its schedule file is
// touched (the file watcher reloads it); its goroutines, open files and
// resident memory, read from its own /metrics, must stay flat.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serveSample is one reading of the daemon's /metrics.
type serveSample struct {
	At         time.Duration
	Goroutines int
	OpenFDs    int
	RSSMB      float64
}

// serveSoak is the daemon of the soak and what was done to it.
type serveSoak struct {
	t        *testing.T
	p        *proc
	base     string
	stop     chan struct{}
	done     chan struct{}
	mu       sync.Mutex
	samples  []serveSample
	requests int
	errors   []string
	reloads  int
}

// startServeSoak starts the daemon and its load; finish stops both.
func startServeSoak(t *testing.T) *serveSoak {
	t.Helper()
	c := writeProcConfig(t, 42, "", -3, 2, 10)
	p := startProc(t, "serve#soak", 40*time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
	base := p.waitLog(30*time.Second, "listen address", msgIs("web pages, /healthz and /metrics")).str("listen")
	s := &serveSoak{t: t, p: p, base: base, stop: make(chan struct{}), done: make(chan struct{})}
	pages := []string{"/", "/?nam=" + strconv.Itoa(vnToday().Year()), "/bao-cao", "/healthz", "/cong-viec/I.1", "/nghia-vu/1", "/bao-cao.csv",
		"/co-quan/co-quan-001", "/khong-co-trang-nay", "/xac-nhan/hong"}
	client := &http.Client{Timeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		rng := rand.New(rand.NewPCG(1, 2))
		start := time.Now()
		nextSample, nextHUP, nextTouch := start, start.Add(3*time.Second), start.Add(5*time.Second)
		for {
			select {
			case <-s.stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			now := time.Now()
			if now.After(nextSample) {
				nextSample = now.Add(2 * time.Second)
				if smp, err := s.sample(client, now.Sub(start)); err != nil {
					s.fail("metrics: %v", err)
				} else {
					s.mu.Lock()
					s.samples = append(s.samples, smp)
					s.mu.Unlock()
				}
			}
			if now.After(nextHUP) {
				nextHUP = now.Add(5 * time.Second)
				p.signal(syscall.SIGHUP)
				s.mu.Lock()
				s.reloads++
				s.mu.Unlock()
			}
			if now.After(nextTouch) {
				nextTouch = now.Add(7 * time.Second)
				if err := os.Chtimes(c.Schedule, now, now); err != nil {
					s.fail("touch the schedule: %v", err)
				}
			}
			path := pages[rng.IntN(len(pages))]
			resp, err := client.Get(base + path)
			if err != nil {
				s.fail("GET %s: %v", path, err)
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				s.fail("GET %s: %s", path, resp.Status)
			}
			s.mu.Lock()
			s.requests++
			s.mu.Unlock()
		}
	}()
	return s
}

func (s *serveSoak) fail(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errors) < 20 {
		s.errors = append(s.errors, fmt.Sprintf(format, args...))
	}
}

// sample reads go_goroutines, process_open_fds and
// process_resident_memory_bytes from the daemon's /metrics.
func (s *serveSoak) sample(client *http.Client, at time.Duration) (serveSample, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/metrics", nil)
	if err != nil {
		return serveSample{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return serveSample{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return serveSample{}, fmt.Errorf("%s", resp.Status)
	}
	smp := serveSample{At: at, Goroutines: -1, OpenFDs: -1, RSSMB: -1}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			continue
		}
		switch name {
		case "go_goroutines":
			smp.Goroutines = int(v)
		case "process_open_fds":
			smp.OpenFDs = int(v)
		case "process_resident_memory_bytes":
			smp.RSSMB = v / (1 << 20)
		}
	}
	if err := sc.Err(); err != nil {
		return serveSample{}, err
	}
	if smp.Goroutines < 0 || smp.OpenFDs < 0 || smp.RSSMB < 0 {
		return serveSample{}, fmt.Errorf("go_goroutines, process_open_fds or process_resident_memory_bytes missing: %+v", smp)
	}
	return smp, nil
}

// finish stops the load and the daemon, reports the readings and checks
// that the last minute holds no more than the first (after half a minute of
// warm-up): no goroutine or open file more that stays, memory within
// ×1.5 + 5 MB.
func (s *serveSoak) finish() {
	t := s.t
	t.Helper()
	close(s.stop)
	<-s.done
	if s.p.exited() {
		t.Errorf("serve#soak exited during the soak (%v):\n%s", s.p.waitErr, tail(s.p.stderr.String(), 20))
	}
	s.p.stop()
	reloaded := s.p.countLogs(msgIs("configuration reloaded"))
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.errors {
		t.Errorf("serve#soak: %s", e)
	}
	if len(s.samples) < 60 {
		t.Errorf("serve#soak: only %d readings of /metrics; the soak is too short to judge", len(s.samples))
		return
	}
	// Warm-up: the first minute (the first tick, the caches of the pages).
	// The last minute is judged by its fewest goroutines and open files (a
	// reading may catch a request's or a reload's own, about to end: a
	// leak is what stays) and by its most memory.
	var warm, last serveSample
	last.Goroutines, last.OpenFDs = math.MaxInt, math.MaxInt
	var b strings.Builder
	fmt.Fprintf(&b, "serve beside the year: %d page requests, %d SIGHUPs, %d reloads logged, %d readings of /metrics\n",
		s.requests, s.reloads, reloaded, len(s.samples))
	fmt.Fprintf(&b, "%8s %10s %10s %8s\n", "at", "goroutines", "open fds", "RSS")
	step := max(1, len(s.samples)/12)
	for i, smp := range s.samples {
		if smp.At >= 30*time.Second && smp.At < 90*time.Second {
			warm.Goroutines = max(warm.Goroutines, smp.Goroutines)
			warm.OpenFDs = max(warm.OpenFDs, smp.OpenFDs)
			warm.RSSMB = max(warm.RSSMB, smp.RSSMB)
		}
		if i >= len(s.samples)-30 {
			last.Goroutines = min(last.Goroutines, smp.Goroutines)
			last.OpenFDs = min(last.OpenFDs, smp.OpenFDs)
			last.RSSMB = max(last.RSSMB, smp.RSSMB)
		}
		if i%step == 0 || i == len(s.samples)-1 {
			fmt.Fprintf(&b, "%8s %10d %10d %5.1f MB\n", smp.At.Round(time.Second), smp.Goroutines, smp.OpenFDs, smp.RSSMB)
		}
	}
	t.Log(b.String())
	if reloaded == 0 {
		t.Errorf("serve#soak: no reload logged after %d SIGHUPs", s.reloads)
	}
	if last.Goroutines > warm.Goroutines {
		t.Errorf("serve#soak: goroutines grew: at most %d in the first minute, at least %d in the last", warm.Goroutines, last.Goroutines)
	}
	if last.OpenFDs > warm.OpenFDs {
		t.Errorf("serve#soak: open files grew: at most %d in the first minute, at least %d in the last", warm.OpenFDs, last.OpenFDs)
	}
	if lim := warm.RSSMB*1.5 + 5; last.RSSMB > lim {
		t.Errorf("serve#soak: RSS grew from %.1f MB (first minute) to %.1f MB (last minute), limit %.1f MB", warm.RSSMB, last.RSSMB, lim)
	}
}
