// Package keaproc finds the kea-dhcp4 process keascope measures and reads
// its resource use from /proc.
//
// Find picks one Kea by PID, by the --config path in its command line, or as
// the only process whose executable is kea-dhcp4, and says which candidates
// there were when the choice is ambiguous. Sampler turns successive /proc
// readings into metrics.Process (CPU %, per thread, RSS, peak, context
// switches) and needs no eBPF, so a control-socket source can use it too.
// Every path is under a configurable /proc root so tests run on fixtures.
package keaproc
