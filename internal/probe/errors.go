package probe

import "errors"

var (
	// ErrPermission means the kernel refused to load or attach BPF programs:
	// keascope needs root, or CAP_BPF plus CAP_PERFMON (and CAP_SYS_PTRACE
	// to read Kea's memory maps).
	ErrPermission = errors.New("not permitted to use eBPF (needs root or CAP_BPF+CAP_PERFMON)")
	// ErrNoKea means no kea-dhcp4 process matched the selection.
	ErrNoKea = errors.New("no kea-dhcp4 process found")
	// ErrRequiredProbe means a probe the chosen set cannot do without failed
	// to attach.
	ErrRequiredProbe = errors.New("required probe unavailable")
)
