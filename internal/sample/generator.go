package sample

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// PID is the made-up process id sample intervals report, so a reader of
// raw records sees at a glance that no real kea-dhcp4 was measured.
const PID = 4242

// Generator produces consecutive sample intervals. It is deterministic for
// a seed and start time, and not safe for concurrent use.
type Generator struct {
	rng     *rand.Rand
	start   time.Time
	now     time.Time
	subnets []subnet
	rss     float64
}

type subnet struct {
	id     int64
	prefix string
	total  int64
	u0     float64 // utilization at start
	cap    float64 // utilization it rises towards
	tau    time.Duration
}

// New returns a generator whose first interval starts at start.
func New(seed int64, start time.Time) *Generator {
	return &Generator{
		rng:   rand.New(rand.NewPCG(uint64(seed), 0x6b6561)),
		start: start,
		now:   start,
		// Three subnets filling at different speeds: one stays green, one
		// reaches the warning band, one the critical band within the hour.
		subnets: []subnet{
			{id: 1, prefix: "192.0.2.0/24", total: 200, u0: 0.30, cap: 0.55, tau: 40 * time.Minute},
			{id: 2, prefix: "198.51.100.0/24", total: 250, u0: 0.60, cap: 0.86, tau: 30 * time.Minute},
			{id: 3, prefix: "203.0.113.0/25", total: 126, u0: 0.70, cap: 0.97, tau: 20 * time.Minute},
		},
		rss: 38 << 20,
	}
}

// Now is where the next interval starts.
func (g *Generator) Now() time.Time { return g.now }

// Exceptions that Kea plausibly throws; the texts are invented.
var exceptionTexts = []string{
	"Option 82 too short: truncated sub-option",
	"Failed to parse packet: buffer overflow while reading DHCP header",
	"LeaseMgr: database write timed out",
}

// Next returns the interval [Now, Now+d) and advances the clock by d.
func (g *Generator) Next(d time.Duration) *metrics.Interval {
	iv := metrics.New(g.now, metrics.SourceSample)
	g.now = g.now.Add(d)
	iv.End = g.now
	iv.Seconds = d.Seconds()
	mid := iv.Start.Add(d / 2)

	rate := g.rate(mid) // queries per second
	secs := d.Seconds()
	discover := g.poisson(rate * 0.42 * secs)
	request := g.poisson(rate * 0.50 * secs)
	release := g.poisson(rate * 0.05 * secs)
	inform := g.poisson(rate * 0.025 * secs)
	decline := g.poisson(rate * 0.005 * secs)

	// A little of every flow goes wrong: a few discovers get no offer
	// (pool exhausted, dropped), a few requests are NAKed.
	dropDiscover := g.binomial(discover, 0.004)
	naks := g.binomial(request, 0.015)
	allocFail := dropDiscover
	parseFailed := g.poisson(0.02 * secs)
	offers := discover - dropDiscover
	acks := request - naks + inform

	p := &iv.Packets
	p.Received["discover"] = discover
	p.Received["request"] = request
	p.Received["release"] = release
	p.Received["inform"] = inform
	p.Received["decline"] = decline
	p.Sent["offer"] = offers
	p.Sent["ack"] = acks
	p.Sent["nak"] = naks
	p.Answered = offers + acks + naks
	p.Dropped = dropDiscover + parseFailed
	if p.Dropped > 0 {
		p.DropReasons = map[string]uint64{}
		if dropDiscover > 0 {
			p.DropReasons["no_response"] = dropDiscover
		}
		if parseFailed > 0 {
			p.DropReasons["parse_failed"] = parseFailed
		}
	}
	p.Unanswered = uint64(g.rng.IntN(3))

	e := &iv.Errors
	e.Naks = naks
	e.AllocFailed = allocFail
	e.ParseFailed = parseFailed
	if naks > 0 {
		e.LogMessages = metrics.AddCount(e.LogMessages, "DHCP4_PACKET_NAK_0001", naks)
	}
	if allocFail > 0 {
		e.LogMessages = metrics.AddCount(e.LogMessages, "ALLOC_ENGINE_V4_ALLOC_FAIL", allocFail)
	}
	if n := g.poisson(0.01 * secs); n > 0 {
		e.Exceptions = metrics.AddCount(e.Exceptions, exceptionTexts[g.rng.IntN(len(exceptionTexts))], n)
		e.LogMessages = metrics.AddCount(e.LogMessages, "DHCP4_PACKET_PROCESS_EXCEPTION", n)
	}

	// Latency grows with load (queueing) and has a tail.
	load := rate / 400
	g.latency(iv, metrics.Discover, metrics.Offer, offers, 140e3*(1+load))
	g.latency(iv, metrics.Request, metrics.Ack, request-naks, 260e3*(1+load))
	g.latency(iv, metrics.Request, metrics.Nak, naks, 90e3)
	g.latency(iv, metrics.Inform, metrics.Ack, inform, 70e3)
	g.phases(iv, offers+acks+naks, load)

	cpu := 1.5 + rate*0.045 + g.rng.NormFloat64()*0.4
	cpu = max(cpu, 0.2)
	g.rss += float64(discover)*64 - float64(release)*48
	g.rss = min(max(g.rss, 30<<20), 120<<20)
	iv.Process = metrics.Process{
		CPUPercent:             cpu,
		UserPercent:            cpu * 0.7,
		SystemPercent:          cpu * 0.3,
		RSSBytes:               uint64(g.rss),
		RSSPeakBytes:           uint64(g.rss * 1.05),
		VoluntaryCtxSwitches:   p.Answered * 2,
		InvoluntaryCtxSwitches: uint64(g.rng.IntN(5)),
	}
	iv.Kea = metrics.Kea{PID: PID, Up: true, Version: "2.2.0 (sample)", SocketMode: "udp"}
	iv.Probe = metrics.ProbeHealth{Set: "sample"}

	elapsed := iv.End.Sub(g.start)
	for _, s := range g.subnets {
		u := s.cap - (s.cap-s.u0)*math.Exp(-float64(elapsed)/float64(s.tau))
		assigned := int64(u*float64(s.total)) + int64(g.rng.IntN(3)) - 1
		assigned = min(max(assigned, 0), s.total)
		iv.Subnets = append(iv.Subnets, metrics.Subnet{
			ID: s.id, Prefix: s.prefix, Total: s.total, Assigned: assigned, Declined: int64(decline % 2),
		})
	}
	return iv
}

// rate is the query rate at t: a day-shaped curve peaking mid-afternoon,
// a faster ripple so a 5-minute view is not flat, and noise.
func (g *Generator) rate(t time.Time) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60 + float64(t.Second())/3600
	day := 0.55 + 0.45*math.Sin(2*math.Pi*(h-9)/24)
	ripple := 1 + 0.15*math.Sin(2*math.Pi*float64(t.Unix()%300)/300)
	return max(180*day*ripple*(1+0.08*g.rng.NormFloat64()), 1)
}

// latency records n answers of a (query, response) pair with a log-normal
// body around medianNS and a 1 % tail of slow answers (a lease write that
// waited on disk). At most 64 draws are made, each weighted, so a minute
// interval costs no more than a second and a day of backfill stays quick.
func (g *Generator) latency(iv *metrics.Interval, q, r metrics.MessageType, n uint64, medianNS float64) {
	if n == 0 {
		return
	}
	h := iv.TypeLatency(q, r)
	draws := min(n, 64)
	for i := range draws {
		w := n / draws
		if i < n%draws {
			w++
		}
		v := medianNS * math.Exp(0.35*g.rng.NormFloat64())
		if g.rng.Float64() < 0.01 {
			v *= 8 + 60*g.rng.Float64()
		}
		h.ObserveN(uint64(v), w)
		iv.Latency.ObserveN(uint64(v), w)
	}
}

// phases splits answered packets' time into Kea's phases.
func (g *Generator) phases(iv *metrics.Interval, n uint64, load float64) {
	if n == 0 {
		return
	}
	medians := map[string]float64{
		metrics.PhaseQueueWait:  15e3 * (1 + 3*load),
		metrics.PhaseParse:      9e3,
		metrics.PhaseAllocate:   45e3 * (1 + load),
		metrics.PhaseLeaseWrite: 70e3,
		metrics.PhasePack:       6e3,
	}
	draws := min(n, 16)
	for _, name := range metrics.PhaseNames {
		h := iv.Phase(name)
		for i := range draws {
			w := n / draws
			if i < n%draws {
				w++
			}
			h.ObserveN(uint64(medians[name]*math.Exp(0.3*g.rng.NormFloat64())), w)
		}
	}
}

// poisson draws from a Poisson distribution with mean m (normal
// approximation above 30, which is plenty for sample data).
func (g *Generator) poisson(m float64) uint64 {
	if m <= 0 {
		return 0
	}
	if m > 30 {
		return uint64(max(0, math.Round(m+math.Sqrt(m)*g.rng.NormFloat64())))
	}
	l, k, p := math.Exp(-m), uint64(0), 1.0
	for {
		p *= g.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func (g *Generator) binomial(n uint64, p float64) uint64 {
	return min(g.poisson(float64(n)*p), n)
}
