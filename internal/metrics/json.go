package metrics

import (
	"encoding/json"
	"fmt"
)

// histogramJSON is the wire form of a Histogram: a summary in microseconds
// that people read, and the exact buckets and nanosecond extremes that let a
// reader rebuild and merge it (hollow import, roll-ups).
type histogramJSON struct {
	Count   uint64   `json:"count"`
	P50     float64  `json:"p50"`
	P90     float64  `json:"p90"`
	P99     float64  `json:"p99"`
	Max     float64  `json:"max"`
	Min     float64  `json:"min"`
	Mean    float64  `json:"mean"`
	SumNS   uint64   `json:"sum_ns"`
	MinNS   uint64   `json:"min_ns"`
	MaxNS   uint64   `json:"max_ns"`
	Buckets []Bucket `json:"buckets,omitempty"`
}

func us(ns uint64) float64 { return float64(ns) / 1e3 }

// Summary returns the histogram's percentiles in microseconds.
func (h *Histogram) Summary() Summary {
	s := Summary{
		Count: h.count,
		P50:   us(h.Quantile(0.50)),
		P90:   us(h.Quantile(0.90)),
		P99:   us(h.Quantile(0.99)),
		Max:   us(h.max),
		Min:   us(h.min),
	}
	if h.count > 0 {
		s.Mean = float64(h.sum) / float64(h.count) / 1e3
	}
	return s
}

// Summary is a histogram's shape in microseconds.
type Summary struct {
	Count                   uint64
	P50, P90, P99, Max, Min float64
	Mean                    float64
}

// MarshalJSON writes the summary and the buckets.
func (h Histogram) MarshalJSON() ([]byte, error) {
	s := h.Summary()
	return json.Marshal(histogramJSON{
		Count: s.Count, P50: s.P50, P90: s.P90, P99: s.P99, Max: s.Max, Min: s.Min, Mean: s.Mean,
		SumNS: h.sum, MinNS: h.min, MaxNS: h.max, Buckets: h.Buckets(),
	})
}

// UnmarshalJSON rebuilds the histogram from its buckets; the summary fields
// are derived and ignored.
func (h *Histogram) UnmarshalJSON(b []byte) error {
	var w histogramJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("decode histogram: %w", err)
	}
	r, err := HistogramFromBuckets(w.Buckets, w.SumNS, w.MinNS, w.MaxNS)
	if err != nil {
		return err
	}
	if r.count != w.Count {
		return fmt.Errorf("decode histogram: buckets hold %d values, count says %d", r.count, w.Count)
	}
	*h = *r
	return nil
}
