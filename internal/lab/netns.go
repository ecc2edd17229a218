package lab

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// netnsDir is where `ip netns` keeps its named namespaces.
const netnsDir = "/var/run/netns"

// ip runs the ip(8) command and returns its error with its output.
func ip(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

func nsExists(ns string) bool {
	_, err := os.Stat(filepath.Join(netnsDir, ns))
	return err == nil
}

// buildNetwork creates both namespaces and the veth pair. The veth ends are
// created directly inside the namespaces, so a crash never leaves an
// interface in the host's namespace: deleting the namespaces removes all.
func buildNetwork(name string) error {
	s, c := serverNS(name), clientNS(name)
	steps := [][]string{
		{"netns", "add", s},
		{"netns", "add", c},
		{"-n", s, "link", "add", serverIface(name), "type", "veth", "peer", "name", clientIface(name), "netns", c},
		{"-n", s, "addr", "add", ServerIP + "/" + strconv.Itoa(ifPrefix), "dev", serverIface(name)},
		{"-n", c, "addr", "add", ClientIP + "/" + strconv.Itoa(ifPrefix), "dev", clientIface(name)},
		{"-n", s, "link", "set", "lo", "up"},
		{"-n", c, "link", "set", "lo", "up"},
		{"-n", s, "link", "set", serverIface(name), "up"},
		{"-n", c, "link", "set", clientIface(name), "up"},
	}
	for _, st := range steps {
		if err := ip(st...); err != nil {
			return fmt.Errorf("build network: %w", err)
		}
	}
	return nil
}

// removeNetwork kills whatever still runs in the lab's namespaces and
// deletes them (which deletes the veth pair).
func removeNetwork(name string) error {
	var errs []error
	for _, ns := range []string{serverNS(name), clientNS(name)} {
		if !nsExists(ns) {
			continue
		}
		killNS(ns)
		if err := ip("netns", "del", ns); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// killNS SIGKILLs every process in namespace ns.
func killNS(ns string) {
	out, err := exec.Command("ip", "netns", "pids", ns).Output()
	if err != nil {
		return
	}
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 1 && pid != os.Getpid() {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// inNetns runs fn on an OS thread that has joined namespace ns. The thread
// stays locked and is destroyed when fn returns (the goroutine exits
// without unlocking), so no other goroutine ever runs in the wrong
// namespace. Sockets fn opens stay in ns and can be used from any thread.
func inNetns(ns string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open(filepath.Join(netnsDir, ns))
		if err != nil {
			errc <- fmt.Errorf("open netns: %w", err)
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("enter netns %s: %w", ns, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}
