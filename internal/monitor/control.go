package monitor

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/keascope/keascope/internal/keactl"
	"github.com/keascope/keascope/internal/metrics"
)

// StatsReader reads Kea's statistics: name → latest value, as Kea's
// statistic-get-all returns them (keactl.Client provides it).
type StatsReader interface {
	Statistics(ctx context.Context) (map[string]int64, error)
}

// ProcessSampler fills in Kea's CPU and memory for the interval just ended
// (keaproc provides it); it may be nil.
type ProcessSampler func(pid int) (metrics.Process, bool)

// ControlCollector is the fallback source: Kea's own counters read over its
// control socket once per interval. It sees counts and subnets but no
// latency. It never gives up: while Kea does not answer it emits intervals
// that say Kea is down.
type ControlCollector struct {
	Stats    StatsReader
	Interval time.Duration
	PID      func() int // current Kea pid, 0 if unknown; may be nil
	Process  ProcessSampler
	Now      func() time.Time

	prev map[string]int64
}

// Source is metrics.SourceControl.
func (c *ControlCollector) Source() metrics.Source { return metrics.SourceControl }

// Run emits one interval per tick until ctx ends.
func (c *ControlCollector) Run(ctx context.Context, emit func(*metrics.Interval)) error {
	now := c.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	c.prev = nil
	// Read once at the start so the first interval is a difference, not
	// Kea's totals since it started.
	if s, err := c.read(ctx); err == nil {
		c.prev = s
	}
	t := time.NewTicker(c.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		end := now()
		iv := metrics.New(start, metrics.SourceControl)
		iv.End, iv.Seconds = end, end.Sub(start).Seconds()
		start = end
		stats, err := c.read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			iv.Kea.Up = false
			c.prev = nil
			emit(iv)
			continue
		}
		iv.Kea.Up = true
		if c.PID != nil {
			iv.Kea.PID = c.PID()
		}
		if c.Process != nil && iv.Kea.PID > 0 {
			if p, ok := c.Process(iv.Kea.PID); ok {
				iv.Process = p
			}
		}
		if c.prev != nil {
			FillFromStats(iv, c.prev, stats)
		}
		iv.Subnets = Subnets(stats)
		c.prev = stats
		emit(iv)
	}
}

func (c *ControlCollector) read(ctx context.Context) (map[string]int64, error) {
	rctx, cancel := context.WithTimeout(ctx, min(c.Interval, 2*time.Second))
	defer cancel()
	s, err := c.Stats.Statistics(rctx)
	if err != nil {
		return nil, fmt.Errorf("read Kea statistics: %w", err)
	}
	return s, nil
}

// FillFromStats sets the interval's counts from the change of Kea's
// counters between two readings. A counter that went down means Kea
// restarted (or its statistics were reset): the new value is the change.
func FillFromStats(iv *metrics.Interval, prev, cur map[string]int64) {
	diff := func(name string) uint64 {
		c, ok := cur[name]
		if !ok {
			return 0
		}
		p := prev[name]
		if c < p {
			return uint64(max(c, 0))
		}
		return uint64(c - p)
	}
	for _, t := range metrics.QueryTypes {
		if n := diff("pkt4-" + t.String() + "-received"); n > 0 {
			iv.Packets.Received[t.String()] = n
		}
	}
	if n := diff("pkt4-unknown-received"); n > 0 {
		iv.Packets.Received["unknown"] = n
	}
	for _, t := range metrics.ResponseTypes {
		if n := diff("pkt4-" + t.String() + "-sent"); n > 0 {
			iv.Packets.Sent[t.String()] = n
		}
	}
	iv.Errors.ParseFailed = diff("pkt4-parse-failed")
	iv.Errors.Naks = diff("pkt4-nak-sent")
	drops := diff("pkt4-receive-drop")
	iv.Packets.Dropped = drops
	if drops > 0 {
		iv.Packets.DropReasons = map[string]uint64{"receive_drop": drops}
	}
	var alloc uint64
	for name := range cur {
		// v4-allocation-fail, -shared-network, -subnet, -no-pools, -classes,
		// and the same per subnet; the global ones already sum the others.
		if strings.HasPrefix(name, "v4-allocation-fail") {
			alloc += diff(name)
		}
	}
	iv.Errors.AllocFailed = alloc
	iv.Errors.KeaCounters = map[string]int64{}
	for name := range cur {
		if strings.HasPrefix(name, "subnet[") {
			continue
		}
		if d := diff(name); d > 0 {
			iv.Errors.KeaCounters[name] = int64(d)
		}
	}
	if len(iv.Errors.KeaCounters) == 0 {
		iv.Errors.KeaCounters = nil
	}
}

// Subnets extracts per-subnet address use from Kea's subnet[ID].* statistics.
func Subnets(stats map[string]int64) []metrics.Subnet {
	byID := map[int64]*metrics.Subnet{}
	for name, v := range stats {
		id, field, ok := keactl.SubnetStat(name)
		if !ok {
			continue
		}
		s := byID[id]
		if s == nil {
			s = &metrics.Subnet{ID: id}
			byID[id] = s
		}
		switch field {
		case "total-addresses":
			s.Total = v
		case "assigned-addresses":
			s.Assigned = v
		case "declined-addresses":
			s.Declined = v
		}
	}
	out := make([]metrics.Subnet, 0, len(byID))
	for _, s := range byID {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
