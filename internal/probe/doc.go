// Package probe measures a running, unmodified kea-dhcp4 with eBPF and
// turns what it sees into one metrics.Interval per interval.
//
// The default probe set is syscall tracepoints only: the BPF side parses
// the DHCP header (op, xid, client address, option 53) out of the buffers
// Kea hands to recvmsg/read and sendmsg/sendto, in udp and raw socket
// modes, pairs each response with its query by (xid, client), and keeps
// counts and latency histograms in maps. User space reads differences once
// per interval, so no load can lose a count. The deep set adds uprobes on
// Kea's shared libraries for per-phase times, Kea's own statistic bumps,
// exceptions and error logs. Probes are declared as data in probes.go.
//
// The BPF C lives in bpf/ at the repository root; the generated loader
// keascope_x86_bpfel.go and object are committed so building needs no clang.
package probe
