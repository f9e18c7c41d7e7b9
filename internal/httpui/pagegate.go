package httpui

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The public pages under load. A crowd opening the board at 08:00 (or a
// flood of requests) must slow the pages down, never the daemon's own work
// or its health check. Two mechanisms:
//
//   - a short-lived cache of the public pages (the board, the task, agency
//     and duty pages, the report and its downloads): within PageCache of
//     one another, requests for the same address get the same rendering,
//     and requests that arrive while it renders wait for that one instead
//     of starting their own ("single flight"), or, when it renders only
//     because the previous one grew too old, get the previous one at once.
//     A write made through this
//     server (a link's POST, an admin's action) drops every cached page at
//     once, so nobody sees their own change missing;
//   - a bound on the pages rendering at once (PageConcurrency): each
//     rendering holds a read connection of the store, and the store's read
//     pool also serves the engine. A request that cannot start within
//     pageWait is answered 503 with Retry-After.
//
// /healthz passes through neither: it has its own connection
// (sqlite.DB.HealthCheck).

// Defaults of the page gate.
const (
	defaultPageCache       = 2 * time.Second
	defaultPageConcurrency = 2
	// pageWait is how long a request may wait for a rendering slot.
	pageWait = 10 * time.Second
	// pageCacheEntries and pageCacheBytes bound the cache: addresses with
	// random query strings must not grow it without end.
	pageCacheEntries = 256
	pageCacheBytes   = 32 << 20
)

// pageGate is the cache and the concurrency bound, made once by Handler.
type pageGate struct {
	s   *Server
	ttl time.Duration // 0: no cache
	sem chan struct{}

	mu    sync.Mutex
	gen   uint64 // bumped by invalidate; entries of older generations are stale
	items map[string]*cachedPage
	bytes int
}

// cachedPage is one rendering; done is closed when it is complete.
type cachedPage struct {
	done   chan struct{}
	gen    uint64
	at     time.Time
	code   int // 0: the rendering did not happen (no slot, or a panic)
	header http.Header
	body   []byte
	// prev is the rendering this one replaces after its time ran out,
	// served while this one renders; nil once done (both under mu).
	prev *cachedPage
}

func newPageGate(s *Server) *pageGate {
	ttl := s.PageCache
	switch {
	case ttl == 0:
		ttl = defaultPageCache
	case ttl < 0:
		ttl = 0
	}
	n := s.PageConcurrency
	if n <= 0 {
		n = defaultPageConcurrency
	}
	return &pageGate{s: s, ttl: ttl, sem: make(chan struct{}, n), items: map[string]*cachedPage{}}
}

// invalidate drops every cached page: something was written.
func (g *pageGate) invalidate() {
	g.mu.Lock()
	g.gen++
	g.items = map[string]*cachedPage{}
	g.bytes = 0
	g.mu.Unlock()
}

// acquire waits for a rendering slot, at most pageWait.
func (g *pageGate) acquire(ctx context.Context) bool {
	select {
	case g.sem <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(pageWait)
	defer t.Stop()
	select {
	case g.sem <- struct{}{}:
		return true
	case <-ctx.Done():
	case <-t.C:
	}
	return false
}

func (g *pageGate) release() { <-g.sem }

// busy answers a request that found no rendering slot.
func (g *pageGate) busy(w http.ResponseWriter, r *http.Request) {
	if r.Context().Err() != nil {
		return // the client left; nobody reads the answer
	}
	w.Header().Set("Retry-After", "5")
	g.s.errorPage(w, r, http.StatusServiceUnavailable, "Hệ thống đang bận",
		"Hệ thống đang phục vụ nhiều yêu cầu cùng lúc. Xin đợi vài giây rồi tải lại trang.")
}

// limited runs h within the concurrency bound, without caching: for pages
// that depend on a token (signed links, calendar feeds).
func (g *pageGate) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !g.acquire(r.Context()) {
			g.busy(w, r)
			return
		}
		defer g.release()
		h(w, r)
	}
}

// cached serves h's page from the cache when a fresh rendering of the same
// address exists, joins a rendering in flight, or renders it (within the
// concurrency bound) and keeps it for the others.
func (g *pageGate) cached(h http.HandlerFunc) http.HandlerFunc {
	if g.ttl <= 0 {
		return g.limited(h)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		// The query in canonical order: ?a=1&b=2 and ?b=2&a=1 are one page.
		key := r.URL.Path + "?" + r.URL.Query().Encode()
		now := g.s.Now()
		g.mu.Lock()
		e := g.items[key]
		var prev *cachedPage
		if e != nil && e.stale(g.gen, now, g.ttl) {
			// Only outdated by age (nothing was written since): served to
			// the others while this request renders the page afresh, so
			// that the crowd does not stall on every refresh.
			if e.gen == g.gen && e.code != 0 {
				prev = e
			}
			g.forget(key, e)
			e = nil
		}
		if e != nil {
			if p := e.prev; p != nil {
				g.mu.Unlock()
				p.replay(w)
				return
			}
			g.mu.Unlock()
			select {
			case <-e.done:
			case <-r.Context().Done():
				return
			}
			if e.code == 0 {
				g.limited(h)(w, r)
				return
			}
			e.replay(w)
			return
		}
		e = &cachedPage{done: make(chan struct{}), gen: g.gen, prev: prev}
		g.items[key] = e
		g.mu.Unlock()
		g.fill(key, e, h, r)
		if e.code == 0 {
			g.busy(w, r)
			return
		}
		e.replay(w)
	}
}

// stale reports whether a complete entry is too old or of an older
// generation; an entry still rendering is never stale.
func (e *cachedPage) stale(gen uint64, now time.Time, ttl time.Duration) bool {
	if e.gen != gen {
		return true
	}
	select {
	case <-e.done:
	default:
		return false
	}
	age := now.Sub(e.at)
	return e.code == 0 || age >= ttl || age < 0
}

// forget removes key's entry e; the caller holds mu.
func (g *pageGate) forget(key string, e *cachedPage) {
	if g.items[key] == e {
		delete(g.items, key)
		g.bytes -= len(e.body)
	}
}

// fill renders e (within the bound) and publishes it. Server errors are not
// kept, and neither is a page that would overflow the cache's bounds.
func (g *pageGate) fill(key string, e *cachedPage, h http.HandlerFunc, r *http.Request) {
	defer close(e.done)
	defer func() {
		g.mu.Lock()
		e.prev = nil
		if e.code == 0 || e.code >= 500 {
			g.forget(key, e)
		}
		g.mu.Unlock()
	}()
	if !g.acquire(r.Context()) {
		return
	}
	defer g.release()
	rec := &pageRecorder{header: http.Header{}}
	h(rec, r)
	if rec.code == 0 {
		rec.code = http.StatusOK
	}
	e.header, e.body, e.at = rec.header, rec.buf.Bytes(), g.s.Now()
	g.mu.Lock()
	if g.items[key] == e {
		g.bytes += len(e.body)
		if len(g.items) > pageCacheEntries || g.bytes > pageCacheBytes {
			g.sweep(g.s.Now())
		}
		if len(g.items) > pageCacheEntries || g.bytes > pageCacheBytes {
			g.forget(key, e) // served to the ones waiting, not kept
		}
	}
	g.mu.Unlock()
	e.code = rec.code
}

// sweep drops the stale entries; the caller holds mu.
func (g *pageGate) sweep(now time.Time) {
	for k, e := range g.items {
		if e.stale(g.gen, now, g.ttl) {
			g.forget(k, e)
		}
	}
}

// replay writes a rendering to w; the security headers are already set.
func (e *cachedPage) replay(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(len(e.body)))
	w.WriteHeader(e.code)
	_, _ = w.Write(e.body)
}

// pageRecorder captures a handler's answer.
type pageRecorder struct {
	header http.Header
	code   int
	buf    bytes.Buffer
}

func (p *pageRecorder) Header() http.Header { return p.header }
func (p *pageRecorder) WriteHeader(code int) {
	if p.code == 0 {
		p.code = code
	}
}
func (p *pageRecorder) Write(b []byte) (int, error) {
	if p.code == 0 {
		p.code = http.StatusOK
	}
	return p.buf.Write(b)
}
