package monitor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/keascope/keascope/internal/keaproc"
	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/probe"
	"github.com/keascope/keascope/internal/sample"
)

// ErrKeaLost is returned by the eBPF collector when Kea has been gone for
// several intervals, so the monitor falls back to the control socket until
// Kea is back.
var ErrKeaLost = errors.New("Kea lost")

// ProbeCollector is the eBPF source.
type ProbeCollector struct {
	Config probe.Config
	// LostAfter is how many intervals in a row without Kea end the run
	// (default 3).
	LostAfter int
}

// Source is metrics.SourceEBPF.
func (c *ProbeCollector) Source() metrics.Source { return metrics.SourceEBPF }

// Run loads and attaches the probes and collects until ctx ends, the
// probes fail, or Kea stays away.
func (c *ProbeCollector) Run(ctx context.Context, emit func(*metrics.Interval)) error {
	cfg := c.Config
	if cfg.PID != 0 && cfg.Match != "" {
		if _, err := keaproc.Find(keaproc.Selector{PID: cfg.PID, Exe: cfg.Exe, Proc: cfg.Proc}); err != nil {
			// The Kea we were pointed at is gone; its successor runs the
			// same configuration under a new PID.
			cfg.PID = 0
		}
	}
	p, err := probe.New(cfg)
	if err != nil {
		return fmt.Errorf("start eBPF probes: %w", err)
	}
	defer p.Close()
	lostAfter := c.LostAfter
	if lostAfter <= 0 {
		lostAfter = 3
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	down, sawKea := 0, false
	err = p.Run(rctx, func(iv *metrics.Interval) {
		if iv.Kea.Up {
			down, sawKea = 0, true
		} else {
			down++
		}
		if !sawKea && down == 1 {
			// Not found at all: let the caller fall back at once.
			cancel()
			return
		}
		emit(iv)
		if down >= lostAfter {
			cancel()
		}
	})
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("run eBPF probes: %w", err)
	}
	return ErrKeaLost
}

// SampleCollector produces synthetic, clearly labelled intervals. It is
// only used when asked for (--source sample): a demo with no Kea.
type SampleCollector struct {
	Interval time.Duration
	Seed     int64
}

// Source is metrics.SourceSample.
func (c *SampleCollector) Source() metrics.Source { return metrics.SourceSample }

// Run emits one sample interval per tick until ctx ends.
func (c *SampleCollector) Run(ctx context.Context, emit func(*metrics.Interval)) error {
	gen := sample.New(c.Seed, time.Now())
	t := time.NewTicker(c.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			iv := gen.Next(c.Interval)
			iv.Source = metrics.SourceSample
			emit(iv)
		}
	}
}

// KeaConfigArg returns the -c argument of a running kea-dhcp4, so a Kea
// given by PID can be found again after it restarts with a new one.
func KeaConfigArg(proc string, pid int) string {
	if proc == "" {
		proc = "/proc"
	}
	b, err := os.ReadFile(filepath.Join(proc, strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return ""
	}
	args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	for i, a := range args {
		if a == "-c" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// KeaRunning reports whether the Kea the probe config selects runs now;
// it gates going back from the control socket to eBPF.
func KeaRunning(cfg probe.Config) func() bool {
	return func() bool {
		sel := keaproc.Selector{PID: cfg.PID, Exe: cfg.Exe, Config: cfg.Match, Proc: cfg.Proc}
		if _, err := keaproc.Find(sel); err == nil {
			return true
		}
		if cfg.PID != 0 {
			// The given PID is gone; a restarted Kea has a new one.
			sel.PID = 0
			if sel.Config == "" {
				return false // any kea-dhcp4 is not necessarily ours
			}
			_, err := keaproc.Find(sel)
			return err == nil
		}
		return false
	}
}
