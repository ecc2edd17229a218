package promexport

import (
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/keascope/keascope/internal/metrics"
)

// Health is keascope's own state, set by the monitor as it changes.
type Health struct {
	Source          metrics.Source
	StoreMode       string // remote or local
	LastVersion     int64
	PublishFailures uint64
}

type pair struct{ query, response string }

// Exporter accumulates intervals and serves them on scrape. It is safe for
// concurrent use.
type Exporter struct {
	mu        sync.Mutex
	received  map[string]uint64
	sent      map[string]uint64
	drops     map[string]uint64
	answered  uint64
	kernel    uint64
	parseFail uint64
	naks      uint64
	allocFail uint64
	latency   map[pair]*cumulative
	phases    map[string]*cumulative
	last      *metrics.Interval
	intervals uint64
	health    Health
	lost      uint64
}

// New returns an empty Exporter; register it with a prometheus.Registry.
func New() *Exporter {
	return &Exporter{
		received: map[string]uint64{},
		sent:     map[string]uint64{},
		drops:    map[string]uint64{},
		latency:  map[pair]*cumulative{},
		phases:   map[string]*cumulative{},
	}
}

// Observe adds one interval's increments and keeps its levels (CPU, RSS,
// subnets) as the current values.
func (e *Exporter) Observe(iv *metrics.Interval) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, v := range iv.Packets.Received {
		e.received[k] += v
	}
	for k, v := range iv.Packets.Sent {
		e.sent[k] += v
	}
	for k, v := range iv.Packets.DropReasons {
		e.drops[k] += v
	}
	e.answered += iv.Packets.Answered
	e.kernel += iv.Packets.KernelDropped
	e.parseFail += iv.Errors.ParseFailed
	e.naks += iv.Errors.Naks
	e.allocFail += iv.Errors.AllocFailed
	for i := range iv.LatencyByType {
		tl := &iv.LatencyByType[i]
		k := pair{tl.Query, tl.Response}
		c := e.latency[k]
		if c == nil {
			c = &cumulative{}
			e.latency[k] = c
		}
		c.add(&tl.Latency)
	}
	for name, h := range iv.Phases {
		c := e.phases[name]
		if c == nil {
			c = &cumulative{}
			e.phases[name] = c
		}
		c.add(h)
	}
	e.lost += iv.Probe.EventsLost
	e.intervals++
	e.last = iv
}

// SetHealth replaces keascope's own state.
func (e *Exporter) SetHealth(h Health) {
	e.mu.Lock()
	e.health = h
	e.mu.Unlock()
}

var (
	descReceived  = prometheus.NewDesc("kea_dhcp4_packets_received_total", "DHCPv4 packets Kea read, by message type.", []string{"operation"}, nil)
	descSent      = prometheus.NewDesc("kea_dhcp4_packets_sent_total", "DHCPv4 packets Kea sent, by message type.", []string{"operation"}, nil)
	descDropped   = prometheus.NewDesc("kea_dhcp4_packets_dropped_total", "Queries Kea read and never answered, by reason.", []string{"reason"}, nil)
	descAnswered  = prometheus.NewDesc("kea_dhcp4_queries_answered_total", "Queries that got a response.", nil, nil)
	descKernel    = prometheus.NewDesc("kea_dhcp4_packets_kernel_dropped_total", "Packets the kernel dropped before Kea read them (socket buffer full).", nil, nil)
	descParseFail = prometheus.NewDesc("kea_dhcp4_packets_parse_failed_total", "Packets Kea could not parse.", nil, nil)
	descNaks      = prometheus.NewDesc("kea_dhcp4_naks_total", "DHCPNAK responses.", nil, nil)
	descAllocFail = prometheus.NewDesc("kea_dhcp4_allocation_failures_total", "Lease allocations that failed.", nil, nil)
	descLatency   = prometheus.NewDesc("kea_dhcp4_packet_processing_duration_seconds", "Time from Kea reading a query to sending its response.", []string{"query_type", "response_type"}, nil)
	descPhase     = prometheus.NewDesc("kea_dhcp4_phase_duration_seconds", "Time spent in one processing phase per packet.", []string{"phase"}, nil)
	descAssigned  = prometheus.NewDesc("kea_dhcp4_addresses_assigned_total", "Addresses assigned in a subnet.", []string{"subnet", "subnet_id"}, nil)
	descDeclined  = prometheus.NewDesc("kea_dhcp4_addresses_declined_total", "Addresses declined in a subnet.", []string{"subnet", "subnet_id"}, nil)
	descTotal     = prometheus.NewDesc("kea_dhcp4_addresses_total", "Addresses in a subnet's pools.", []string{"subnet", "subnet_id"}, nil)
	descCPU       = prometheus.NewDesc("kea_dhcp4_process_cpu_percent", "Kea's CPU use over the last interval, % of one core.", []string{"mode"}, nil)
	descRSS       = prometheus.NewDesc("kea_dhcp4_process_resident_memory_bytes", "Kea's resident memory.", nil, nil)
	descRSSPeak   = prometheus.NewDesc("kea_dhcp4_process_resident_memory_peak_bytes", "Kea's peak resident memory.", nil, nil)
	descKeaUp     = prometheus.NewDesc("kea_dhcp4_up", "1 when the measured kea-dhcp4 runs.", nil, nil)
	descAttached  = prometheus.NewDesc("keascope_probes_attached", "eBPF probes attached.", nil, nil)
	descLost      = prometheus.NewDesc("keascope_events_lost_total", "Per-packet events the probe could not deliver.", nil, nil)
	descSource    = prometheus.NewDesc("keascope_source", "The collector in use (1 for the active one).", []string{"source"}, nil)
	descMode      = prometheus.NewDesc("keascope_store_mode", "Where versions are published (1 for the active mode).", []string{"mode"}, nil)
	descVersion   = prometheus.NewDesc("keascope_last_published_version", "The last Hollow version published.", nil, nil)
	descPubFail   = prometheus.NewDesc("keascope_publish_failures_total", "Hollow publish attempts that failed.", nil, nil)
	descIntervals = prometheus.NewDesc("keascope_intervals_total", "Intervals collected.", nil, nil)
)

// Describe sends every descriptor.
func (e *Exporter) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descReceived, descSent, descDropped, descAnswered, descKernel,
		descParseFail, descNaks, descAllocFail, descLatency, descPhase, descAssigned, descDeclined, descTotal,
		descCPU, descRSS, descRSSPeak, descKeaUp, descAttached, descLost, descSource, descMode, descVersion,
		descPubFail, descIntervals} {
		ch <- d
	}
}

// Collect sends the current values.
func (e *Exporter) Collect(ch chan<- prometheus.Metric) {
	e.mu.Lock()
	defer e.mu.Unlock()
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	// Every known type is exported from the start, so rate() has a zero to
	// start from instead of a series that appears with its first packet.
	for _, t := range metrics.QueryTypes {
		counter(descReceived, e.received[t.String()], t.String())
	}
	for k, v := range e.received {
		if mt, ok := metrics.ParseMessageType(k); !ok || !isQuery(mt) {
			counter(descReceived, v, k)
		}
	}
	for _, t := range metrics.ResponseTypes {
		counter(descSent, e.sent[t.String()], t.String())
	}
	for k, v := range e.sent {
		if mt, ok := metrics.ParseMessageType(k); !ok || !isResponse(mt) {
			counter(descSent, v, k)
		}
	}
	for k, v := range e.drops {
		counter(descDropped, v, k)
	}
	counter(descAnswered, e.answered)
	counter(descKernel, e.kernel)
	counter(descParseFail, e.parseFail)
	counter(descNaks, e.naks)
	counter(descAllocFail, e.allocFail)
	for k, c := range e.latency {
		ch <- prometheus.MustNewConstHistogram(descLatency, c.count, c.sum, c.buckets(), k.query, k.response)
	}
	for k, c := range e.phases {
		ch <- prometheus.MustNewConstHistogram(descPhase, c.count, c.sum, c.buckets(), k)
	}
	counter(descLost, e.lost)
	counter(descIntervals, e.intervals)
	counter(descPubFail, e.health.PublishFailures)
	gauge(descVersion, float64(e.health.LastVersion))
	for _, s := range []metrics.Source{metrics.SourceEBPF, metrics.SourceControl, metrics.SourceSample} {
		gauge(descSource, b2f(e.health.Source == s), string(s))
	}
	for _, m := range []string{"remote", "local"} {
		gauge(descMode, b2f(e.health.StoreMode == m), m)
	}
	if e.last == nil {
		gauge(descKeaUp, 0)
		return
	}
	iv := e.last
	gauge(descKeaUp, b2f(iv.Kea.Up))
	gauge(descAttached, float64(iv.Probe.Attached))
	gauge(descCPU, iv.Process.UserPercent, "user")
	gauge(descCPU, iv.Process.SystemPercent, "system")
	gauge(descRSS, float64(iv.Process.RSSBytes))
	gauge(descRSSPeak, float64(iv.Process.RSSPeakBytes))
	for _, s := range iv.Subnets {
		id := strconv.FormatInt(s.ID, 10)
		gauge(descAssigned, float64(s.Assigned), s.Prefix, id)
		gauge(descDeclined, float64(s.Declined), s.Prefix, id)
		gauge(descTotal, float64(s.Total), s.Prefix, id)
	}
}

func isQuery(t metrics.MessageType) bool {
	for _, q := range metrics.QueryTypes {
		if q == t {
			return true
		}
	}
	return false
}

func isResponse(t metrics.MessageType) bool {
	for _, r := range metrics.ResponseTypes {
		if r == t {
			return true
		}
	}
	return false
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
