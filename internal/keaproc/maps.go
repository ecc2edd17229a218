package keaproc

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Library returns the path of the first mapped file of pid whose base name
// starts with prefix (e.g. "libkea-dhcp++.so"), as the process sees it.
// Uprobes go on that file: Kea may run in a mount namespace, so the path is
// returned through /proc/PID/root.
func Library(proc string, pid int, prefix string) (string, error) {
	if proc == "" {
		proc = "/proc"
	}
	f, err := os.Open(filepath.Join(proc, strconv.Itoa(pid), "maps"))
	if err != nil {
		return "", fmt.Errorf("read maps: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 {
			continue
		}
		path := fields[5]
		if strings.HasPrefix(filepath.Base(path), prefix) {
			return filepath.Join(proc, strconv.Itoa(pid), "root", path), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("read maps: %w", err)
	}
	return "", fmt.Errorf("find %s in pid %d: not mapped", prefix, pid)
}
