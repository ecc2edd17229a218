package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"strings"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/dataset"
	"github.com/keascope/keascope/internal/keactl"
	"github.com/keascope/keascope/internal/keaproc"
	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/monitor"
	"github.com/keascope/keascope/internal/probe"
	"github.com/keascope/keascope/internal/s3store"
)

func runMonitor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg := monitor.Defaults()
	if p := configPath(args); p != "" {
		if err := cfg.LoadFile(p); err != nil {
			fmt.Fprintf(stderr, "keascope monitor: %v\n", err)
			return 2
		}
	}
	fs := flag.NewFlagSet("keascope monitor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.String("config", "", "YAML config `FILE` (keys as in deploy/monitor.example.yaml); flags override it")
	cfg.RegisterFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: keascope monitor [--pid PID] [--store DIR] [--remote s3://BUCKET/PREFIX --s3-endpoint URL]\n"+
			"       [--interval 1s] [--listen 127.0.0.1:8080] [--metrics-listen 127.0.0.1:9547] [--source auto|ebpf|control|sample]\n\n"+
			"Collects one interval at a time, publishes each as a Hollow version, serves /metrics, /healthz and the dashboard.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "keascope monitor: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if cfg.Host == "" {
		cfg.Host, _ = os.Hostname()
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "keascope monitor: %v\n", err)
		return 2
	}
	if cfg.Listen != "" {
		if err := dashboard.CheckListen(cfg.Listen, cfg.Token); err != nil {
			fmt.Fprintf(stderr, "keascope monitor: %v (pass --token)\n", err)
			return 2
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if err := monitorMain(ctx, cfg, stdout, log); err != nil {
		fmt.Fprintf(stderr, "keascope monitor: %v\n", err)
		return 1
	}
	return 0
}

// configPath finds --config before the flags are parsed, so the file's
// values become the flags' defaults and flags given override them.
func configPath(args []string) string {
	for i, a := range args {
		a = "-" + strings.TrimLeft(a, "-")
		if v, ok := strings.CutPrefix(a, "-config="); ok {
			return v
		}
		if a == "-config" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func monitorMain(ctx context.Context, cfg monitor.Config, stdout io.Writer, log *slog.Logger) error {
	local, err := blob.NewFS(cfg.Store)
	if err != nil {
		return err
	}
	var mirror *monitor.Mirror
	if cfg.Remote != "" {
		bucket, prefix, _ := monitor.ParseRemote(cfg.Remote)
		remote, err := s3store.New(s3store.Config{Endpoint: cfg.S3Endpoint, Bucket: bucket, Prefix: path.Join(prefix, cfg.Host)})
		if err != nil {
			return err
		}
		mirror = &monitor.Mirror{Local: local, Remote: remote, Prepare: remote.EnsureBucket}
		pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		if err := remote.EnsureBucket(pctx); err != nil {
			log.Warn("remote store unreachable at start; publishing locally", "err", err)
		} else if v, err := monitor.Pull(pctx, local, remote); err != nil {
			log.Warn("could not pull the remote chain; continuing from the local one", "err", err)
		} else if v != 0 {
			log.Info("continuing from the newer remote version", "version", v)
		}
		cancel()
	}
	pub, err := dataset.NewPublisher(ctx, local, dataset.PublisherConfig{Host: cfg.Host, FineSpan: cfg.Window,
		MinuteSpan: cfg.RollupWindow, SnapshotEvery: cfg.SnapshotEvery})
	if err != nil {
		return fmt.Errorf("open local store %s: %w (move it aside to start a new chain)", cfg.Store, err)
	}
	if v := pub.Version(); v != 0 {
		log.Info("restored", "version", v, "intervals", len(pub.Window().Fine()))
	}

	parts := monitor.Parts{
		Publisher: pub,
		Mirror:    mirror,
		Prune: func(mayDrop func(string) bool) ([]string, error) {
			return monitor.Prune(cfg.Store, cfg.KeepSnapshots, mayDrop)
		},
		Info: dashboard.ServerInfo{Host: cfg.Host},
	}
	ctl := keactl.New(cfg.ControlSocket)
	parts.Collector, parts.Enrich = collectorFor(cfg, ctl, log)
	if cfg.JSON != "" {
		w, closeJSON, err := openJSON(cfg.JSON, stdout)
		if err != nil {
			return err
		}
		defer closeJSON()
		parts.JSON = w
	}
	if cfg.Listen != "" {
		parts.Dashboard = func(ctx context.Context) error {
			return serveDashboard(ctx, cfg, log)
		}
	}
	m := monitor.New(cfg, parts, log)
	log.Info("monitor started", "source", cfg.Source, "store", cfg.Store, "remote", cfg.Remote,
		"dashboard", cfg.Listen, "metrics", cfg.MetricsListen)
	return m.Run(ctx)
}

// collectorFor builds the source chain the config asks for, and what adds
// subnet statistics to intervals from sources that lack them.
func collectorFor(cfg monitor.Config, ctl *keactl.Client, log *slog.Logger) (monitor.Collector, func(context.Context, *metrics.Interval)) {
	pcfg := probe.Config{PID: cfg.PID, Exe: cfg.KeaExe, Interval: cfg.Interval, Deep: cfg.Deep,
		Status: func(s string) { log.Info("probe: " + s) }}
	if cfg.PID != 0 {
		pcfg.Match = monitor.KeaConfigArg("/proc", cfg.PID)
	}
	pid := func() int {
		p, err := keaproc.Find(keaproc.Selector{PID: cfg.PID, Exe: cfg.KeaExe})
		if err != nil && pcfg.Match != "" {
			p, err = keaproc.Find(keaproc.Selector{Exe: cfg.KeaExe, Config: pcfg.Match})
		}
		if err != nil {
			return 0
		}
		return p.PID
	}
	var samplers = map[int]*keaproc.Sampler{}
	control := &monitor.ControlCollector{Stats: ctl, Interval: cfg.Interval, PID: pid,
		Process: func(pid int) (metrics.Process, bool) {
			s := samplers[pid]
			if s == nil {
				var err error
				if s, err = keaproc.NewSampler("/proc", pid); err != nil {
					return metrics.Process{}, false
				}
				samplers = map[int]*keaproc.Sampler{pid: s}
			}
			p, err := s.Sample()
			return p, err == nil
		}}
	info := &monitor.KeaInfo{Ctl: ctl}
	enrich := func(ctx context.Context, iv *metrics.Interval) {
		if iv.Source == metrics.SourceSample || !iv.Kea.Up {
			return
		}
		if iv.Source == metrics.SourceEBPF && len(iv.Subnets) == 0 {
			sctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
			if stats, err := ctl.Statistics(sctx); err == nil {
				iv.Subnets = monitor.Subnets(stats)
			}
			cancel()
		}
		info.Fill(ctx, iv)
	}
	switch cfg.Source {
	case "sample":
		return &monitor.SampleCollector{Interval: cfg.Interval, Seed: time.Now().UnixNano()}, nil
	case "control":
		return control, enrich
	case "ebpf":
		return &monitor.Fallback{Primary: &monitor.ProbeCollector{Config: pcfg}, Retry: 5 * time.Second,
			OnSwitch: func(s metrics.Source, why error) { logSwitch(log, s, why) }}, enrich
	}
	return &monitor.Fallback{Primary: &monitor.ProbeCollector{Config: pcfg}, Secondary: control, Retry: 5 * time.Second,
		PrimaryReady: monitor.KeaRunning(pcfg),
		OnSwitch:     func(s metrics.Source, why error) { logSwitch(log, s, why) }}, enrich
}

func logSwitch(log *slog.Logger, s metrics.Source, why error) {
	if why != nil {
		log.Warn("source changed", "source", s, "reason", why)
		return
	}
	log.Info("source changed", "source", s)
}

func openJSON(p string, stdout io.Writer) (io.Writer, func(), error) {
	if p == "-" {
		return stdout, func() {}, nil
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("open NDJSON output: %w", err)
	}
	return f, func() { f.Close() }, nil
}
