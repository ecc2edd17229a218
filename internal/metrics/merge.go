package metrics

import (
	"sort"
	"time"
)

// Merge folds o, a later interval of the same server, into iv, so that a
// run of 1 s intervals can be rolled up into one per minute. Counters add,
// histograms merge, CPU is averaged over time, memory keeps its peak, and
// the identity and health fields are the latest ones.
func (iv *Interval) Merge(o *Interval) {
	if o.Start.Before(iv.Start) || iv.Start.IsZero() {
		iv.Start = o.Start
	}
	if o.End.After(iv.End) {
		iv.End = o.End
	}
	total := iv.Seconds + o.Seconds
	if total > 0 {
		w0, w1 := iv.Seconds/total, o.Seconds/total
		iv.Process.CPUPercent = iv.Process.CPUPercent*w0 + o.Process.CPUPercent*w1
		iv.Process.UserPercent = iv.Process.UserPercent*w0 + o.Process.UserPercent*w1
		iv.Process.SystemPercent = iv.Process.SystemPercent*w0 + o.Process.SystemPercent*w1
	}
	iv.Seconds = total
	if iv.Source == "" {
		iv.Source = o.Source
	}
	iv.Kea = o.Kea
	iv.Probe = o.Probe
	if len(o.Subnets) > 0 {
		iv.Subnets = append([]Subnet(nil), o.Subnets...)
	}
	iv.Process.RSSBytes = o.Process.RSSBytes
	iv.Process.RSSPeakBytes = max(iv.Process.RSSPeakBytes, o.Process.RSSPeakBytes)
	iv.Process.VoluntaryCtxSwitches += o.Process.VoluntaryCtxSwitches
	iv.Process.InvoluntaryCtxSwitches += o.Process.InvoluntaryCtxSwitches
	iv.Process.Threads = o.Process.Threads

	p := &iv.Packets
	p.Received = addMap(p.Received, o.Packets.Received)
	p.Sent = addMap(p.Sent, o.Packets.Sent)
	p.DropReasons = addMap(p.DropReasons, o.Packets.DropReasons)
	p.Answered += o.Packets.Answered
	p.Dropped += o.Packets.Dropped
	p.Unanswered = o.Packets.Unanswered // a level, not a flow
	p.KernelDropped += o.Packets.KernelDropped

	e := &iv.Errors
	e.ParseFailed += o.Errors.ParseFailed
	e.Naks += o.Errors.Naks
	e.AllocFailed += o.Errors.AllocFailed
	e.Exceptions = addCounts(e.Exceptions, o.Errors.Exceptions)
	e.LogMessages = addCounts(e.LogMessages, o.Errors.LogMessages)
	for k, v := range o.Errors.KeaCounters {
		if e.KeaCounters == nil {
			e.KeaCounters = map[string]int64{}
		}
		e.KeaCounters[k] += v
	}

	iv.Latency.Merge(&o.Latency)
	for _, tl := range o.LatencyByType {
		iv.typeLatency(tl.Query, tl.Response).Merge(&tl.Latency)
	}
	for name, h := range o.Phases {
		iv.Phase(name).Merge(h)
	}
}

// Compact puts every histogram of the interval in its compact form, for
// intervals that are kept (a window, a dashboard snapshot).
func (iv *Interval) Compact() {
	iv.Latency.Compact()
	for i := range iv.LatencyByType {
		iv.LatencyByType[i].Latency.Compact()
	}
	for _, h := range iv.Phases {
		h.Compact()
	}
}

// Phase returns the histogram of the named phase, creating it if needed.
func (iv *Interval) Phase(name string) *Histogram {
	if iv.Phases == nil {
		iv.Phases = map[string]*Histogram{}
	}
	h := iv.Phases[name]
	if h == nil {
		h = &Histogram{}
		iv.Phases[name] = h
	}
	return h
}

// TypeLatency returns the histogram of a (query, response) pair, creating it
// if needed; the list stays sorted by query then response.
func (iv *Interval) TypeLatency(query, response MessageType) *Histogram {
	return iv.typeLatency(query.String(), response.String())
}

func (iv *Interval) typeLatency(q, r string) *Histogram {
	i := sort.Search(len(iv.LatencyByType), func(i int) bool {
		t := iv.LatencyByType[i]
		return t.Query > q || (t.Query == q && t.Response >= r)
	})
	if i < len(iv.LatencyByType) && iv.LatencyByType[i].Query == q && iv.LatencyByType[i].Response == r {
		return &iv.LatencyByType[i].Latency
	}
	iv.LatencyByType = append(iv.LatencyByType, TypeLatency{})
	copy(iv.LatencyByType[i+1:], iv.LatencyByType[i:])
	iv.LatencyByType[i] = TypeLatency{Query: q, Response: r}
	return &iv.LatencyByType[i].Latency
}

// AddCount adds n to the entry key of a count list kept sorted by key.
func AddCount(list []Count, key string, n uint64) []Count {
	i := sort.Search(len(list), func(i int) bool { return list[i].Key >= key })
	if i < len(list) && list[i].Key == key {
		list[i].Count += n
		return list
	}
	list = append(list, Count{})
	copy(list[i+1:], list[i:])
	list[i] = Count{Key: key, Count: n}
	return list
}

func addCounts(dst, src []Count) []Count {
	for _, c := range src {
		dst = AddCount(dst, c.Key, c.Count)
	}
	return dst
}

func addMap(dst, src map[string]uint64) map[string]uint64 {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]uint64, len(src))
	}
	for k, v := range src {
		dst[k] += v
	}
	return dst
}

// New returns an empty interval with its maps ready.
func New(start time.Time, source Source) *Interval {
	return &Interval{
		Start:   start,
		Source:  source,
		Packets: Packets{Received: map[string]uint64{}, Sent: map[string]uint64{}},
	}
}
