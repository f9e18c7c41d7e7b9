package httpui

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// Metrics is nhachan's Prometheus instrumentation, on a private registry
// (no global state: two daemons in one test binary do not collide). The
// engine and serve call the Observe methods; the outbox and occurrence
// gauges are read from the store at scrape time, so they cannot drift from
// the database. A nil *Metrics ignores every observation.
type Metrics struct {
	store    *storeCollector
	reg      *prometheus.Registry
	sent     *prometheus.CounterVec
	failed   *prometheus.CounterVec
	reloads  *prometheus.CounterVec
	lastTick prometheus.Gauge
}

// The message kinds and failure classes counted from the start, at zero,
// so that rate() and alerts see a series before the first event.
var (
	knownKinds   = []string{"reminder", "escalation", "digest", "test"}
	knownClasses = []string{"temporary", "permanent"}
)

// NewMetrics registers nhachan's metrics, the Go runtime's and the
// process's, and the store's gauges (skipped when store is nil).
func NewMetrics(store GaugeStore, log zerolog.Logger) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nhachan_mail_sent_total", Help: "Messages accepted by the mail server, by kind.",
		}, []string{"kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nhachan_mail_failed_total", Help: "Failed send attempts, by kind and failure class.",
		}, []string{"kind", "class"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nhachan_config_reload_total", Help: "Configuration reloads, by result (ok or error).",
		}, []string{"result"}),
		lastTick: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "nhachan_last_tick_timestamp_seconds", Help: "When the engine last finished a tick, as a Unix time.",
		}),
	}
	for _, k := range knownKinds {
		m.sent.WithLabelValues(k)
		for _, c := range knownClasses {
			m.failed.WithLabelValues(k, c)
		}
	}
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("error")
	m.reg.MustRegister(m.sent, m.failed, m.reloads, m.lastTick,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if store != nil {
		m.store = &storeCollector{store: store, log: log}
		m.reg.MustRegister(m.store)
	}
	return m
}

// ReadStoreEvery makes the store's gauges read the database at most once
// per every (the daemon's tick) on the clock now: scrapes in between, from
// however many scrapers, are answered from the last reading. Zero (the
// default): every scrape reads.
func (m *Metrics) ReadStoreEvery(every time.Duration, now func() time.Time) {
	if m == nil || m.store == nil {
		return
	}
	m.store.mu.Lock()
	m.store.every, m.store.now = every, now
	m.store.mu.Unlock()
}

// ObserveSent counts one message of kind accepted by the mail server.
func (m *Metrics) ObserveSent(kind string) {
	if m != nil {
		m.sent.WithLabelValues(kind).Inc()
	}
}

// ObserveFailed counts one failed attempt; class is "temporary" or
// "permanent" (duty.Class).
func (m *Metrics) ObserveFailed(kind, class string) {
	if m != nil {
		m.failed.WithLabelValues(kind, class).Inc()
	}
}

// ObserveReload counts one configuration reload.
func (m *Metrics) ObserveReload(ok bool) {
	if m == nil {
		return
	}
	if ok {
		m.reloads.WithLabelValues("ok").Inc()
	} else {
		m.reloads.WithLabelValues("error").Inc()
	}
}

// ObserveTick records when a tick finished.
func (m *Metrics) ObserveTick(t time.Time) {
	if m != nil {
		m.lastTick.Set(float64(t.UnixNano()) / 1e9)
	}
}

// Registry is the private registry, for callers that add their own
// collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the exposition. A failing store query costs its gauges,
// not the whole scrape.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError, Registry: m.reg})
}

// GaugeStore is what /metrics reads at each scrape.
type GaugeStore interface {
	OutboxDepth(ctx context.Context) (duty.Depth, error)
	OccurrenceCounts(ctx context.Context) (map[duty.State]int, error)
}

// storeCollector reads the gauges from the database at a scrape, or
// repeats its last reading when it is younger than every.
type storeCollector struct {
	store GaugeStore
	log   zerolog.Logger

	mu     sync.Mutex
	every  time.Duration
	now    func() time.Time
	at     time.Time
	depth  duty.Depth
	counts map[duty.State]int
	err    [2]error
	reads  int // database readings, for tests
}

var (
	outboxDepthDesc = prometheus.NewDesc("nhachan_outbox_depth",
		"Notifications not yet done with, by outbox state.", []string{"state"}, nil)
	occurrencesDesc = prometheus.NewDesc("nhachan_occurrences",
		"Stored occurrences (duties), by state.", []string{"state"}, nil)
	occurrenceStates = []duty.State{duty.StateOpen, duty.StateSubmitted, duty.StateWaived,
		duty.StateHistory, duty.StateUnassigned}
)

// scrapeTimeout bounds the store queries of one scrape.
const scrapeTimeout = 5 * time.Second

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxDepthDesc
	ch <- occurrencesDesc
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := false
	if c.every > 0 && c.now != nil && !c.at.IsZero() {
		age := c.now().Sub(c.at)
		fresh = age >= 0 && age < c.every
	}
	if !fresh {
		c.read()
	}
	if err := c.err[0]; err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDepthDesc, err)
	} else {
		d := c.depth
		for st, n := range map[string]int{"pending": d.Pending, "claimed": d.Claimed, "failed": d.Failed} {
			ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(n), st)
		}
	}
	if err := c.err[1]; err != nil {
		ch <- prometheus.NewInvalidMetric(occurrencesDesc, err)
		return
	}
	for _, st := range occurrenceStates {
		ch <- prometheus.MustNewConstMetric(occurrencesDesc, prometheus.GaugeValue, float64(c.counts[st]), string(st))
	}
}

// read queries the store; the caller holds mu.
func (c *storeCollector) read() {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	c.reads++
	if c.now != nil {
		c.at = c.now()
	}
	c.depth, c.err[0] = c.store.OutboxDepth(ctx)
	if c.err[0] != nil {
		c.log.Error().Err(c.err[0]).Msg("metrics: outbox depth")
	}
	c.counts, c.err[1] = c.store.OccurrenceCounts(ctx)
	if c.err[1] != nil {
		c.log.Error().Err(c.err[1]).Msg("metrics: occurrence counts")
	}
}
