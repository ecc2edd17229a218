// Package lab runs a real kea-dhcp4 in a throw-away network: a server and a
// client network namespace joined by a veth pair in 198.18.0.0/15 (the
// benchmarking range, RFC 2544), so test traffic never leaves them.
//
// Start builds the namespaces, writes a Kea configuration and starts Kea in
// the server namespace; RunPerfdhcp loads it from the client namespace,
// Send and Exchange deliver crafted packets, Control reads Kea's counters,
// and Close removes everything. Every lab is registered under a state
// directory so that Cleanup (called by Start) can remove the remains of a
// run that crashed before Close.
package lab
