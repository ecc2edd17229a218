package lab

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// entry is a running lab's registration. A lab is alive while its owner
// runs or, once detached (keascope lab up), while its Kea runs.
type entry struct {
	Config     Config `json:"config"`
	OwnerPID   int    `json:"owner_pid"`
	OwnerStart uint64 `json:"owner_start"`
	Detached   bool   `json:"detached"`
	KeaPID     int    `json:"kea_pid"`
	KeaStart   uint64 `json:"kea_start"`
	OwnWorkDir bool   `json:"own_workdir"`
}

func entryPath(stateDir, name string) string { return filepath.Join(stateDir, name+".json") }

func writeEntry(e entry) error {
	if err := os.MkdirAll(e.Config.StateDir, 0o755); err != nil {
		return fmt.Errorf("register lab: %w", err)
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("register lab: %w", err)
	}
	p := entryPath(e.Config.StateDir, e.Config.Name)
	if err := os.WriteFile(p+".tmp", b, 0o644); err != nil {
		return fmt.Errorf("register lab: %w", err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		return fmt.Errorf("register lab: %w", err)
	}
	return nil
}

func readEntry(stateDir, name string) (entry, error) {
	var e entry
	b, err := os.ReadFile(entryPath(stateDir, name))
	if err != nil {
		return e, err
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("read lab %s: %w", name, err)
	}
	return e, nil
}

// procStart is a process's start time in clock ticks since boot (field 22
// of /proc/PID/stat); with the PID it identifies a process across PID reuse.
func procStart(pid int) (uint64, bool) {
	if pid <= 0 {
		return 0, false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// the command name (field 2) may hold spaces; count from its ")"
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return 0, false
	}
	v, err := strconv.ParseUint(f[19], 10, 64)
	return v, err == nil
}

func running(pid int, start uint64) bool {
	s, ok := procStart(pid)
	return ok && s == start
}

func (e entry) alive() bool {
	if e.Detached {
		return running(e.KeaPID, e.KeaStart)
	}
	return running(e.OwnerPID, e.OwnerStart)
}

// Cleanup removes labs whose owner is gone: their processes, namespaces,
// registration and (if the lab made it) work directory. It leaves running
// labs alone, so it is safe while other tests or a demo run labs. stateDir
// empty means DefaultStateDir.
func Cleanup(stateDir string) error {
	if stateDir == "" {
		stateDir = DefaultStateDir
	}
	names := map[string]bool{}
	if des, err := os.ReadDir(netnsDir); err == nil {
		for _, de := range des {
			n, ok := strings.CutPrefix(de.Name(), Prefix)
			if !ok {
				continue
			}
			if base, ok := strings.CutSuffix(n, "-s"); ok {
				names[base] = true
			} else if base, ok := strings.CutSuffix(n, "-c"); ok {
				names[base] = true
			}
		}
	}
	if des, err := os.ReadDir(stateDir); err == nil {
		for _, de := range des {
			if n, ok := strings.CutSuffix(de.Name(), ".json"); ok {
				names[n] = true
			}
		}
	}
	var errs []error
	for name := range names {
		e, err := readEntry(stateDir, name)
		if err == nil && e.alive() {
			continue
		}
		if err == nil && running(e.KeaPID, e.KeaStart) {
			syscall.Kill(e.KeaPID, syscall.SIGKILL)
		}
		if err := removeNetwork(name); err != nil {
			errs = append(errs, err)
			continue
		}
		if err == nil && e.OwnWorkDir && e.Config.WorkDir != "" {
			os.RemoveAll(e.Config.WorkDir)
		}
		if err := os.Remove(entryPath(stateDir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("clean up stale labs: %w", err)
	}
	return nil
}
