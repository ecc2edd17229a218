package keaproc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// DefaultExe is the executable name looked for when no PID is given.
const DefaultExe = "kea-dhcp4"

var (
	// ErrNotFound means no process matched: Kea is not running (yet).
	ErrNotFound = errors.New("no matching kea-dhcp4 process")
	// ErrAmbiguous means several processes matched and none was chosen.
	ErrAmbiguous = errors.New("several kea-dhcp4 processes match")
)

// Selector says which Kea to watch. The zero value means "the only
// kea-dhcp4 on this host".
type Selector struct {
	PID    int    // this process, if non-zero
	Exe    string // executable base name (default kea-dhcp4)
	Config string // a substring of the command line, e.g. the -c path
	Proc   string // /proc root (default /proc)
}

// Proc is one candidate process.
type Proc struct {
	PID     int
	Exe     string // resolved /proc/PID/exe target
	Cmdline string // arguments joined by spaces
	Start   uint64 // start time in clock ticks since boot, tells PID reuse apart
}

func (s Selector) root() string {
	if s.Proc == "" {
		return "/proc"
	}
	return s.Proc
}

func (s Selector) exe() string {
	if s.Exe == "" {
		return DefaultExe
	}
	return s.Exe
}

// Find returns the one process s selects. With ErrAmbiguous the error text
// lists the candidates so the user can pick one with --pid or --config.
func Find(s Selector) (Proc, error) {
	if s.PID != 0 {
		p, err := read(s.root(), s.PID)
		if err != nil {
			return Proc{}, fmt.Errorf("find pid %d: %w", s.PID, ErrNotFound)
		}
		return p, nil
	}
	all, err := List(s)
	if err != nil {
		return Proc{}, err
	}
	switch len(all) {
	case 0:
		return Proc{}, ErrNotFound
	case 1:
		return all[0], nil
	}
	var b strings.Builder
	for _, p := range all {
		fmt.Fprintf(&b, "\n  pid %d: %s", p.PID, p.Cmdline)
	}
	return Proc{}, fmt.Errorf("%w (pick one with --pid or --config):%s", ErrAmbiguous, b.String())
}

// List returns every process matching the executable name and config
// substring, by PID.
func List(s Selector) ([]Proc, error) {
	ents, err := os.ReadDir(s.root())
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	var out []Proc
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		p, err := read(s.root(), pid)
		if err != nil || filepath.Base(p.Exe) != s.exe() {
			continue // gone meanwhile, or not ours to read
		}
		if s.Config != "" && !strings.Contains(p.Cmdline, s.Config) {
			continue
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out, nil
}

func read(root string, pid int) (Proc, error) {
	dir := filepath.Join(root, strconv.Itoa(pid))
	exe, err := os.Readlink(filepath.Join(dir, "exe"))
	if err != nil {
		return Proc{}, fmt.Errorf("read exe: %w", err)
	}
	// a replaced binary (apt upgrade) reads "path (deleted)"; it is still Kea
	exe = strings.TrimSuffix(exe, " (deleted)")
	cmd, err := os.ReadFile(filepath.Join(dir, "cmdline"))
	if err != nil {
		return Proc{}, fmt.Errorf("read cmdline: %w", err)
	}
	st, err := readStat(filepath.Join(dir, "stat"))
	if err != nil {
		return Proc{}, err
	}
	return Proc{
		PID:     pid,
		Exe:     exe,
		Cmdline: strings.TrimSpace(strings.ReplaceAll(string(cmd), "\x00", " ")),
		Start:   st.start,
	}, nil
}

// Alive reports whether p still runs as the same process (not a reused PID).
func Alive(root string, p Proc) bool {
	if root == "" {
		root = "/proc"
	}
	st, err := readStat(filepath.Join(root, strconv.Itoa(p.PID), "stat"))
	return err == nil && st.start == p.Start && st.state != 'Z'
}
