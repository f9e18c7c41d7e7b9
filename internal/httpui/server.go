// Package httpui serves nhachan's web pages and operations endpoints: the
// status board, a page per task, agency and occurrence, the compliance
// report and its downloads, the agencies' calendar feeds, the signed
// "Xác nhận đã nộp" and "Xin gia hạn" links, the admin area, /healthz and
// /metrics. Pages are server-rendered from embedded html/template files in
// Vietnamese, with one static stylesheet and no JavaScript.
//
// GET and HEAD never change state (a mail scanner or a crawler opens every
// link): public pages read through the store's query_only pool. Only POSTs
// write: the signed-link forms (authorised by the token in the URL) and the
// admin forms (session cookie and CSRF token). Public pages show no e-mail
// address; the admin area, behind the login, does.
package httpui

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Server holds what the pages read. Its fields are set once, before
// Handler is called; everything the configuration decides comes from
// Runtime, asked again on every request, so a reload reaches the pages,
// the signed links and the admin area at once.
type Server struct {
	Store Store
	// Runtime returns the configuration in force; a reload swaps it whole.
	Runtime func() *Runtime
	// Now is the clock; "today" is Now in the setup's Location.
	Now func() time.Time
	// Health reports the daemon's liveness facts for /healthz.
	Health func() Health
	// Metrics backs /metrics; when nil, Handler makes one over Store that
	// serves the store's gauges only. On this handler /metrics answers
	// loopback peers only (and not through a proxy); MetricsElsewhere
	// leaves it out altogether, when serve gives it a listener of its own
	// (--metrics-listen).
	Metrics          *Metrics
	MetricsElsewhere bool
	Log              zerolog.Logger
	// RequestExtension records a "Xin gia hạn" request (links.go); it
	// must grant nothing. Nil: the page asks to contact Sở Nội vụ.
	RequestExtension ExtensionRequester
	// TrustLocalProxy adds loopback to the trusted proxies of the runtime
	// (--behind-local-proxy): see clientKey.
	TrustLocalProxy bool
	// PageCache is how long a rendering of a public page is served to
	// others (pagegate.go): 2 s when zero, none when negative.
	PageCache time.Duration
	// PageConcurrency bounds the pages rendering at once, each holding a
	// read connection; 2 when zero. Keep it below the store's ReadConns so
	// that the engine always finds a connection.
	PageConcurrency int

	once      sync.Once
	handler   http.Handler
	pages     *pageGate
	rejects   *logSampler
	linkPosts *rateLimiter
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Handler returns the routes wrapped in the security headers, the
// Vietnamese 404 and 405 pages and panic recovery. It is built once.
func (s *Server) Handler() http.Handler {
	s.once.Do(func() {
		if s.Metrics == nil {
			s.Metrics = NewMetrics(s.Store, s.Log)
		}
		s.pages = newPageGate(s)
		s.rejects = newLogSampler()
		cached := s.pages.cached
		mux := http.NewServeMux()
		// GET patterns match HEAD too; net/http drops HEAD bodies.
		mux.HandleFunc("GET /{$}", cached(s.board))
		mux.HandleFunc("GET /cong-viec/{task}", cached(s.task))
		mux.HandleFunc("GET /co-quan/{agency}", cached(s.agency))
		mux.HandleFunc("GET /nghia-vu/{id}", cached(s.occurrence))
		mux.HandleFunc("GET /healthz", s.healthz)
		if !s.MetricsElsewhere {
			mux.Handle("GET /metrics", s.loopbackOnly(s.Metrics.Handler()))
		}
		mux.HandleFunc("GET /static/{file}", s.static)
		s.linkRoutes(mux)
		mux.HandleFunc("GET /bao-cao", cached(s.reportPage))
		mux.HandleFunc("GET /bao-cao.csv", cached(s.reportCSV))
		mux.HandleFunc("GET /bao-cao.xlsx", cached(s.reportXLSX))
		mux.HandleFunc("GET /lich/{file}", s.pages.limited(s.calendarFeed))
		s.adminRoutes(mux)
		s.handler = secure(s.recoverer(s.fallback(mux)))
	})
	return s.handler
}

// loopbackOnly serves h to a peer on this machine that is not a proxy
// forwarding someone else's request; anyone else gets the 404 page, as if
// the address did not exist.
func (s *Server) loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		a, perr := netip.ParseAddr(host)
		forwarded := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != ""
		if err != nil || perr != nil || !a.Unmap().IsLoopback() || forwarded {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// NewHTTPServer returns a server for h with every timeout set, so that a
// slow or idle client cannot hold connections open forever.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// csp allows the one stylesheet and nothing else: no script, no frame, no
// foreign form target.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// secure sets the security headers on every response, errors included.
// Pages are not cached: the board changes with every submission.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// static serves the embedded files (the stylesheet), cached for an hour;
// anything else, directories included, is the Vietnamese 404.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := "static/" + r.PathValue("file")
	if st, err := fs.Stat(staticFS, name); err != nil || st.IsDir() {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeFileFS(w, r, staticFS, name)
}

// recoverer turns a panic into the Vietnamese 500 page and a log line.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error().Interface("panic", v).Str("path", r.URL.Path).Bytes("stack", debug.Stack()).Msg("handler panicked")
				s.serverError(w, r, nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// fallback serves the mux, but answers unknown paths and wrong methods
// with Vietnamese pages instead of the mux's English plain text. The mux
// itself decides which of the two it is (and the Allow header), by being
// asked for its handler and run against a probe.
func (s *Server) fallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		p := &probe{header: http.Header{}}
		h.ServeHTTP(p, r)
		if p.code == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", p.header.Get("Allow"))
			s.errorPage(w, r, http.StatusMethodNotAllowed, "Phương thức không được hỗ trợ",
				"Địa chỉ này không chấp nhận yêu cầu "+r.Method+".")
			return
		}
		s.notFound(w, r)
	})
}

// probe records what the mux's own error handler would answer.
type probe struct {
	header http.Header
	code   int
}

func (p *probe) Header() http.Header         { return p.header }
func (p *probe) Write(b []byte) (int, error) { return len(b), nil }
func (p *probe) WriteHeader(code int)        { p.code = code }

// page is what every template's layout reads.
type page struct {
	Title string
	Today string
	// Year keeps the year across the navigation links.
	Year int
}

var (
	funcs = template.FuncMap{
		"path": url.PathEscape,
	}
	layout = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
	pages  = map[string]*template.Template{}
)

func init() {
	for _, name := range []string{"board", "task", "agency", "occurrence", "error"} {
		pages[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
	}
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	if err := writePage(w, code, pages[name], "layout.html", data); err != nil {
		s.Log.Error().Err(err).Str("template", name).Msg("render")
		if name != "error" {
			s.serverError(w, r, nil)
		} else {
			http.Error(w, "Lỗi hệ thống", http.StatusInternalServerError)
		}
	}
}

// writePage executes a page into a buffer first and writes it only when it
// rendered whole; on error nothing has been written.
func writePage(w http.ResponseWriter, code int, t *template.Template, layout string, data any) error {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, layout, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
	return nil
}

type errorView struct {
	page
	Code    int
	Message string
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, code int, title, msg string) {
	s.render(w, r, code, "error", errorView{page: page{Title: title}, Code: code, Message: msg})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Không tìm thấy trang",
		"Địa chỉ này không có trong hệ thống. Xin kiểm tra lại đường dẫn hoặc quay về bảng theo dõi.")
}

func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	s.errorPage(w, r, http.StatusBadRequest, "Yêu cầu không hợp lệ", msg)
}

// serverError logs err and shows a page that reveals nothing of it.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.Log.Error().Err(err).Str("path", r.URL.Path).Msg("request failed")
	}
	s.errorPage(w, r, http.StatusInternalServerError, "Lỗi hệ thống",
		"Hệ thống tạm thời không xử lý được yêu cầu. Xin thử lại sau ít phút; nếu lỗi còn lặp lại, xin báo quản trị viên.")
}

// today is the civil date in the configuration's time zone.
func (s *Server) today(st notify.Setup) schedule.Date {
	return schedule.DateOf(s.Now().In(location(st)))
}

// location is the configured zone; a setup without one (a test's) reads
// days in UTC.
func location(st notify.Setup) *time.Location {
	if st.Location == nil {
		return time.UTC
	}
	return st.Location
}
