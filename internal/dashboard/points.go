package dashboard

import (
	"math"

	"github.com/keascope/keascope/internal/metrics"
)

// point is one interval as the page draws it: rates per second, latency
// percentiles in µs and coarse heatmap rows, computed here once so every
// browser gets them ready to plot. Keys are short because a 1 h range
// holds 3600 of them.
type point struct {
	T   int64              `json:"t"` // interval end, Unix ms: the record's key
	S   float64            `json:"s"` // interval length in seconds
	Src metrics.Source     `json:"src"`
	Rx  map[string]float64 `json:"rx"` // received per second by message type
	Tx  map[string]float64 `json:"tx"` // sent per second by message type

	Answered   float64 `json:"ans"`   // answered queries per second
	AnsweredPc float64 `json:"ansp"`  // answered / queries that expect an answer, %
	Dropped    float64 `json:"drop"`  // dropped by Kea per second
	KDropped   float64 `json:"kdrop"` // dropped by the kernel per second
	Unanswered uint64  `json:"unans"` // still waiting at the interval's end

	Lat    *latency           `json:"lat,omitempty"`
	ByType map[string]latency `json:"lt,omitempty"` // "query>response"
	// Phases is where an answered packet's time went, mean µs per answer:
	// parse, allocate, lease_write and rest (the remainder of the latency).
	Phases map[string]float64 `json:"ph,omitempty"`
	Err    errorRates         `json:"err"`
	Exc    []metrics.Count    `json:"ex,omitempty"` // exception texts, counts
	Log    []metrics.Count    `json:"lg,omitempty"` // Kea log ids, counts

	CPU     float64 `json:"cpu"`
	User    float64 `json:"usr"`
	Sys     float64 `json:"sys"`
	RSS     uint64  `json:"rss"`
	RSSPeak uint64  `json:"rssp"`
	Up      bool    `json:"up"`

	Heat [][2]uint64 `json:"hm,omitempty"` // [row, count], rows per heatRows
}

type latency struct {
	N   uint64  `json:"n"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

type errorRates struct {
	Parse      float64 `json:"parse"`
	Nak        float64 `json:"nak"`
	Alloc      float64 `json:"alloc"`
	Drop       float64 `json:"drop"`
	Exceptions float64 `json:"exc"`
	Log        float64 `json:"log"`
	Total      float64 `json:"total"`
}

// The heatmap has heatPerOctave rows per doubling of latency from 1 µs,
// heatRows in all (up to ~16 s): coarse enough to send per interval, fine
// enough to see a tail move.
const (
	heatPerOctave = 4
	heatRows      = 24 * heatPerOctave
)

// heatEdges are the rows' lower bounds in µs, plus the top bound.
func heatEdges() []float64 {
	e := make([]float64, heatRows+1)
	for i := range e {
		e[i] = round(math.Pow(2, float64(i)/heatPerOctave), 2)
	}
	return e
}

// heatRow maps each histogram bucket to its heatmap row once.
var heatRow = func() []int {
	rows := make([]int, metrics.NumBuckets)
	for i := range rows {
		lo, hi := metrics.BucketBounds(i)
		us := float64(lo+(hi-lo)/2) / 1e3
		r := 0
		if us > 1 {
			r = int(math.Floor(math.Log2(us) * heatPerOctave))
		}
		rows[i] = min(max(r, 0), heatRows-1)
	}
	return rows
}()

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

func summarize(h *metrics.Histogram) latency {
	s := h.Summary()
	return latency{N: s.Count, P50: round(s.P50, 1), P90: round(s.P90, 1), P99: round(s.P99, 1), Max: round(s.Max, 1)}
}

func toPoint(iv *metrics.Interval) point {
	secs := iv.Seconds
	if secs <= 0 {
		secs = iv.End.Sub(iv.Start).Seconds()
	}
	if secs <= 0 {
		secs = 1
	}
	rate := func(n uint64) float64 { return round(float64(n)/secs, 2) }
	p := point{
		T: iv.End.UnixMilli(), S: secs, Src: iv.Source,
		Rx: map[string]float64{}, Tx: map[string]float64{},
		Answered: rate(iv.Packets.Answered), Dropped: rate(iv.Packets.Dropped),
		KDropped: rate(iv.Packets.KernelDropped), Unanswered: iv.Packets.Unanswered,
		CPU: round(iv.Process.CPUPercent, 2), User: round(iv.Process.UserPercent, 2),
		Sys: round(iv.Process.SystemPercent, 2), RSS: iv.Process.RSSBytes,
		RSSPeak: iv.Process.RSSPeakBytes, Up: iv.Kea.Up,
		Exc: iv.Errors.Exceptions, Log: iv.Errors.LogMessages,
	}
	// Releases and declines get no answer in DHCP, so they do not count
	// against the answered share.
	var queries uint64
	for k, n := range iv.Packets.Received {
		p.Rx[k] = rate(n)
		if k != "release" && k != "decline" {
			queries += n
		}
	}
	for k, n := range iv.Packets.Sent {
		p.Tx[k] = rate(n)
	}
	p.AnsweredPc = 100
	if queries > 0 {
		p.AnsweredPc = round(min(100, 100*float64(iv.Packets.Answered)/float64(queries)), 2)
	}
	var exc, logs uint64
	for _, c := range iv.Errors.Exceptions {
		exc += c.Count
	}
	for _, c := range iv.Errors.LogMessages {
		logs += c.Count
	}
	e := iv.Errors
	p.Err = errorRates{
		Parse: rate(e.ParseFailed), Nak: rate(e.Naks), Alloc: rate(e.AllocFailed),
		Drop: rate(iv.Packets.Dropped + iv.Packets.KernelDropped), Exceptions: rate(exc), Log: rate(logs),
	}
	p.Err.Total = round(p.Err.Parse+p.Err.Nak+p.Err.Alloc+p.Err.Drop+p.Err.Exceptions, 2)

	if iv.Latency.Count() > 0 {
		l := summarize(&iv.Latency)
		p.Lat = &l
		p.Heat = make([][2]uint64, 0, 16)
		for _, b := range iv.Latency.Buckets() {
			r := uint64(heatRow[b.Index])
			if n := len(p.Heat); n > 0 && p.Heat[n-1][0] == r {
				p.Heat[n-1][1] += b.Count
				continue
			}
			p.Heat = append(p.Heat, [2]uint64{r, b.Count})
		}
		p.Phases = phases(iv)
	}
	if len(iv.LatencyByType) > 0 {
		p.ByType = make(map[string]latency, len(iv.LatencyByType))
		for i := range iv.LatencyByType {
			tl := &iv.LatencyByType[i]
			if tl.Latency.Count() > 0 {
				p.ByType[tl.Query+">"+tl.Response] = summarize(&tl.Latency)
			}
		}
	}
	return p
}

// phases splits the mean latency of an answered packet into the phases the
// probes time inside it; what they do not cover is "rest". Queue wait is
// before Kea reads the packet, so it is not part of the latency.
func phases(iv *metrics.Interval) map[string]float64 {
	n := float64(iv.Latency.Count())
	if n == 0 || len(iv.Phases) == 0 {
		return nil
	}
	out := map[string]float64{}
	total := float64(iv.Latency.Sum()) / n / 1e3
	var covered float64
	for _, name := range []string{metrics.PhaseParse, metrics.PhaseAllocate, metrics.PhaseLeaseWrite} {
		if h := iv.Phases[name]; h != nil {
			v := float64(h.Sum()) / n / 1e3
			out[name] = round(v, 1)
			covered += v
		}
	}
	out["rest"] = round(max(0, total-covered), 1)
	return out
}

func toPoints(ivs []metrics.Interval) []point {
	out := make([]point, len(ivs))
	for i := range ivs {
		out[i] = toPoint(&ivs[i])
	}
	return out
}
