package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/promexport"
)

// Publisher turns one interval into one Hollow version in the local store
// (internal/dataset provides it).
type Publisher interface {
	Publish(ctx context.Context, iv *metrics.Interval, info dashboard.ServerInfo) (version int64, err error)
}

// Parts are the monitor's components, built by the caller from a Config so
// tests can put real pieces together on fixtures.
type Parts struct {
	Collector Collector
	Publisher Publisher
	// Mirror copies the local store to the remote; nil without a remote.
	Mirror *Mirror
	// Prune bounds the local store after each sync; nil to keep everything.
	Prune func(mayDrop func(string) bool) ([]string, error)
	// Dashboard runs the dashboard until ctx ends or it fails; it is
	// restarted on failure. Nil for none.
	Dashboard func(ctx context.Context) error
	// Enrich adds what the collector cannot see (e.g. subnet statistics
	// from the control socket to eBPF intervals); may be nil.
	Enrich func(ctx context.Context, iv *metrics.Interval)
	JSON   io.Writer // NDJSON copy of each interval; nil for none
	Info   dashboard.ServerInfo
}

// Monitor ties the parts together.
type Monitor struct {
	cfg      Config
	parts    Parts
	log      *slog.Logger
	exporter *promexport.Exporter
	health   healthState
	synced   chan struct{}
	jsonMu   sync.Mutex
	infoMu   sync.Mutex
	info     dashboard.ServerInfo
}

// New builds a monitor; log may be nil.
func New(cfg Config, parts Parts, log *slog.Logger) *Monitor {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	m := &Monitor{cfg: cfg, parts: parts, log: log, exporter: promexport.New(), synced: make(chan struct{}, 1), info: parts.Info}
	mode := "local-only"
	if parts.Mirror != nil {
		mode = "remote"
	}
	m.info.StoreMode = mode
	m.health.update(func(h *Health) { h.StoreMode = mode; h.Dashboard = "off" })
	return m
}

// Health returns the current state.
func (m *Monitor) Health() Health { return m.health.get() }

// Exporter is the Prometheus collector the monitor feeds.
func (m *Monitor) Exporter() *promexport.Exporter { return m.exporter }

// Run runs until ctx ends. It fails only if nothing can run at all (the
// metrics listener cannot bind); every other failure is logged and waited
// out.
func (m *Monitor) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	if m.cfg.MetricsListen != "" {
		srv, err := m.metricsServer()
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() { defer wg.Done(); <-ctx.Done(); srv.Close() }()
	}
	if m.parts.Dashboard != nil {
		wg.Add(1)
		go func() { defer wg.Done(); m.superviseDashboard(ctx) }()
	}
	if m.parts.Mirror != nil {
		wg.Add(1)
		go func() { defer wg.Done(); m.mirrorLoop(ctx) }()
	} else if m.parts.Prune != nil {
		wg.Add(1)
		go func() { defer wg.Done(); m.pruneLoop(ctx) }()
	}
	err := m.parts.Collector.Run(ctx, func(iv *metrics.Interval) { m.handle(ctx, iv) })
	cancel()
	wg.Wait()
	return err
}

func (m *Monitor) metricsServer() (*http.Server, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(m.exporter)
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/healthz", &m.health)
	ln, err := net.Listen("tcp", m.cfg.MetricsListen)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	m.log.Info("metrics listening", "addr", ln.Addr().String())
	return srv, nil
}

// handle is the per-interval path: enrich, export, publish, notify.
func (m *Monitor) handle(ctx context.Context, iv *metrics.Interval) {
	if m.parts.Enrich != nil {
		m.parts.Enrich(ctx, iv)
	}
	prev := m.health.get()
	if prev.Source != iv.Source {
		m.log.Info("source active", "source", iv.Source)
	}
	if iv.Source != metrics.SourceSample && (prev.KeaUp != iv.Kea.Up || (iv.Kea.Up && prev.KeaPID != iv.Kea.PID)) {
		if iv.Kea.Up {
			m.log.Info("Kea found", "pid", iv.Kea.PID)
		} else {
			m.log.Warn("Kea lost", "pid", prev.KeaPID)
		}
	}
	m.exporter.Observe(iv)
	if m.parts.JSON != nil {
		m.jsonMu.Lock()
		b, _ := json.Marshal(iv)
		m.parts.JSON.Write(append(b, '\n'))
		m.jsonMu.Unlock()
	}
	m.infoMu.Lock()
	info := m.info
	m.infoMu.Unlock()
	info.Source = iv.Source
	info.PID = iv.Kea.PID
	if iv.Kea.Version != "" {
		info.KeaVersion = iv.Kea.Version
	}
	if iv.Kea.SocketMode != "" {
		info.SocketMode = iv.Kea.SocketMode
	}
	info.Threads = iv.Kea.Threads
	v, err := m.parts.Publisher.Publish(ctx, iv, info)
	now := time.Now()
	m.health.update(func(h *Health) {
		h.Source, h.KeaUp, h.KeaPID = iv.Source, iv.Kea.Up, iv.Kea.PID
		if err != nil {
			h.LastError = err.Error()
			return
		}
		h.LastVersion, h.LastPublished, h.LastError = v, &now, ""
	})
	hl := m.health.get()
	m.exporter.SetHealth(promexport.Health{Source: iv.Source, StoreMode: modeForExport(hl.StoreMode),
		LastVersion: hl.LastVersion})
	if err != nil {
		if ctx.Err() == nil {
			m.log.Error("publish failed; keeping the last good state", "err", err)
		}
		return
	}
	if v%100 == 0 || prev.LastVersion == 0 {
		m.log.Info("version published", "version", v)
	}
	select {
	case m.synced <- struct{}{}:
	default:
	}
}

func modeForExport(mode string) string {
	if mode == "local-only" {
		return "local"
	}
	return mode
}

// mirrorLoop syncs after every publish and retries on its own while the
// remote is away, entering and leaving local mode with one log line each.
func (m *Monitor) mirrorLoop(ctx context.Context) {
	backoff := time.Second
	remoteDown := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.synced:
		case <-time.After(backoff):
		}
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		res, err := m.parts.Mirror.Sync(sctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			if !remoteDown {
				remoteDown = true
				now := time.Now()
				m.log.Warn("remote store unreachable; publishing locally", "err", err)
				m.setMode("local", &now, err.Error())
			}
			backoff = min(backoff*2, 10*time.Second)
			continue
		}
		backoff = time.Second
		if remoteDown {
			remoteDown = false
			m.log.Info("remote store back; caught up", "uploaded", res.Uploaded, "version", res.Announced)
		}
		m.setMode("remote", nil, "")
		m.health.update(func(h *Health) { h.RemoteVersion = res.Announced })
		if m.parts.Prune != nil {
			if _, err := m.parts.Prune(m.parts.Mirror.OnRemote); err != nil {
				m.log.Warn("prune local store failed", "err", err)
			}
		}
	}
}

func (m *Monitor) pruneLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.synced:
		}
		if _, err := m.parts.Prune(nil); err != nil {
			m.log.Warn("prune local store failed", "err", err)
		}
	}
}

func (m *Monitor) setMode(mode string, since *time.Time, lastErr string) {
	m.infoMu.Lock()
	m.info.StoreMode = mode
	m.infoMu.Unlock()
	m.health.update(func(h *Health) {
		h.StoreMode = mode
		h.LocalSince = since
		if lastErr != "" {
			h.LastError = lastErr
		}
	})
}

// superviseDashboard restarts the dashboard when it fails, without touching
// collection.
func (m *Monitor) superviseDashboard(ctx context.Context) {
	backoff := 500 * time.Millisecond
	for ctx.Err() == nil {
		m.health.update(func(h *Health) { h.Dashboard = "up" })
		start := time.Now()
		err := m.parts.Dashboard(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			err = errors.New("stopped")
		}
		m.health.update(func(h *Health) { h.Dashboard = "restarting" })
		m.log.Error("dashboard failed; restarting it", "err", err, "in", backoff)
		sleep(ctx, backoff)
		if time.Since(start) > time.Minute {
			backoff = 500 * time.Millisecond
		} else {
			backoff = min(backoff*2, 30*time.Second)
		}
	}
}
