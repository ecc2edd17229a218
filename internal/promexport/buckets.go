package promexport

import "github.com/keascope/keascope/internal/metrics"

// DurationBuckets are the upper bounds, in seconds, of the exported latency
// histograms: 10 µs to 10 s, about three per decade, which is what Grafana
// heatmaps and histogram_quantile need. The fine log-linear buckets keascope
// measures are folded into them by their upper bound, so a count lands in
// the first exported bucket that holds all of the fine bucket's values.
var DurationBuckets = []float64{
	10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6,
	1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3,
	100e-3, 250e-3, 500e-3, 1, 2.5, 5, 10,
}

// cumulative keeps a Prometheus-style histogram: counts per exported bucket
// (not yet cumulative), the total count and the sum in seconds.
type cumulative struct {
	counts []uint64
	count  uint64
	sum    float64
}

func (c *cumulative) add(h *metrics.Histogram) {
	if h == nil || h.Count() == 0 {
		return
	}
	if c.counts == nil {
		c.counts = make([]uint64, len(DurationBuckets))
	}
	for _, b := range h.Buckets() {
		_, hi := metrics.BucketBounds(b.Index)
		sec := float64(hi) / 1e9
		for i, ub := range DurationBuckets {
			if sec <= ub {
				c.counts[i] += b.Count
				break
			}
		}
		// beyond the last bound: only in count, as +Inf
	}
	c.count += h.Count()
	c.sum += float64(h.Sum()) / 1e9
}

// buckets returns the cumulative map client_golang's const histograms take.
func (c *cumulative) buckets() map[float64]uint64 {
	out := make(map[float64]uint64, len(DurationBuckets))
	var run uint64
	for i, ub := range DurationBuckets {
		if c.counts != nil {
			run += c.counts[i]
		}
		out[ub] = run
	}
	return out
}
