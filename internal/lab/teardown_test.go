package lab_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/lab"
	"github.com/keascope/keascope/internal/testenv"
)

// leftovers lists what a lab named name could leave behind.
func leftovers(t *testing.T, name string, pid int, stateDir string) []string {
	t.Helper()
	var left []string
	for _, ns := range []string{lab.Prefix + name + "-s", lab.Prefix + name + "-c"} {
		if _, err := os.Stat(filepath.Join("/var/run/netns", ns)); err == nil {
			left = append(left, "netns "+ns)
		}
	}
	out, _ := exec.Command("ip", "-br", "link").Output()
	if strings.Contains(string(out), lab.Prefix+name+"-") {
		left = append(left, "veth in host namespace")
	}
	if pid > 0 && syscall.Kill(pid, 0) == nil {
		left = append(left, "kea process")
	}
	if _, err := os.Stat(filepath.Join(stateDir, name+".json")); err == nil {
		left = append(left, "registration")
	}
	return left
}

func TestCloseLeavesNothing(t *testing.T) {
	kea, perf := testenv.RequireKea(t)
	state := t.TempDir()
	l, err := lab.Start(context.Background(), lab.Config{KeaBinary: kea, PerfdhcpBinary: perf, StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	pid, work := l.KeaPID(), l.WorkDir()
	if pid == 0 {
		t.Fatal("no Kea PID")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if left := leftovers(t, l.Name(), pid, state); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if _, err := os.Stat(work); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("work dir %s still there", work)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestRestartKea(t *testing.T) {
	kea, perf := testenv.RequireKea(t)
	l, err := lab.Start(context.Background(), lab.Config{KeaBinary: kea, PerfdhcpBinary: perf, StateDir: t.TempDir(), WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	first := l.KeaPID()
	l.KillKea()
	if l.KeaPID() != 0 || syscall.Kill(first, 0) == nil {
		t.Fatalf("Kea %d still running after KillKea", first)
	}
	if err := l.RestartKea(context.Background()); err != nil {
		t.Fatal(err)
	}
	if second := l.KeaPID(); second == 0 || second == first {
		t.Errorf("PID after restart %d (before %d)", second, first)
	}
	if _, err := l.Stats(context.Background()); err != nil {
		t.Errorf("control socket after restart: %v", err)
	}
}

// A lab whose owner died (simulated: its registration names a dead owner)
// is removed by the next Start.
func TestStaleLabCleaned(t *testing.T) {
	kea, perf := testenv.RequireKea(t)
	state := t.TempDir()
	cfg := lab.Config{Name: "stale1", KeaBinary: kea, PerfdhcpBinary: perf, StateDir: state, WorkDir: t.TempDir()}
	l, err := lab.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	pid := l.KeaPID()
	// the same name while it runs: refused, and the running lab untouched
	if _, err := lab.Start(context.Background(), cfg); !errors.Is(err, lab.ErrExists) {
		t.Errorf("second lab with the same name: %v, want ErrExists", err)
	}
	if syscall.Kill(pid, 0) != nil {
		t.Fatal("refused Start killed the running lab's Kea")
	}
	reg := filepath.Join(state, "stale1.json")
	b, err := os.ReadFile(reg)
	if err != nil {
		t.Fatal(err)
	}
	// owner start time 1: no live process matches, as after a crash
	b = []byte(strings.Replace(string(b), `"owner_start": `, `"owner_start": 1`, 1))
	if err := os.WriteFile(reg, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := lab.Cleanup(state); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if left := leftovers(t, "stale1", pid, state); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	l.Close()
}

func TestBadInput(t *testing.T) {
	testenv.RequireRoot(t)
	_, perf := testenv.RequireKea(t)
	state := t.TempDir()
	for _, tc := range []struct {
		name string
		cfg  lab.Config
		want string
	}{
		{"missing kea", lab.Config{Name: "bad1", KeaBinary: "/nonexistent/kea-dhcp4"}, "apt-get install kea-dhcp4-server"},
		{"missing perfdhcp", lab.Config{Name: "bad2", PerfdhcpBinary: "/nonexistent/perfdhcp"}, "apt-get install kea-admin"},
		{"kea that exits", lab.Config{Name: "bad3", KeaBinary: "/bin/false"}, "exited"},
		{"long name", lab.Config{Name: "muchtoolongname"}, "1-8 characters"},
		{"socket type", lab.Config{Name: "bad4", SocketType: "tcp"}, "use udp or raw"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.StateDir = state
			if tc.cfg.PerfdhcpBinary == "" {
				tc.cfg.PerfdhcpBinary = perf
			}
			l, err := lab.Start(context.Background(), tc.cfg)
			if err == nil {
				l.Close()
				t.Fatal("Start succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line mentioning %q", err, tc.want)
			}
			if left := leftovers(t, tc.cfg.Name, 0, state); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}
