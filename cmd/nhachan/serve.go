package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/httpui"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// cmdServe runs the daemon: a cron tick wakes the engine; SIGHUP or a
// changed file reloads the configuration; SIGINT/SIGTERM stop it.
func cmdServe(e env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfgFile := configFlag(fs)
	dbPath := fs.String("db", "", "tệp cơ sở dữ liệu SQLite (mặc định: theo cấu hình)")
	smtpURL := fs.String("smtp", "", "máy chủ SMTP smtp://host:port?tls=none|starttls|tls (thay cho cấu hình)")
	listen := fs.String("listen", "127.0.0.1:8080", "địa chỉ lắng nghe của trang web, /healthz và /metrics (để trống: không mở)")
	publicURL := fs.String("public-url", "", "địa chỉ gốc của các liên kết trong thư (thay cho cấu hình)")
	allowRoot := fs.Bool("allow-root", false, "cho phép chạy bằng root (mặc định từ chối)")
	localProxy := fs.Bool("behind-local-proxy", false, "trang web được truy cập qua reverse proxy trên chính máy này, proxy ghi địa chỉ người dùng vào X-Forwarded-For: giới hạn tần suất áp dụng cho từng người dùng thay vì cho cả proxy")
	trustedProxies := fs.String("trusted-proxies", "", "các địa chỉ hoặc dải mạng (CIDR), cách nhau bằng dấu phẩy, của reverse proxy ghi địa chỉ người dùng vào X-Forwarded-For, ví dụ 172.17.0.1 cho nginx trên máy chạy Docker (thay cho trusted_proxies của cấu hình)")
	metricsListen := fs.String("metrics-listen", "", "địa chỉ lắng nghe riêng cho /metrics (thay cho metrics_listen của cấu hình; mặc định: /metrics trên --listen, chỉ cho chính máy này)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := refuseRoot(*allowRoot); err != nil {
		return err
	}
	proxies, err := httpui.ParseTrustedProxies(*trustedProxies)
	if err != nil {
		return exitError{code: exitConfig, msg: "nhachan serve: --trusted-proxies: " + err.Error()}
	}
	log := newLogger(e)
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return err
	}
	// The address is taken before anything is written: a daemon that
	// cannot serve its pages must not create the database nor fix its
	// tracking start.
	var ln net.Listener
	if *listen != "" {
		if ln, err = net.Listen("tcp", *listen); err != nil {
			return exitError{code: exitFail, msg: listenProblem(*listen, err)}
		}
		defer ln.Close() // Shutdown closes it too; a second Close is harmless
	}
	if *dbPath == "" {
		*dbPath = cfg.Daemon.Database
	}
	// The lock comes before the database is opened: a second daemon must
	// write nothing, not even a migration.
	if err := ensureDir(*dbPath); err != nil {
		return err
	}
	release, err := sqlite.LockDaemon(*dbPath)
	if err != nil {
		return exitError{code: exitFail, msg: "nhachan serve: " + err.Error()}
	}
	defer release()
	store, err := openStore(*dbPath, e.now)
	if err != nil {
		return err
	}
	defer store.Close()
	// SIGINT/SIGTERM are caught from here on. One that arrives during the
	// rest of the start-up neither kills the daemon mid-way nor fails it:
	// the start-up finishes (startCtx is not cancelled by it) and the
	// daemon stops cleanly at its first select.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	startCtx := context.WithoutCancel(ctx)
	if err := warnRestored(startCtx, store, log); err != nil {
		return err
	}
	// Holding the lock, every claim left in the outbox is a dead process's.
	if n, err := store.ReleaseClaims(startCtx); err != nil {
		return err
	} else if n > 0 {
		log.Warn().Int("rows", n).Msg("released the claims of a daemon that stopped without finishing; their messages may be sent again")
	}
	today := schedule.DateOf(e.now().In(cfg.Location))
	opts := runtimeOptions{smtpURL: *smtpURL, publicURL: *publicURL, trustedProxies: proxies}
	first, err := buildSnapshot(startCtx, cfg, store, today, opts)
	if err != nil {
		return err
	}
	// One pointer for the engine and the web server: a reload swaps both.
	var current atomic.Pointer[snapshot]
	current.Store(first)
	eng := notify.New(store, func() *notify.Setup { return &current.Load().engine }, e.now,
		log.With().Str("component", "engine").Logger())
	metrics := httpui.NewMetrics(store, log.With().Str("component", "metrics").Logger())
	// /metrics reads the database at most once per tick (the first
	// configuration's; a reload may change it, which only means more or
	// fewer readings).
	metrics.ReadStoreEvery(tickInterval(first.tick, e.now()), e.now)
	if *metricsListen == "" {
		*metricsListen = cfg.Daemon.MetricsListen
	}
	health := &healthState{started: e.now(), every: tickInterval(first.tick, e.now())}
	log.Info().Str("config", cfg.File).Str("db", *dbPath).Str("mail", first.via).Str("tick", first.tick).
		Str("tracking_start", first.engine.TrackingStart.String()).Msg("nhachan serve started")

	wake := make(chan struct{}, 1)
	poke := func() {
		select { // a tick that finds one pending coalesces with it
		case wake <- struct{}{}:
		default:
		}
	}
	c := cron.New(cron.WithLocation(cfg.Location))
	tickID, err := c.AddFunc(first.tick, poke)
	if err != nil {
		return fmt.Errorf("tick %q: %w", first.tick, err)
	}
	c.Start()
	defer c.Stop()

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	watcher := newFileWatcher(ctx, 2*time.Second, first.watch)

	reload := func(why string) {
		next, diags := config.Load(*cfgFile)
		var snap *snapshot
		var err error
		if diags.HasErrors() {
			for _, d := range diags.Errors() {
				log.Error().Str("reload", why).Msg(d.String())
			}
			err = errors.New(diags.Errors()[0].String())
		} else {
			snap, err = buildSnapshot(ctx, next, store, schedule.DateOf(e.now().In(next.Location)), opts)
		}
		if err == nil && snap.tick != current.Load().tick {
			var id cron.EntryID
			if id, err = c.AddFunc(snap.tick, poke); err == nil {
				c.Remove(tickID)
				tickID = id
				health.setEvery(tickInterval(snap.tick, e.now()))
			}
		}
		if err != nil {
			// Keep watching what the broken configuration names too, so
			// that fixing it reloads.
			if next != nil {
				watcher.set(append(append([]string(nil), current.Load().watch...), next.Files...))
			}
			// Health and metrics first: whoever reads the log line may ask
			// /healthz at once (TestReloadSwapsKeysAndAdmins does).
			health.reloaded(err, e.now())
			metrics.ObserveReload(false)
			log.Error().Err(err).Str("reload", why).Msg("configuration not reloaded: the previous one stays in force")
			return
		}
		// What the reload changes, counted as `check --impact` does, before
		// the engine applies it at its next tick.
		ev := log.Info()
		if im, err := notify.Compare(ctx, store, snap.engine, schedule.DateOf(e.now().In(next.Location))); err != nil {
			log.Warn().Err(err).Str("reload", why).Msg("reload impact not computed")
		} else {
			add, move, drop := im.Count()
			ev = ev.Int("add", add).Int("move", move).Int("drop", drop)
		}
		current.Store(snap)
		watcher.set(snap.watch)
		health.reloaded(nil, e.now())
		metrics.ObserveReload(true)
		ev.Str("reload", why).Int("warnings", len(diags.Warnings())).Str("mail", snap.via).Msg("configuration reloaded")
		poke()
	}

	if *listen != "" {
		ui := &httpui.Server{Store: store, Runtime: func() *httpui.Runtime { return &current.Load().web },
			Now: e.now, Metrics: metrics,
			Health: func() httpui.Health { return health.snapshot(eng.LastTick()) },
			RequestExtension: func(ctx context.Context, id int64, agency string, until schedule.Date, why string) error {
				return store.RequestExtension(ctx, id, "link:"+agency, until, why)
			},
			TrustLocalProxy:  *localProxy,
			MetricsElsewhere: *metricsListen != "",
			Log:              log.With().Str("component", "http").Logger()}
		srv := httpui.NewHTTPServer(*listen, ui.Handler())
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error().Err(err).Msg("web server stopped")
			}
		}()
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}()
		log.Info().Str("listen", "http://"+ln.Addr().String()).Msg("web pages, /healthz and /metrics")
	}
	if *metricsListen != "" {
		msrv := httpui.NewHTTPServer(*metricsListen, metrics.Handler())
		mln, err := net.Listen("tcp", *metricsListen)
		if err != nil {
			return fmt.Errorf("metrics-listen %s: %w", *metricsListen, err)
		}
		go func() {
			if err := msrv.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error().Err(err).Msg("metrics server stopped")
			}
		}()
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = msrv.Shutdown(sctx)
		}()
		log.Info().Str("listen", "http://"+mln.Addr().String()).Msg("/metrics")
	}

	var checkedOn schedule.Date // quick_check ran at open; the next one tomorrow
	checkedOn = today
	poke() // the first tick at once, not a minute later
	settled := false
	notifyLog := func(state string) {
		if _, err := sdNotify(state); err != nil {
			log.Warn().Err(err).Str("state", state).Msg("sd_notify failed")
		}
	}
	notifyLog("READY=1")
	if wd := watchdogTimeout(); wd > 0 && wd < 2*health.every {
		log.Warn().Str("watchdog", wd.String()).Str("tick_every", health.every.String()).
			Msg("WatchdogSec is shorter than two ticks: systemd will kill the daemon between ticks; raise WatchdogSec or tick more often")
	}
	for {
		select {
		case <-ctx.Done():
			log.Info().Msg("nhachan serve stopping")
			notifyLog("STOPPING=1")
			return nil
		case <-hup:
			reload("SIGHUP")
		case <-watcher.changed:
			reload("file change")
		case <-wake:
			rep, ok := runTick(ctx, eng, log)
			// Keep the WAL small (a full disk must not be kept full by it);
			// after a failed tick, truncate it to give the space back.
			if err := store.Checkpoint(ctx, !ok); err != nil {
				log.Warn().Err(err).Msg("checkpoint failed")
			}
			health.observe(rep, ok, e.now())
			if ok { // a tick that fails starves the watchdog: systemd restarts us
				notifyLog("WATCHDOG=1")
			}
			if !settled {
				// Start-up (loading, planning the window, the first tick)
				// leaves garbage that an idle daemon would hold for minutes
				// until the scavenger returns it: return it now.
				settled = true
				debug.FreeOSMemory()
			}
			metrics.ObserveTick(eng.LastTick())
			for _, m := range rep.Sent {
				metrics.ObserveSent(string(m.Kind))
			}
			for _, f := range rep.Failures {
				metrics.ObserveFailed(string(f.Kind), f.Class.String())
			}
			if day := schedule.DateOf(e.now().In(cfg.Location)); day != checkedOn {
				// The daily quick_check that /healthz reports.
				checkedOn = day
				health.quickCheck(store.QuickCheck(ctx), e.now())
			}
		}
	}
}

func runTick(ctx context.Context, eng *notify.Engine, log zerolog.Logger) (notify.TickReport, bool) {
	rep, err := eng.Tick(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Error().Err(err).Msg("tick failed")
		return rep, false
	}
	for _, m := range rep.Sent {
		log.Info().Str("to", m.To).Str("subject", m.Subject).Str("message_id", m.MessageID).Strs("steps", m.Steps).Msg("sent")
	}
	if rep.Inserted > 0 || rep.Enqueued > 0 || rep.Failed > 0 {
		log.Info().Int("occurrences_new", rep.Inserted).Int("enqueued", rep.Enqueued).
			Int("sent", len(rep.Sent)).Int("failed", rep.Failed).Msg("tick")
	}
	return rep, err == nil
}

// healthState is what /healthz reports about the daemon itself.
type healthState struct {
	mu            sync.Mutex
	started       time.Time
	every         time.Duration
	sendFailures  int
	lastSendError time.Time
	tickErr       error
	checkErr      error // the last daily quick_check
	checkedAt     time.Time
	reloadErr     error // why the last reload was refused; nil once one works
	reloadAt      time.Time
}

// reloaded records a reload's outcome: err nil clears an earlier refusal.
func (h *healthState) reloaded(err error, at time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reloadErr, h.reloadAt = err, at
}

// setEvery records a new tick interval (a reload changed the tick).
func (h *healthState) setEvery(every time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.every = every
}

func (h *healthState) quickCheck(err error, at time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checkErr, h.checkedAt = err, at
}

// observe counts sends that failed in a row: one success clears them.
func (h *healthState) observe(rep notify.TickReport, ok bool, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case len(rep.Sent) > 0:
		h.sendFailures = 0
	case rep.Failed > 0:
		h.sendFailures += rep.Failed
		h.lastSendError = now
	}
	if !ok {
		h.tickErr = errors.New("tick failed")
	} else {
		h.tickErr = nil
	}
}

func (h *healthState) snapshot(lastTick time.Time) httpui.Health {
	h.mu.Lock()
	defer h.mu.Unlock()
	check, at := h.checkErr, h.checkedAt
	if check == nil {
		check = h.tickErr // a tick that fails on the database is as bad
	}
	if at.IsZero() {
		at = h.started // Open ran quick_check
	}
	return httpui.Health{Started: h.started, LastTick: lastTick, TickEvery: h.every,
		SendFailures: h.sendFailures, LastSendError: h.lastSendError, QuickCheck: check, QuickCheckAt: at,
		ReloadError: h.reloadErr, ReloadFailedAt: h.reloadAt}
}

// tickInterval is the time between two ticks of the cron spec.
func tickInterval(spec string, now time.Time) time.Duration {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return time.Minute
	}
	a := sched.Next(now)
	return sched.Next(a).Sub(a)
}

// fileWatcher reports, on changed, when any of the watched files changes
// (size or modification time, or appearing or vanishing). Polling needs no
// extra dependency and works on every filesystem, including bind mounts.
// The set of files follows the runtime: a reload may name other key or
// template files.
type fileWatcher struct {
	changed chan struct{}
	mu      sync.Mutex
	files   []string
	last    string
}

func newFileWatcher(ctx context.Context, every time.Duration, files []string) *fileWatcher {
	w := &fileWatcher{changed: make(chan struct{}, 1)}
	w.set(files)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				w.poll()
			}
		}
	}()
	return w
}

// set replaces the watched files. The first set takes their state now as
// the baseline. A later set that changes the list reports a change at the
// next poll: a file may have changed between the reload that read it and
// now, and one reload too many is harmless where one too few is not.
func (w *fileWatcher) set(files []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.files != nil && slices.Equal(w.files, files) {
		return
	}
	first := w.files == nil
	w.files = append([]string{}, files...)
	if first {
		w.last = stampFiles(w.files)
	} else {
		w.last = ""
	}
}

func (w *fileWatcher) poll() {
	w.mu.Lock()
	s := stampFiles(w.files)
	fired := s != w.last
	w.last = s
	w.mu.Unlock()
	if fired {
		select {
		case w.changed <- struct{}{}:
		default:
		}
	}
}

func stampFiles(files []string) string {
	var b strings.Builder
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			fmt.Fprintf(&b, "%s:%d:%d;", f, st.Size(), st.ModTime().UnixNano())
		} else {
			b.WriteString(f + ":missing;")
		}
	}
	return b.String()
}
