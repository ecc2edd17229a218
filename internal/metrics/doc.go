// Package metrics defines what keascope measures about one kea-dhcp4 process
// over one interval: the Interval record every source (eBPF probe, Kea's
// control socket, labelled sample data) produces and every consumer (NDJSON
// output, the Hollow dataset, Prometheus, the dashboard) reads, and the
// mergeable log-linear Histogram its latencies are kept in.
//
// Keeping this one record shape at the centre is what lets a source be
// swapped when eBPF cannot run without anything downstream noticing, apart
// from the Source field that says where the numbers came from.
package metrics
