package probe

// Kind is how a probe attaches.
type Kind int

const (
	Tracepoint    Kind = iota // kernel tracepoint, one per host, filtered by Kea's tgid in BPF
	Uprobe                    // function entry in a Kea library, attached per Kea process
	Uretprobe                 // function return in a Kea library
	BTFTracepoint             // kernel tracepoint seen through BTF (tp_btf): typed arguments, one per host
)

func (k Kind) String() string {
	return [...]string{"tracepoint", "uprobe", "uretprobe", "tp_btf"}[k]
}

// hostWide reports whether the probe attaches once for the host rather
// than per Kea process.
func (k Kind) hostWide() bool { return k == Tracepoint || k == BTFTracepoint }

// Set names a group of probes enabled together.
type Set string

const (
	SetDefault Set = "default" // tracepoints only: counts, types, latency, drops
	SetDeep    Set = "deep"    // adds uprobes: phases, Kea counters, exceptions, logs
)

// Spec declares one probe: where it attaches, which BPF program runs, and
// what it feeds. A missing Required probe fails the attach; a missing
// optional one is reported in metrics.ProbeHealth.Missing.
type Spec struct {
	Name     string
	Set      Set
	Kind     Kind
	Group    string // tracepoint group, e.g. "syscalls"; none for BTFTracepoint
	Event    string // tracepoint name
	Library  string // uprobe: prefix of the library's file name in /proc/PID/maps
	Symbol   string // uprobe: exported (mangled) symbol
	Program  string // BPF program in bpf/keascope.bpf.c
	Required bool
	Feeds    string // the metrics it feeds, for docs and health output
}

const (
	libDHCP       = "libkea-dhcp++.so"
	libDHCPSrv    = "libkea-dhcpsrv.so"
	libStats      = "libkea-stats.so"
	libExceptions = "libkea-exceptions.so"
	libLog        = "libkea-log.so"
)

// Probes is every probe keascope knows, in attach order. Entry/return
// pairs are adjacent so a missing return rolls back its entry.
var Probes = []Spec{
	{Name: "recvmsg-enter", Set: SetDefault, Kind: Tracepoint, Group: "syscalls", Event: "sys_enter_recvmsg", Program: "enter_recvmsg", Required: true,
		Feeds: "udp mode: remembers the msghdr for the exit"},
	{Name: "recvmsg-exit", Set: SetDefault, Kind: Tracepoint, Group: "syscalls", Event: "sys_exit_recvmsg", Program: "exit_recvmsg", Required: true,
		Feeds: "packets.received, errors.parse_failed, latency start, phases_us.queue_wait end (udp mode)"},
	{Name: "read-enter", Set: SetDefault, Kind: Tracepoint, Group: "syscalls", Event: "sys_enter_read", Program: "enter_read", Required: true,
		Feeds: "raw mode: remembers the frame buffer for the exit"},
	{Name: "read-exit", Set: SetDefault, Kind: Tracepoint, Group: "syscalls", Event: "sys_exit_read", Program: "exit_read", Required: true,
		Feeds: "packets.received, errors.parse_failed, latency start, phases_us.queue_wait end (raw mode)"},
	{Name: "sendmsg-enter", Set: SetDefault, Kind: Tracepoint, Group: "syscalls", Event: "sys_enter_sendmsg", Program: "enter_sendmsg", Required: true,
		Feeds: "udp mode: parses the response, latency end"},
	{Name: "sendmsg-exit", Set: SetDefault, Kind: Tracepoint, Group: "syscalls", Event: "sys_exit_sendmsg", Program: "exit_sendmsg", Required: true,
		Feeds: "packets.sent, packets.answered, latency_us, latency_by_type, drop_reasons.send_failed (udp mode)"},
	{Name: "sendto-enter", Set: SetDefault, Kind: Tracepoint, Group: "syscalls", Event: "sys_enter_sendto", Program: "enter_sendto", Required: true,
		Feeds: "raw mode: parses the response frame, latency end"},
	{Name: "sendto-exit", Set: SetDefault, Kind: Tracepoint, Group: "syscalls", Event: "sys_exit_sendto", Program: "exit_sendto", Required: true,
		Feeds: "packets.sent, packets.answered, latency_us, latency_by_type, drop_reasons.send_failed (raw mode)"},
	{Name: "netif-receive-skb", Set: SetDefault, Kind: BTFTracepoint, Event: "netif_receive_skb", Program: "netif_rx",
		Feeds: "phases_us.queue_wait: arrival of every DHCP query on any interface"},
	{Name: "udp-fail-queue", Set: SetDefault, Kind: Tracepoint, Group: "udp", Event: "udp_fail_queue_rcv_skb", Program: "udp_fail",
		Feeds: "packets.kernel_dropped (udp mode)"},

	{Name: "pkt4-unpack", Set: SetDeep, Kind: Uprobe, Library: libDHCP, Symbol: "_ZN3isc4dhcp4Pkt46unpackEv", Program: "parse_enter",
		Feeds: "phases_us.parse"},
	{Name: "pkt4-unpack-ret", Set: SetDeep, Kind: Uretprobe, Library: libDHCP, Symbol: "_ZN3isc4dhcp4Pkt46unpackEv", Program: "parse_exit",
		Feeds: "phases_us.parse"},
	{Name: "allocate-lease4", Set: SetDeep, Kind: Uprobe, Library: libDHCPSrv, Symbol: "_ZN3isc4dhcp11AllocEngine14allocateLease4ERNS1_14ClientContext4E", Program: "allocate_enter",
		Feeds: "phases_us.allocate"},
	{Name: "allocate-lease4-ret", Set: SetDeep, Kind: Uretprobe, Library: libDHCPSrv, Symbol: "_ZN3isc4dhcp11AllocEngine14allocateLease4ERNS1_14ClientContext4E", Program: "allocate_exit",
		Feeds: "phases_us.allocate"},
	{Name: "memfile-add-lease4", Set: SetDeep, Kind: Uprobe, Library: libDHCPSrv, Symbol: "_ZN3isc4dhcp16Memfile_LeaseMgr8addLeaseERKN5boost10shared_ptrINS0_6Lease4EEE", Program: "lease_write_enter",
		Feeds: "phases_us.lease_write"},
	{Name: "memfile-add-lease4-ret", Set: SetDeep, Kind: Uretprobe, Library: libDHCPSrv, Symbol: "_ZN3isc4dhcp16Memfile_LeaseMgr8addLeaseERKN5boost10shared_ptrINS0_6Lease4EEE", Program: "lease_write_exit",
		Feeds: "phases_us.lease_write"},
	{Name: "memfile-update-lease4", Set: SetDeep, Kind: Uprobe, Library: libDHCPSrv, Symbol: "_ZN3isc4dhcp16Memfile_LeaseMgr12updateLease4ERKN5boost10shared_ptrINS0_6Lease4EEE", Program: "lease_write_enter",
		Feeds: "phases_us.lease_write"},
	{Name: "memfile-update-lease4-ret", Set: SetDeep, Kind: Uretprobe, Library: libDHCPSrv, Symbol: "_ZN3isc4dhcp16Memfile_LeaseMgr12updateLease4ERKN5boost10shared_ptrINS0_6Lease4EEE", Program: "lease_write_exit",
		Feeds: "phases_us.lease_write"},
	{Name: "pkt4-pack", Set: SetDeep, Kind: Uprobe, Library: libDHCP, Symbol: "_ZN3isc4dhcp4Pkt44packEv", Program: "pack_enter",
		Feeds: "phases_us.pack"},
	{Name: "pkt4-pack-ret", Set: SetDeep, Kind: Uretprobe, Library: libDHCP, Symbol: "_ZN3isc4dhcp4Pkt44packEv", Program: "pack_exit",
		Feeds: "phases_us.pack"},
	{Name: "stats-add-value", Set: SetDeep, Kind: Uprobe, Library: libStats, Symbol: "_ZN3isc5stats8StatsMgr8addValueERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEl", Program: "stats_add",
		Feeds: "errors.kea_counters, errors.alloc_failed"},
	{Name: "exception-ctor", Set: SetDeep, Kind: Uprobe, Library: libExceptions, Symbol: "_ZN3isc9ExceptionC2EPKcmS2_", Program: "exception_ctor",
		Feeds: "errors.exceptions"},
	{Name: "logger-error", Set: SetDeep, Kind: Uprobe, Library: libLog, Symbol: "_ZN3isc3log6Logger5errorERKPKc", Program: "log_error",
		Feeds: "errors.log"},
	{Name: "logger-warn", Set: SetDeep, Kind: Uprobe, Library: libLog, Symbol: "_ZN3isc3log6Logger4warnERKPKc", Program: "log_warn",
		Feeds: "errors.log"},
}

// ProbesFor returns the probes enabled with the deep set on or off.
func ProbesFor(deep bool) []Spec {
	var out []Spec
	for _, s := range Probes {
		if s.Set == SetDefault || deep {
			out = append(out, s)
		}
	}
	return out
}
