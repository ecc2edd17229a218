package probe

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/keascope/keascope/internal/metrics"
)

// collector turns the cumulative BPF maps into per-interval differences.
type collector struct {
	objs      *keascopeObjects
	clock     clock
	prevCnt   [numCounters]uint64
	prevHist  map[keascopeHistKey]uint64
	prevStats map[string]int64
	dropAfter uint64 // ns a query may wait before it counts as dropped
}

func newCollector(objs *keascopeObjects, dropAfterNS uint64) (*collector, error) {
	c := &collector{objs: objs, clock: newClock(), dropAfter: dropAfterNS}
	// start from the maps' current state: the first interval holds only
	// what happened after it began
	cnt, err := c.readCounters()
	if err != nil {
		return nil, err
	}
	c.prevCnt = cnt
	if c.prevHist, err = c.readHists(); err != nil {
		return nil, err
	}
	if c.prevStats, err = c.readStats(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *collector) readCounters() ([numCounters]uint64, error) {
	var out [numCounters]uint64
	for i := range out {
		if err := c.objs.Counters.Lookup(uint32(i), &out[i]); err != nil {
			return out, fmt.Errorf("read counter %d: %w", i, err)
		}
	}
	return out, nil
}

func (c *collector) readHists() (map[keascopeHistKey]uint64, error) {
	out := map[keascopeHistKey]uint64{}
	var k keascopeHistKey
	var v uint64
	it := c.objs.Hists.Iterate()
	for it.Next(&k, &v) {
		out[k] = v
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("read histograms: %w", err)
	}
	return out, nil
}

func (c *collector) readStats() (map[string]int64, error) {
	out := map[string]int64{}
	var k keascopeStatKey
	var v int64
	it := c.objs.KeaStats.Iterate()
	for it.Next(&k, &v) {
		out[cString(k.Name[:])] = v
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("read kea counters: %w", err)
	}
	return out, nil
}

// fill adds the differences since the last call to iv.
func (c *collector) fill(iv *metrics.Interval, drops func(Event)) error {
	cnt, err := c.readCounters()
	if err != nil {
		return err
	}
	d := func(i int) uint64 { return cnt[i] - c.prevCnt[i] }
	p := &iv.Packets
	for t := 0; t < 16; t++ {
		name := metrics.MessageType(t).String()
		if n := d(cntRxBase + t); n > 0 {
			p.Received[name] += n
		}
		if n := d(cntTxBase + t); n > 0 {
			p.Sent[name] += n
		}
	}
	p.Answered = d(cntAnswered)
	p.KernelDropped = d(cntKernelDrops)
	malformed := d(cntMalformed)
	iv.Errors.ParseFailed = malformed
	iv.Errors.Naks = d(cntTxBase + int(metrics.Nak))
	if malformed > 0 {
		addReason(p, DropParseFailed, malformed)
	}
	if n := d(cntSendFailed); n > 0 {
		addReason(p, DropSendFailed, n)
	}
	iv.Probe.EventsLost = d(cntEventsLost)
	switch {
	case d(cntRxRaw) > 0:
		iv.Kea.SocketMode = "raw"
	case d(cntRxUDP) > 0:
		iv.Kea.SocketMode = "udp"
	}
	c.prevCnt = cnt

	if err := c.fillHists(iv); err != nil {
		return err
	}
	if err := c.fillStats(iv); err != nil {
		return err
	}
	return c.agePending(iv, drops)
}

func addReason(p *metrics.Packets, reason string, n uint64) {
	if p.DropReasons == nil {
		p.DropReasons = map[string]uint64{}
	}
	p.DropReasons[reason] += n
	p.Dropped += n
}

func (c *collector) fillHists(iv *metrics.Interval) error {
	cur, err := c.readHists()
	if err != nil {
		return err
	}
	for k, v := range cur {
		n := v - c.prevHist[k]
		if n == 0 {
			continue
		}
		var h *metrics.Histogram
		switch {
		case k.Hist >= histPhase && int(k.Hist-histPhase) < len(phaseNames):
			h = iv.Phase(phaseNames[k.Hist-histPhase])
		case k.Hist < histPhase:
			q, r := metrics.MessageType(k.Hist/16), metrics.MessageType(k.Hist%16)
			if err := iv.Latency.AddBucket(int(k.Bucket), n); err != nil {
				return err
			}
			h = iv.TypeLatency(q, r)
		default:
			continue
		}
		if err := h.AddBucket(int(k.Bucket), n); err != nil {
			return err
		}
	}
	c.prevHist = cur
	return nil
}

// allocFailPrefix marks Kea's allocation failure statistics
// (v4-allocation-fail, v4-allocation-fail-subnet, ...).
const allocFailPrefix = "v4-allocation-fail"

func (c *collector) fillStats(iv *metrics.Interval) error {
	cur, err := c.readStats()
	if err != nil {
		return err
	}
	for name, v := range cur {
		n := v - c.prevStats[name]
		if n == 0 {
			continue
		}
		if iv.Errors.KeaCounters == nil {
			iv.Errors.KeaCounters = map[string]int64{}
		}
		iv.Errors.KeaCounters[name] = n
		// Kea bumps the total and one or more per-reason counters; the
		// total alone says how many allocations failed
		if name == allocFailPrefix && n > 0 {
			iv.Errors.AllocFailed += uint64(n)
		}
	}
	c.prevStats = cur
	return nil
}

// agePending counts queries older than dropAfter as dropped and removes
// them; younger ones are the unanswered level.
func (c *collector) agePending(iv *metrics.Interval, drops func(Event)) error {
	now := c.clock.monoNow()
	var k keascopePendingKey
	var v keascopePendingQuery
	var stale []keascopePendingKey
	var staleVals []keascopePendingQuery
	iv.Packets.Unanswered = 0
	it := c.objs.Pending.Iterate()
	for it.Next(&k, &v) {
		if now > v.Ts && now-v.Ts > c.dropAfter {
			stale = append(stale, k)
			staleVals = append(staleVals, v)
		} else {
			iv.Packets.Unanswered++
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("read pending queries: %w", err)
	}
	for i, k := range stale {
		if err := c.objs.Pending.Delete(k); err != nil {
			if errors.Is(err, ebpf.ErrKeyNotExist) {
				continue // answered just now
			}
			return fmt.Errorf("expire pending query: %w", err)
		}
		v := staleVals[i]
		reason := DropNoResponse
		switch t := metrics.MessageType(v.Qtype); {
		case t == 0:
			reason = DropNoMsgType
		case !t.Known():
			reason = DropUnknownType
		}
		addReason(&iv.Packets, reason, 1)
		if drops != nil {
			drops(Event{
				Time: c.clock.wall(v.Ts), Kind: "dropped", XID: k.Xid, Chaddr: macString(k.Chaddr),
				Query: metrics.MessageType(v.Qtype).String(), Response: "none", DropReason: reason, TID: int(v.Tid),
			})
		}
	}
	return nil
}
