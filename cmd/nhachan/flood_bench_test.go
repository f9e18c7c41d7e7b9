package main

// BenchmarkBoardFlood is the busy morning (issue "Hold up under a hostile
// internet and a busy morning"): 1,000 clients at once request the status
// board of the real daemon, each again as soon as it has its answer, for
// 20 s, while /healthz is polled every 200 ms. The goal is that the flood
// slows the board, never the daemon's health: every health answer 200, and
// the board's p99 under 1 s. It reports the board's p50, p99 and max, the
// requests a second, and the health polls and how many were not 200.
//
// Bounded: 1,000 clients, 20 s, only 127.0.0.1 (the daemon listens there,
// the client dials nothing else). It is part of `make bench`
// (.ci/bench-table.sh), never of `make test`: it runs only with
// NHACHAN_BENCH_FLOOD=1. NHACHAN_FLOOD_BIN runs it against another build
// of nhachan (e.g. an older one, for comparison).

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	floodClients  = 1000
	floodDuration = 20 * time.Second
	floodHealth   = 200 * time.Millisecond
)

func BenchmarkBoardFlood(b *testing.B) {
	if os.Getenv("NHACHAN_BENCH_FLOOD") != "1" {
		b.Skip("set NHACHAN_BENCH_FLOOD=1: 1,000 clients on the board for 20 s (make bench)")
	}
	bin := os.Getenv("NHACHAN_FLOOD_BIN")
	if bin == "" {
		bin = floodBinary(b, b.TempDir())
	}
	cfgFile, cfg := provinceFixture(b)
	benchSimulate(b, bin, cfgFile, cfg.Daemon.Database)
	base := startFloodServe(b, bin, cfgFile)

	var res floodResult
	for b.Loop() {
		res = flood(b, base)
	}
	if res.boardOK == 0 {
		b.Fatal("no board request succeeded")
	}
	slices.Sort(res.lat)
	pct := func(p float64) float64 {
		i := int(p * float64(len(res.lat)-1))
		return float64(res.lat[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "ms-p50")
	b.ReportMetric(pct(0.99), "ms-p99")
	b.ReportMetric(float64(res.lat[len(res.lat)-1])/float64(time.Millisecond), "ms-max")
	b.ReportMetric(float64(res.boardOK)/res.elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(res.boardFail), "board-failed")
	b.ReportMetric(float64(res.boardBytes)/float64(max(res.boardOK, 1)), "B/page")
	b.ReportMetric(float64(res.health), "health-polls")
	b.ReportMetric(float64(res.healthBad), "health-not-200")
	b.ReportMetric(float64(res.healthMax)/float64(time.Millisecond), "ms-health-max")
	if res.healthBad > 0 {
		b.Logf("health answers that were not 200: %v", res.healthCodes)
	}
}

// floodBinary builds the daemon with the go command's cache (a plain
// build: what is measured is the web server, not the static link).
func floodBinary(b *testing.B, dir string) string {
	b.Helper()
	bin := filepath.Join(dir, "nhachan")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startFloodServe starts `nhachan serve` on cfgFile (listening on a free
// port of 127.0.0.1), waits until /healthz reports a tick, and returns the
// base URL. The daemon is stopped when the benchmark ends.
func startFloodServe(b *testing.B, bin, cfgFile string) string {
	b.Helper()
	args := []string{"serve", "--config", cfgFile, "--listen", "127.0.0.1:0"}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root")
	}
	p := launch(b, "serve", 10*time.Minute, func(ctx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.WaitDelay = 5 * time.Second
		return cmd
	})
	b.Cleanup(p.stop)
	l := p.waitLog(time.Minute, "the listen address", msgIs("web pages, /healthz and /metrics"))
	base := l.str("listen")
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		b.Fatalf("the daemon listens at %q, not on 127.0.0.1", base)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(time.Minute)
	for {
		code, h := getHealthz(client, base+"/healthz")
		if code == http.StatusOK && h.LastTick != nil {
			return base
		}
		if time.Now().After(deadline) {
			b.Fatalf("no healthy tick within a minute (/healthz %d)", code)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type floodResult struct {
	lat                []time.Duration // every successful board request
	boardOK, boardFail int
	boardBytes         int64
	health, healthBad  int
	healthMax          time.Duration
	healthCodes        map[int]int
	elapsed            time.Duration
}

// flood runs the clients and the health poller for floodDuration.
func flood(b *testing.B, base string) floodResult {
	b.Helper()
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		b.Fatalf("refusing to load %s: loopback only", base)
	}
	// One connection per client, kept alive, as browsers do.
	tr := &http.Transport{MaxIdleConnsPerHost: floodClients, MaxConnsPerHost: floodClients,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext, DisableCompression: false}
	defer tr.CloseIdleConnections()
	board := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}

	ctx, cancel := context.WithTimeout(context.Background(), floodDuration)
	defer cancel()
	var (
		mu    sync.Mutex
		res   = floodResult{healthCodes: map[int]int{}}
		bytes atomic.Int64
		wg    sync.WaitGroup
	)
	start := time.Now()
	for range floodClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			ok, failed := 0, 0
			for ctx.Err() == nil {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/", nil)
				resp, err := board.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						failed++
					}
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					if ctx.Err() == nil {
						failed++
					}
					continue
				}
				lat = append(lat, time.Since(t0))
				bytes.Add(n)
				ok++
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.boardOK += ok
			res.boardFail += failed
			mu.Unlock()
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(floodHealth)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			t0 := time.Now()
			code, _ := getHealthz(hc, base+"/healthz")
			d := time.Since(t0)
			mu.Lock()
			res.health++
			res.healthMax = max(res.healthMax, d)
			if code != http.StatusOK {
				res.healthBad++
				res.healthCodes[code]++
			}
			mu.Unlock()
		}
	}()
	wg.Wait()
	res.elapsed = time.Since(start)
	res.boardBytes = bytes.Load()
	b.Logf("%d clients, %s: %d board answers (%d failed), %d health polls (%d not 200)",
		floodClients, res.elapsed.Round(time.Millisecond), res.boardOK, res.boardFail, res.health, res.healthBad)
	if res.health == 0 {
		b.Fatal(fmt.Errorf("no health poll ran"))
	}
	return res
}
