package metrics

import "time"

// Source says where an interval's numbers came from. Consumers must show it:
// sample data is never to be mistaken for measurements.
type Source string

const (
	SourceEBPF    Source = "ebpf"    // eBPF probes on the running kea-dhcp4
	SourceControl Source = "control" // Kea's control-socket statistics: counts, no latency
	SourceSample  Source = "sample"  // synthetic data, only when explicitly asked for
)

// Interval is everything measured about one kea-dhcp4 over [Start, End).
// Its JSON form is the NDJSON line of `keascope probe` (docs/metrics.md).
type Interval struct {
	End     time.Time `json:"ts"`
	Start   time.Time `json:"start"`
	Seconds float64   `json:"interval_s"`
	Source  Source    `json:"source"`
	Kea     Kea       `json:"kea"`
	Packets Packets   `json:"packets"`
	Errors  Errors    `json:"errors"`
	// Latency is receive → send of every answered query, in the JSON as
	// microseconds.
	Latency Histogram `json:"latency_us"`
	// LatencyByType splits Latency by (query type, response type).
	LatencyByType []TypeLatency `json:"latency_by_type,omitempty"`
	// Phases holds per-phase durations by phase name (see Phase*).
	Phases  map[string]*Histogram `json:"phases_us,omitempty"`
	Process Process               `json:"process"`
	Subnets []Subnet              `json:"subnets,omitempty"`
	Probe   ProbeHealth           `json:"probe"`
}

// Phase names: where a packet's time goes inside Kea.
const (
	PhaseQueueWait  = "queue_wait"  // arrival at the interface → Kea reads it
	PhaseParse      = "parse"       // Pkt4::unpack
	PhaseAllocate   = "allocate"    // AllocEngine::allocateLease4
	PhaseLeaseWrite = "lease_write" // lease manager add/update
	PhasePack       = "pack"        // Pkt4::pack
)

// PhaseNames lists the phases in the order a packet meets them.
var PhaseNames = []string{PhaseQueueWait, PhaseParse, PhaseAllocate, PhaseLeaseWrite, PhasePack}

// Kea identifies the measured server process.
type Kea struct {
	PID        int    `json:"pid"`
	Up         bool   `json:"up"`
	Version    string `json:"version,omitempty"`
	Exe        string `json:"exe,omitempty"`
	SocketMode string `json:"socket_mode,omitempty"` // udp or raw
	Threads    int    `json:"threads,omitempty"`     // Kea's packet-processing threads, 0 if single-threaded
	// Restarts counts PID changes seen since keascope started.
	Restarts int `json:"restarts,omitempty"`
}

// Packets counts DHCP messages by Kea's lower-case type names.
type Packets struct {
	Received map[string]uint64 `json:"received"`
	Sent     map[string]uint64 `json:"sent"`
	// Answered queries got a response within the interval they were read in
	// or the next one.
	Answered uint64 `json:"answered"`
	// Dropped queries were read by Kea and never answered; DropReasons
	// splits them (parse_failed, unknown_type, no_response, ...).
	Dropped     uint64            `json:"dropped"`
	DropReasons map[string]uint64 `json:"drop_reasons,omitempty"`
	// Unanswered queries were still waiting for a response when the
	// interval closed.
	Unanswered uint64 `json:"unanswered"`
	// KernelDropped packets never reached Kea: its socket buffer was full.
	KernelDropped uint64 `json:"kernel_dropped"`
}

// Errors are the failure classes an operator looks for first.
type Errors struct {
	ParseFailed uint64 `json:"parse_failed"`
	Naks        uint64 `json:"nak"`
	AllocFailed uint64 `json:"alloc_failed"`
	// Exceptions are isc::Exception texts thrown inside Kea, by message.
	Exceptions []Count `json:"exceptions,omitempty"`
	// LogMessages are Kea error/warning log message ids, by id.
	LogMessages []Count `json:"log,omitempty"`
	// KeaCounters are increments of Kea's own statistics seen by the
	// StatsMgr probe, by statistic name.
	KeaCounters map[string]int64 `json:"kea_counters,omitempty"`
}

// Count is a keyed counter, kept as a list so JSON and Hollow order is stable.
type Count struct {
	Key   string `json:"key"`
	Count uint64 `json:"count"`
}

// TypeLatency is the latency of one (query, response) pair; Response is
// "none" for queries that got no answer.
type TypeLatency struct {
	Query    string    `json:"query"`
	Response string    `json:"response"`
	Latency  Histogram `json:"latency_us"`
}

// Process is Kea's resource use over the interval.
type Process struct {
	CPUPercent    float64 `json:"cpu_percent"` // user+system, % of one core
	UserPercent   float64 `json:"user_percent"`
	SystemPercent float64 `json:"system_percent"`
	RSSBytes      uint64  `json:"rss_bytes"`
	RSSPeakBytes  uint64  `json:"rss_peak_bytes"`
	// Context switches during the interval.
	VoluntaryCtxSwitches   uint64      `json:"ctx_switches_voluntary"`
	InvoluntaryCtxSwitches uint64      `json:"ctx_switches_involuntary"`
	Threads                []ThreadCPU `json:"threads,omitempty"`
}

// ThreadCPU is one Kea thread's CPU use.
type ThreadCPU struct {
	TID        int     `json:"tid"`
	Name       string  `json:"name"`
	CPUPercent float64 `json:"cpu_percent"`
}

// Subnet is the address use of one Kea subnet, from its statistics.
type Subnet struct {
	ID       int64  `json:"id"`
	Prefix   string `json:"prefix,omitempty"`
	Total    int64  `json:"total_addresses"`
	Assigned int64  `json:"assigned_addresses"`
	Declined int64  `json:"declined_addresses"`
}

// Utilization is Assigned/Total as a fraction (0 when Total is 0).
func (s Subnet) Utilization() float64 {
	if s.Total <= 0 {
		return 0
	}
	return float64(s.Assigned) / float64(s.Total)
}

// ProbeHealth is the measuring side's own state.
type ProbeHealth struct {
	Set        string   `json:"set,omitempty"` // default or deep
	Attached   int      `json:"attached"`
	Missing    []string `json:"missing,omitempty"` // optional probes that could not attach
	EventsLost uint64   `json:"events_lost"`
}
