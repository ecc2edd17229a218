package dataset

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/internal/metrics"
)

// ErrNotKeascope means a state lacks keascope's types or has a layout this
// version does not read.
var ErrNotKeascope = errors.New("not a keascope metrics state")

// Contents is one version's data, decoded.
type Contents struct {
	Server  ServerRecord
	Fine    []*metrics.Interval // oldest first
	Minutes []*metrics.Interval // oldest first
	Events  []ErrorEvent
}

// ServerRecord is the Server type's one record.
type ServerRecord struct {
	Host, KeaVersion, SocketMode, StoreMode string
	PID, Threads                            int
	Source                                  metrics.Source
}

// ErrorEvent totals one exception text or Kea log id over the fine window.
type ErrorEvent struct {
	Kind, Key           string
	Count               uint64
	FirstSeen, LastSeen time.Time
}

// reader reads typed fields of one state by field name.
type reader struct {
	s *read.State
}

func (r reader) typ(name string) (*read.Type, error) {
	t := r.s.Type(name)
	if t == nil {
		return nil, fmt.Errorf("%w: no type %s", ErrNotKeascope, name)
	}
	return t, nil
}

// fields maps field names to indexes for one type.
type fields struct {
	t   *read.Type
	idx map[string]int
}

func newFields(t *read.Type) fields {
	m := map[string]int{}
	for i, f := range t.Schema().Fields {
		m[f.Name] = i
	}
	return fields{t, m}
}

func (f fields) i(name string) int {
	if i, ok := f.idx[name]; ok {
		return i
	}
	return -1
}

func (f fields) long(o int, name string) int64 {
	v, _ := f.t.Long(o, f.i(name))
	return v
}
func (f fields) u64(o int, name string) uint64 { return uint64(max(f.long(o, name), 0)) }
func (f fields) int(o int, name string) int {
	v, _ := f.t.Int(o, f.i(name))
	return int(v)
}
func (f fields) dbl(o int, name string) float64 {
	v, _ := f.t.Double(o, f.i(name))
	return v
}
func (f fields) str(o int, name string) string {
	v, _ := f.t.String(o, f.i(name))
	return v
}
func (f fields) boolean(o int, name string) bool {
	v, _ := f.t.Bool(o, f.i(name))
	return v
}
func (f fields) ref(o int, name string) (int, bool) { return f.t.Ref(o, f.i(name)) }

// Decode reads a state written by this package.
func Decode(s *read.State) (*Contents, error) {
	return new(Cache).Decode(s)
}

// Cache carries decoded interval records from one version to the next.
// An interval record never changes once written, so a record with the same
// (resolution, end) is the same record: a follower decodes only what each
// version added, not the whole window every second. The zero value is
// ready; a Cache is not safe for concurrent use, and the intervals it
// returns are shared between versions and must not be modified.
type Cache struct {
	m map[treeKey]*metrics.Interval
}

// Decode reads a state written by this package, reusing intervals decoded
// for an earlier version.
func (cache *Cache) Decode(s *read.State) (*Contents, error) {
	if v := s.HeaderTags()[TagSchema]; v != "" && v != SchemaVersion {
		return nil, fmt.Errorf("%w: layout version %s, this keascope reads %s", ErrNotKeascope, v, SchemaVersion)
	}
	r := reader{s}
	d, err := newDecoder(r)
	if err != nil {
		return nil, err
	}
	c := &Contents{}
	st, err := r.typ(TServer)
	if err != nil {
		return nil, err
	}
	sf := newFields(st)
	for o := range st.Ordinals() {
		c.Server = ServerRecord{Host: sf.str(o, "host"), KeaVersion: sf.str(o, "keaVersion"), PID: sf.int(o, "pid"),
			SocketMode: sf.str(o, "socketMode"), Threads: sf.int(o, "threads"), StoreMode: sf.str(o, "storeMode"),
			Source: metrics.Source(sf.str(o, "source"))}
	}
	seen := make(map[treeKey]*metrics.Interval, len(cache.m))
	for o := range d.iv.t.Ordinals() {
		k := treeKey{d.iv.str(o, "resolution"), d.iv.long(o, "end")}
		iv, res := cache.m[k], k.res
		if iv == nil {
			var err error
			if iv, res, err = d.interval(o); err != nil {
				return nil, err
			}
		}
		seen[k] = iv
		if res == Minute {
			c.Minutes = append(c.Minutes, iv)
		} else {
			c.Fine = append(c.Fine, iv)
		}
	}
	cache.m = seen
	byEnd := func(l []*metrics.Interval) {
		sort.Slice(l, func(i, j int) bool { return l[i].End.Before(l[j].End) })
	}
	byEnd(c.Fine)
	byEnd(c.Minutes)
	if et := s.Type(TErrorEvent); et != nil {
		ef := newFields(et)
		for o := range et.Ordinals() {
			c.Events = append(c.Events, ErrorEvent{Kind: ef.str(o, "kind"), Key: ef.str(o, "key"), Count: ef.u64(o, "count"),
				FirstSeen: time.UnixMicro(ef.long(o, "firstSeen")).UTC(), LastSeen: time.UnixMicro(ef.long(o, "lastSeen")).UTC()})
		}
		sort.Slice(c.Events, func(i, j int) bool { return c.Events[i].Count > c.Events[j].Count })
	}
	return c, nil
}

type decoder struct {
	iv, hist, count, tl, phase, thread, subnet fields
	lists                                      map[string]*read.Type
}

func newDecoder(r reader) (*decoder, error) {
	d := &decoder{lists: map[string]*read.Type{}}
	for _, x := range []struct {
		name string
		dst  *fields
	}{{TInterval, &d.iv}, {THistogram, &d.hist}, {TCount, &d.count}, {TTypeLatency, &d.tl},
		{TPhase, &d.phase}, {TThreadCPU, &d.thread}, {TSubnetUse, &d.subnet}} {
		t, err := r.typ(x.name)
		if err != nil {
			return nil, err
		}
		*x.dst = newFields(t)
	}
	for _, n := range []string{TListOfCount, TListOfTypeLatency, TListOfPhase, TListOfThreadCPU, TListOfSubnetUse} {
		t, err := r.typ(n)
		if err != nil {
			return nil, err
		}
		d.lists[n] = t
	}
	return d, nil
}

// elems lists the elements of the LIST that field of record o refers to.
func (d *decoder) elems(list string, f fields, o int, field string) []int {
	lo, ok := f.ref(o, field)
	if !ok {
		return nil
	}
	return d.lists[list].Elements(lo)
}

func (d *decoder) histogram(o int, ok bool, dst *metrics.Histogram) error {
	if !ok {
		return nil
	}
	h := d.hist
	raw, _ := h.t.Bytes(o, h.i("buckets"))
	bs, err := decodeBuckets(raw)
	if err != nil {
		return fmt.Errorf("read histogram %d: %w", o, err)
	}
	r, err := metrics.HistogramFromBuckets(bs, h.u64(o, "sumNs"), h.u64(o, "minNs"), h.u64(o, "maxNs"))
	if err != nil {
		return fmt.Errorf("read histogram %d: %w", o, err)
	}
	if r.Count() != h.u64(o, "count") {
		return fmt.Errorf("read histogram %d: buckets hold %d values, count says %d", o, r.Count(), h.u64(o, "count"))
	}
	*dst = *r
	return nil
}

func (d *decoder) counts(f fields, o int, field string) []metrics.Count {
	var out []metrics.Count
	for _, e := range d.elems(TListOfCount, f, o, field) {
		out = append(out, metrics.Count{Key: d.count.str(e, "key"), Count: d.count.u64(e, "count")})
	}
	return out
}

func (d *decoder) interval(o int) (*metrics.Interval, string, error) {
	f := d.iv
	res := f.str(o, "resolution")
	iv := metrics.New(time.UnixMicro(f.long(o, "start")).UTC(), metrics.Source(f.str(o, "source")))
	iv.End = time.UnixMicro(f.long(o, "end")).UTC()
	iv.Seconds = f.dbl(o, "seconds")
	iv.Kea = metrics.Kea{PID: f.int(o, "keaPid"), Up: f.boolean(o, "keaUp"), Restarts: f.int(o, "keaRestarts")}
	for _, t := range rxTypes {
		if n := f.u64(o, fieldName("rx", t)); n > 0 {
			iv.Packets.Received[t] = n
		}
	}
	for _, t := range txTypes {
		if n := f.u64(o, fieldName("tx", t)); n > 0 {
			iv.Packets.Sent[t] = n
		}
	}
	p := &iv.Packets
	p.Answered, p.Dropped = f.u64(o, "answered"), f.u64(o, "dropped")
	p.Unanswered, p.KernelDropped = f.u64(o, "unanswered"), f.u64(o, "kernelDropped")
	iv.Errors.ParseFailed, iv.Errors.Naks, iv.Errors.AllocFailed = f.u64(o, "parseFailed"), f.u64(o, "naks"), f.u64(o, "allocFailed")
	for _, c := range d.counts(f, o, "dropReasons") {
		if p.DropReasons == nil {
			p.DropReasons = map[string]uint64{}
		}
		p.DropReasons[c.Key] = c.Count
	}
	iv.Errors.Exceptions = d.counts(f, o, "exceptions")
	iv.Errors.LogMessages = d.counts(f, o, "logMessages")
	for _, c := range d.counts(f, o, "keaCounters") {
		if iv.Errors.KeaCounters == nil {
			iv.Errors.KeaCounters = map[string]int64{}
		}
		iv.Errors.KeaCounters[c.Key] = int64(c.Count)
	}
	lo, lok := f.ref(o, "latency")
	if err := d.histogram(lo, lok, &iv.Latency); err != nil {
		return nil, "", err
	}
	for _, e := range d.elems(TListOfTypeLatency, f, o, "latencyByType") {
		tl := metrics.TypeLatency{Query: d.tl.str(e, "query"), Response: d.tl.str(e, "response")}
		ho, hok := d.tl.ref(e, "latency")
		if err := d.histogram(ho, hok, &tl.Latency); err != nil {
			return nil, "", err
		}
		iv.LatencyByType = append(iv.LatencyByType, tl)
	}
	for _, e := range d.elems(TListOfPhase, f, o, "phases") {
		ho, hok := d.phase.ref(e, "duration")
		if err := d.histogram(ho, hok, iv.Phase(d.phase.str(e, "name"))); err != nil {
			return nil, "", err
		}
	}
	iv.Process = metrics.Process{CPUPercent: f.dbl(o, "cpuPercent"), UserPercent: f.dbl(o, "userPercent"),
		SystemPercent: f.dbl(o, "systemPercent"), RSSBytes: f.u64(o, "rssBytes"), RSSPeakBytes: f.u64(o, "rssPeakBytes"),
		VoluntaryCtxSwitches: f.u64(o, "ctxVoluntary"), InvoluntaryCtxSwitches: f.u64(o, "ctxInvoluntary")}
	for _, e := range d.elems(TListOfThreadCPU, f, o, "threads") {
		iv.Process.Threads = append(iv.Process.Threads, metrics.ThreadCPU{TID: d.thread.int(e, "tid"),
			Name: d.thread.str(e, "name"), CPUPercent: d.thread.dbl(e, "cpuPercent")})
	}
	for _, e := range d.elems(TListOfSubnetUse, f, o, "subnets") {
		s := d.subnet
		iv.Subnets = append(iv.Subnets, metrics.Subnet{ID: s.long(e, "subnetId"), Prefix: s.str(e, "prefix"),
			Total: s.long(e, "total"), Assigned: s.long(e, "assigned"), Declined: s.long(e, "declined")})
	}
	iv.Probe = metrics.ProbeHealth{Set: f.str(o, "probeSet"), Attached: f.int(o, "probesAttached"), EventsLost: f.u64(o, "eventsLost")}
	if m := f.str(o, "probesMissing"); m != "" {
		iv.Probe.Missing = strings.Split(m, ",")
	}
	return iv, res, nil
}
