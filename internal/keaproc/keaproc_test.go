package keaproc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeProc writes a /proc fixture with one process per entry.
type fakeTask struct {
	pid, tid     int
	comm         string
	utime, stime uint64
	vol, invol   uint64
}

func writeProc(t *testing.T, root string, pid int, exe, cmdline string, start uint64, rssKB, hwmKB uint64, tasks []fakeTask) {
	t.Helper()
	dir := filepath.Join(root, strconv.Itoa(pid))
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "task"), 0o755))
	os.Remove(filepath.Join(dir, "exe"))
	must(os.Symlink(exe, filepath.Join(dir, "exe")))
	must(os.WriteFile(filepath.Join(dir, "cmdline"), []byte(strings.ReplaceAll(cmdline, " ", "\x00")+"\x00"), 0o644))
	stat := func(comm string, ut, st uint64) string {
		// fields 3..22: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime prio nice threads itreal starttime
		return fmt.Sprintf("%d (%s) S 1 1 1 0 -1 0 0 0 0 0 %d %d 0 0 20 0 1 0 %d 0 0\n", pid, comm, ut, st, start)
	}
	var ut, st uint64
	for _, tk := range tasks {
		ut += tk.utime
		st += tk.stime
		td := filepath.Join(dir, "task", strconv.Itoa(tk.tid))
		must(os.MkdirAll(td, 0o755))
		must(os.WriteFile(filepath.Join(td, "stat"), []byte(stat(tk.comm, tk.utime, tk.stime)), 0o644))
		must(os.WriteFile(filepath.Join(td, "status"), []byte(fmt.Sprintf("Name:\t%s\nvoluntary_ctxt_switches:\t%d\nnonvoluntary_ctxt_switches:\t%d\n", tk.comm, tk.vol, tk.invol)), 0o644))
	}
	must(os.WriteFile(filepath.Join(dir, "stat"), []byte(stat("kea-dhcp4", ut, st)), 0o644))
	must(os.WriteFile(filepath.Join(dir, "status"), []byte(fmt.Sprintf("Name:\tkea-dhcp4\nVmHWM:\t%d kB\nVmRSS:\t%d kB\n", hwmKB, rssKB)), 0o644))
}

func TestParseStatWithAwkwardCommand(t *testing.T) {
	s, err := parseStat([]byte("42 (a) b (c) R 1 1 1 0 -1 0 0 0 0 0 7 9 0 0 20 0 1 0 12345 0 0"))
	if err != nil {
		t.Fatal(err)
	}
	if s.comm != "a) b (c" || s.state != 'R' || s.utime != 7 || s.stime != 9 || s.start != 12345 {
		t.Fatalf("%+v", s)
	}
	for _, bad := range []string{"", "42 no parens", "42 (x) R 1 2"} {
		if _, err := parseStat([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestFindPicksByPIDConfigOrAlone(t *testing.T) {
	root := t.TempDir()
	writeProc(t, root, 100, "/usr/sbin/kea-dhcp4", "kea-dhcp4 -c /etc/kea/a.json", 1, 1, 1, nil)
	writeProc(t, root, 200, "/usr/sbin/kea-dhcp4", "kea-dhcp4 -c /etc/kea/b.json", 1, 1, 1, nil)
	writeProc(t, root, 300, "/usr/bin/bash", "bash", 1, 1, 1, nil)

	_, err := Find(Selector{Proc: root})
	if !errors.Is(err, ErrAmbiguous) || !strings.Contains(err.Error(), "pid 100") || !strings.Contains(err.Error(), "pid 200") {
		t.Fatalf("two Keas: %v", err)
	}
	p, err := Find(Selector{Proc: root, Config: "b.json"})
	if err != nil || p.PID != 200 {
		t.Fatalf("by config: %+v %v", p, err)
	}
	p, err = Find(Selector{Proc: root, PID: 100})
	if err != nil || p.PID != 100 {
		t.Fatalf("by pid: %+v %v", p, err)
	}
	if _, err := Find(Selector{Proc: root, PID: 999}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing pid: %v", err)
	}
	if _, err := Find(Selector{Proc: root, Exe: "kea-dhcp6"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no kea-dhcp6: %v", err)
	}
}

func TestAliveTellsReusedPIDApart(t *testing.T) {
	root := t.TempDir()
	writeProc(t, root, 100, "/usr/sbin/kea-dhcp4", "kea-dhcp4", 500, 1, 1, nil)
	p, err := Find(Selector{Proc: root})
	if err != nil || !Alive(root, p) {
		t.Fatalf("%v %v", p, err)
	}
	writeProc(t, root, 100, "/usr/sbin/kea-dhcp4", "kea-dhcp4", 900, 1, 1, nil) // same PID, new process
	if Alive(root, p) {
		t.Fatal("a reused PID counts as the same process")
	}
}

func TestSamplerDifferences(t *testing.T) {
	root := t.TempDir()
	tasks := []fakeTask{{tid: 100, comm: "kea-dhcp4", utime: 10, stime: 5, vol: 3, invol: 1}, {tid: 101, comm: "worker", utime: 0, stime: 0}}
	writeProc(t, root, 100, "/usr/sbin/kea-dhcp4", "kea-dhcp4", 1, 2048, 4096, tasks)
	s, err := NewSampler(root, 100)
	if err != nil {
		t.Fatal(err)
	}
	tasks[0].utime, tasks[0].vol = 30, 13
	tasks[1].stime, tasks[1].invol = 50, 4
	writeProc(t, root, 100, "/usr/sbin/kea-dhcp4", "kea-dhcp4", 1, 1024, 4096, tasks)
	p, err := s.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if p.UserPercent <= 0 || p.SystemPercent <= p.UserPercent || p.CPUPercent != p.UserPercent+p.SystemPercent {
		t.Errorf("cpu %+v", p)
	}
	if p.RSSBytes != 1024*1024 || p.RSSPeakBytes != 4096*1024 {
		t.Errorf("memory %d / %d", p.RSSBytes, p.RSSPeakBytes)
	}
	if p.VoluntaryCtxSwitches != 10 || p.InvoluntaryCtxSwitches != 4 {
		t.Errorf("ctx switches %d / %d, want 10 / 4", p.VoluntaryCtxSwitches, p.InvoluntaryCtxSwitches)
	}
	if len(p.Threads) != 2 || p.Threads[1].Name != "worker" || p.Threads[1].CPUPercent <= p.Threads[0].CPUPercent {
		t.Errorf("threads %+v", p.Threads)
	}
}

func TestLibraryFindsMappedFile(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "7"), 0o755)
	maps := "7f0000000000-7f0000001000 r-xp 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libkea-dhcp++.so.54.0.0\n" +
		"7f0000002000-7f0000003000 rw-p 00000000 00:00 0 \n"
	os.WriteFile(filepath.Join(root, "7", "maps"), []byte(maps), 0o644)
	got, err := Library(root, 7, "libkea-dhcp++.so")
	if err != nil || got != filepath.Join(root, "7", "root", "/usr/lib/x86_64-linux-gnu/libkea-dhcp++.so.54.0.0") {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := Library(root, 7, "libkea-stats.so"); err == nil {
		t.Fatal("found an unmapped library")
	}
}
