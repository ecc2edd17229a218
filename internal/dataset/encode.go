package dataset

import (
	"strings"

	"github.com/keascope/keascope/hollow/write"
	"github.com/keascope/keascope/internal/metrics"
)

// record names one record of the state.
type record struct {
	typ string
	ord int
}

// encoder adds the records of one interval and remembers every one it
// touched, so later cycles can retain the whole tree without re-encoding.
type encoder struct {
	w    *write.StateEngine
	tree []record
	err  error
}

func (e *encoder) add(typ string, o *write.Object) int {
	if e.err != nil {
		return -1
	}
	ord, err := e.w.Add(o)
	if err != nil {
		e.err = err
		return -1
	}
	e.tree = append(e.tree, record{typ, ord})
	return ord
}

func (e *encoder) addList(typ string, elems []int) int {
	if e.err != nil {
		return -1
	}
	ord, err := e.w.AddList(typ, elems)
	if err != nil {
		e.err = err
		return -1
	}
	e.tree = append(e.tree, record{typ, ord})
	return ord
}

// setRef sets a reference, or null for ord < 0 (nothing to refer to).
func setRef(o *write.Object, field string, ord int) {
	if ord < 0 {
		o.SetNull(field)
		return
	}
	o.SetRef(field, ord)
}

func (e *encoder) histogram(h *metrics.Histogram) int {
	if h == nil || h.Count() == 0 {
		return -1
	}
	o := e.w.NewObject(THistogram).
		SetLong("count", int64(h.Count())).SetLong("sumNs", int64(h.Sum())).
		SetLong("minNs", int64(h.Min())).SetLong("maxNs", int64(h.Max())).
		SetBytes("buckets", encodeBuckets(h.Buckets()))
	return e.add(THistogram, o)
}

func (e *encoder) counts(cs []metrics.Count) int {
	if len(cs) == 0 {
		return -1
	}
	ords := make([]int, 0, len(cs))
	for _, c := range cs {
		ords = append(ords, e.add(TCount, e.w.NewObject(TCount).SetString("key", c.Key).SetLong("count", int64(c.Count))))
	}
	return e.addList(TListOfCount, ords)
}

func (e *encoder) countMap(m map[string]uint64) int {
	var cs []metrics.Count
	for k, v := range m {
		cs = metrics.AddCount(cs, k, v)
	}
	return e.counts(cs)
}

func (e *encoder) signedMap(m map[string]int64) int {
	var cs []metrics.Count
	for k, v := range m {
		if v > 0 {
			cs = metrics.AddCount(cs, k, uint64(v))
		}
	}
	return e.counts(cs)
}

// interval adds one interval record and its tree; resolution is Fine or
// Minute.
func (e *encoder) interval(resolution string, iv *metrics.Interval) int {
	o := e.w.NewObject(TInterval).
		SetString("resolution", resolution).
		SetLong("end", iv.End.UnixMicro()).SetLong("start", iv.Start.UnixMicro()).
		SetDouble("seconds", iv.Seconds).SetString("source", string(iv.Source)).
		SetInt("keaPid", int32(iv.Kea.PID)).SetBool("keaUp", iv.Kea.Up).SetInt("keaRestarts", int32(iv.Kea.Restarts))
	for _, t := range rxTypes {
		o.SetLong(fieldName("rx", t), int64(iv.Packets.Received[t]))
	}
	for _, t := range txTypes {
		o.SetLong(fieldName("tx", t), int64(iv.Packets.Sent[t]))
	}
	p := &iv.Packets
	o.SetLong("answered", int64(p.Answered)).SetLong("dropped", int64(p.Dropped)).
		SetLong("unanswered", int64(p.Unanswered)).SetLong("kernelDropped", int64(p.KernelDropped)).
		SetLong("parseFailed", int64(iv.Errors.ParseFailed)).SetLong("naks", int64(iv.Errors.Naks)).
		SetLong("allocFailed", int64(iv.Errors.AllocFailed))
	setRef(o, "dropReasons", e.countMap(p.DropReasons))
	setRef(o, "exceptions", e.counts(iv.Errors.Exceptions))
	setRef(o, "logMessages", e.counts(iv.Errors.LogMessages))
	setRef(o, "keaCounters", e.signedMap(iv.Errors.KeaCounters))
	setRef(o, "latency", e.histogram(&iv.Latency))

	if len(iv.LatencyByType) > 0 {
		ords := make([]int, 0, len(iv.LatencyByType))
		for i := range iv.LatencyByType {
			tl := &iv.LatencyByType[i]
			t := e.w.NewObject(TTypeLatency).SetString("query", tl.Query).SetString("response", tl.Response)
			setRef(t, "latency", e.histogram(&tl.Latency))
			ords = append(ords, e.add(TTypeLatency, t))
		}
		o.SetRef("latencyByType", e.addList(TListOfTypeLatency, ords))
	} else {
		o.SetNull("latencyByType")
	}
	if len(iv.Phases) > 0 {
		var ords []int
		for _, name := range phaseOrder(iv.Phases) {
			ph := e.w.NewObject(TPhase).SetString("name", name)
			setRef(ph, "duration", e.histogram(iv.Phases[name]))
			ords = append(ords, e.add(TPhase, ph))
		}
		o.SetRef("phases", e.addList(TListOfPhase, ords))
	} else {
		o.SetNull("phases")
	}

	pr := &iv.Process
	o.SetDouble("cpuPercent", pr.CPUPercent).SetDouble("userPercent", pr.UserPercent).SetDouble("systemPercent", pr.SystemPercent).
		SetLong("rssBytes", int64(pr.RSSBytes)).SetLong("rssPeakBytes", int64(pr.RSSPeakBytes)).
		SetLong("ctxVoluntary", int64(pr.VoluntaryCtxSwitches)).SetLong("ctxInvoluntary", int64(pr.InvoluntaryCtxSwitches))
	if len(pr.Threads) > 0 {
		ords := make([]int, 0, len(pr.Threads))
		for _, th := range pr.Threads {
			ords = append(ords, e.add(TThreadCPU, e.w.NewObject(TThreadCPU).
				SetInt("tid", int32(th.TID)).SetString("name", th.Name).SetDouble("cpuPercent", th.CPUPercent)))
		}
		o.SetRef("threads", e.addList(TListOfThreadCPU, ords))
	} else {
		o.SetNull("threads")
	}
	if len(iv.Subnets) > 0 {
		ords := make([]int, 0, len(iv.Subnets))
		for _, s := range iv.Subnets {
			ords = append(ords, e.add(TSubnetUse, e.w.NewObject(TSubnetUse).
				SetLong("subnetId", s.ID).SetString("prefix", s.Prefix).SetLong("total", s.Total).
				SetLong("assigned", s.Assigned).SetLong("declined", s.Declined)))
		}
		o.SetRef("subnets", e.addList(TListOfSubnetUse, ords))
	} else {
		o.SetNull("subnets")
	}
	o.SetString("probeSet", iv.Probe.Set).SetInt("probesAttached", int32(iv.Probe.Attached)).
		SetString("probesMissing", strings.Join(iv.Probe.Missing, ",")).SetLong("eventsLost", int64(iv.Probe.EventsLost))
	return e.add(TInterval, o)
}

// phaseOrder lists known phases in packet order, then any others sorted.
func phaseOrder(m map[string]*metrics.Histogram) []string {
	var out []string
	for _, n := range metrics.PhaseNames {
		if _, ok := m[n]; ok {
			out = append(out, n)
		}
	}
	var extra []string
	for n := range m {
		known := false
		for _, k := range metrics.PhaseNames {
			known = known || k == n
		}
		if !known {
			extra = append(extra, n)
		}
	}
	sortStrings(extra)
	return append(out, extra...)
}
