package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run under CI (CI=true), where every
// requirement is mandatory.
func InCI() bool {
	v := os.Getenv("CI")
	return v == "true" || v == "1"
}

// Unavailable skips the test, or fails it in CI, with reason.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if InCI() {
		t.Fatalf("required in CI: "+format, args...)
	}
	t.Skipf(format, args...)
}

// RequireRoot needs uid 0 (network namespaces, eBPF, starting Kea).
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Unavailable(t, "needs root (run as root or with sudo)")
	}
}

// RequireBTF needs kernel BTF, which CO-RE BPF programs are relocated against.
func RequireBTF(t testing.TB) {
	t.Helper()
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		Unavailable(t, "needs kernel BTF at /sys/kernel/btf/vmlinux: %v", err)
	}
}

// RequireBinary needs an executable on PATH (or the given absolute path) and
// returns its path.
func RequireBinary(t testing.TB, name, hint string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, "needs %s (%s): %v", name, hint, err)
	}
	return p
}

// RequireKea needs kea-dhcp4 and perfdhcp and root, and returns their paths.
func RequireKea(t testing.TB) (keaDHCP4, perfdhcp string) {
	t.Helper()
	RequireRoot(t)
	keaDHCP4 = RequireBinary(t, "kea-dhcp4", "apt-get install kea-dhcp4-server")
	perfdhcp = RequireBinary(t, "perfdhcp", "apt-get install kea-admin")
	return keaDHCP4, perfdhcp
}

// RequireEBPF needs root and BTF.
func RequireEBPF(t testing.TB) {
	t.Helper()
	RequireRoot(t)
	RequireBTF(t)
}
