package monitor

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/dataset"
	"github.com/keascope/keascope/internal/miniotest"
)

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// The remote goes away for 20 s while the monitor publishes: every version
// published meanwhile reaches it in order, and a consumer following the
// remote sees an unbroken chain.
func TestMonitorSurvivesRemoteOutage(t *testing.T) {
	srv := miniotest.Start(t)
	dir := t.TempDir()
	local, _ := blob.NewFS(dir)
	remote := s3(t, srv, "servers/kea-t")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub, err := dataset.NewPublisher(ctx, local, dataset.PublisherConfig{Host: "kea-t", FineSpan: time.Minute, SnapshotEvery: 5})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.Interval = 250 * time.Millisecond
	cfg.MetricsListen = freePort(t)
	logBuf := &syncBuffer{}
	m := New(cfg, Parts{
		Collector: &SampleCollector{Interval: cfg.Interval, Seed: 1},
		Publisher: pub,
		Mirror:    &Mirror{Local: local, Remote: remote},
		Prune:     func(may func(string) bool) ([]string, error) { return Prune(dir, 3, may) },
		Info:      dashboard.ServerInfo{Host: "kea-t"},
	}, slog.New(slog.NewTextHandler(logBuf, nil)))
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	waitFor(t, 20*time.Second, "first version on the remote", func() bool {
		v, err := remote.Announced(ctx)
		return err == nil && v > 0
	})
	srv.Stop()
	waitFor(t, 15*time.Second, "local mode", func() bool { return m.Health().StoreMode == "local" })
	time.Sleep(20 * time.Second)
	localV := m.Health().LastVersion
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "remote caught up", func() bool {
		v, err := remote.Announced(ctx)
		return err == nil && v >= localV && m.Health().StoreMode == "remote"
	})
	cancel()
	<-done

	// Every delta from the first remote version to the announced one is
	// there, so a consumer can walk the whole chain.
	names, err := remote.List(context.Background(), "header-")
	if err != nil {
		t.Fatal(err)
	}
	var versions []int64
	for _, n := range names {
		b, _ := parseBlobName(n)
		versions = append(versions, b.to)
	}
	sort.Slice(versions, func(i, j int) bool { return versions[i] < versions[j] })
	all, _ := remote.List(context.Background(), "")
	have := map[string]bool{}
	for _, n := range all {
		have[n] = true
	}
	for i := 1; i < len(versions); i++ {
		if !have[blob.DeltaName(versions[i-1], versions[i])] {
			t.Fatalf("remote chain broken between %d and %d", versions[i-1], versions[i])
		}
	}
	if len(versions) < 80 {
		t.Fatalf("only %d versions over ~25 s at 4/s", len(versions))
	}
	c := consumer.New(remote, consumer.Config{MaxDeltas: 1 << 20})
	if err := c.RefreshTo(context.Background(), versions[0]); err != nil {
		t.Fatalf("load the first remote version: %v", err)
	}
	for _, v := range versions[1:] {
		if err := c.RefreshTo(context.Background(), v); err != nil {
			t.Fatalf("follow the remote chain to %d: %v", v, err)
		}
	}
	logs := logBuf.String()
	if strings.Count(logs, "remote store unreachable") != 1 || strings.Count(logs, "remote store back") != 1 {
		t.Errorf("want one log line entering and one leaving local mode:\n%s", logs)
	}
}

func TestMetricsEndpointParses(t *testing.T) {
	dir := t.TempDir()
	local, _ := blob.NewFS(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub, err := dataset.NewPublisher(ctx, local, dataset.PublisherConfig{Host: "kea-m", FineSpan: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.Interval = 100 * time.Millisecond
	cfg.MetricsListen = freePort(t)
	m := New(cfg, Parts{Collector: &SampleCollector{Interval: cfg.Interval, Seed: 2}, Publisher: pub}, nil)
	go m.Run(ctx)
	waitFor(t, 10*time.Second, "five versions", func() bool { return pub.Version() != 0 && len(pub.Window().Fine()) >= 5 })
	resp, err := http.Get("http://" + cfg.MetricsListen + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	for _, name := range []string{"kea_dhcp4_packets_received_total", "kea_dhcp4_packet_processing_duration_seconds",
		"keascope_source", "keascope_last_published_version"} {
		if fams[name] == nil {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	var sample float64
	for _, mt := range fams["keascope_source"].GetMetric() {
		for _, l := range mt.GetLabel() {
			if l.GetValue() == "sample" {
				sample = mt.GetGauge().GetValue()
			}
		}
	}
	if sample != 1 {
		t.Error("sample data not labelled as the source in /metrics")
	}
	h, err := http.Get("http://" + cfg.MetricsListen + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(h.Body)
	h.Body.Close()
	if !strings.Contains(string(b), `"source":"sample"`) || !strings.Contains(string(b), `"store_mode":"local-only"`) {
		t.Errorf("healthz %s", b)
	}
}

func waitFor(t *testing.T, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
