package monitor

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/internal/dataset"
)

// A dashboard that keeps failing is restarted, and collection goes on
// meanwhile.
func TestDashboardRestartedWithoutStoppingCollection(t *testing.T) {
	dir := t.TempDir()
	local, _ := blob.NewFS(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub, err := dataset.NewPublisher(ctx, local, dataset.PublisherConfig{Host: "kea-d", FineSpan: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.Interval = 100 * time.Millisecond
	cfg.MetricsListen = ""
	var starts atomic.Int32
	m := New(cfg, Parts{
		Collector: &SampleCollector{Interval: cfg.Interval, Seed: 3},
		Publisher: pub,
		Dashboard: func(ctx context.Context) error {
			if starts.Add(1) <= 2 {
				return errors.New("port busy") // fails twice, then serves
			}
			<-ctx.Done()
			return nil
		},
	}, nil)
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	waitFor(t, 10*time.Second, "dashboard up after two failures", func() bool {
		return starts.Load() >= 3 && m.Health().Dashboard == "up"
	})
	v := m.Health().LastVersion
	waitFor(t, 5*time.Second, "collection going on", func() bool { return m.Health().LastVersion > v })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
