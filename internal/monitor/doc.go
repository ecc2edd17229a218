// Package monitor is the keascope daemon: it collects one metrics.Interval
// per interval from the best source that works (eBPF probes, else Kea's
// control socket, or labelled sample data when asked), publishes each as a
// Hollow version to a local store that is mirrored to the remote "Hollow
// server" whenever it is reachable, exports Prometheus metrics, and serves
// the dashboard. Every part may fail on its own; the monitor logs each state
// change once and keeps the rest running.
package monitor
