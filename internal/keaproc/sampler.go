package keaproc

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// ClockTicks is USER_HZ, the unit of /proc CPU times; 100 on every Linux
// architecture keascope targets.
const ClockTicks = 100

// Sampler turns successive readings of one process into per-interval
// metrics.Process values. It is not safe for concurrent use.
type Sampler struct {
	Proc string // /proc root (default /proc)
	pid  int
	last sample
	have bool
}

type sample struct {
	at           time.Time
	utime, stime uint64
	vol, invol   uint64
	threads      map[int]stat
}

// NewSampler starts sampling pid; the first Sample covers the time since
// this call.
func NewSampler(proc string, pid int) (*Sampler, error) {
	s := &Sampler{Proc: proc, pid: pid}
	if s.Proc == "" {
		s.Proc = "/proc"
	}
	first, err := s.read()
	if err != nil {
		return nil, err
	}
	s.last, s.have = first, true
	return s, nil
}

// PID is the sampled process.
func (s *Sampler) PID() int { return s.pid }

// Sample reads the process now and returns its use since the last Sample.
func (s *Sampler) Sample() (metrics.Process, error) {
	cur, err := s.read()
	if err != nil {
		return metrics.Process{}, err
	}
	var p metrics.Process
	dt := cur.at.Sub(s.last.at).Seconds()
	if dt > 0 {
		pct := func(ticks uint64) float64 { return float64(ticks) / ClockTicks / dt * 100 }
		p.UserPercent = pct(sub(cur.utime, s.last.utime))
		p.SystemPercent = pct(sub(cur.stime, s.last.stime))
		p.CPUPercent = p.UserPercent + p.SystemPercent
		for tid, t := range cur.threads {
			prev := s.last.threads[tid] // a new thread starts from zero
			used := sub(t.utime+t.stime, prev.utime+prev.stime)
			p.Threads = append(p.Threads, metrics.ThreadCPU{TID: tid, Name: t.comm, CPUPercent: pct(used)})
		}
		sort.Slice(p.Threads, func(i, j int) bool { return p.Threads[i].TID < p.Threads[j].TID })
	}
	p.VoluntaryCtxSwitches = sub(cur.vol, s.last.vol)
	p.InvoluntaryCtxSwitches = sub(cur.invol, s.last.invol)
	if err := s.memory(&p); err != nil {
		return metrics.Process{}, err
	}
	s.last = cur
	return p, nil
}

func sub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}

func (s *Sampler) dir() string { return filepath.Join(s.Proc, strconv.Itoa(s.pid)) }

func (s *Sampler) read() (sample, error) {
	out := sample{at: time.Now(), threads: map[int]stat{}}
	st, err := readStat(filepath.Join(s.dir(), "stat"))
	if err != nil {
		return sample{}, fmt.Errorf("sample pid %d: %w", s.pid, err)
	}
	out.utime, out.stime = st.utime, st.stime
	tasks, err := os.ReadDir(filepath.Join(s.dir(), "task"))
	if err != nil {
		return sample{}, fmt.Errorf("sample pid %d threads: %w", s.pid, err)
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		ts, err := readStat(filepath.Join(s.dir(), "task", t.Name(), "stat"))
		if err != nil {
			continue // thread exited meanwhile
		}
		out.threads[tid] = ts
		vol, invol, err := ctxSwitches(filepath.Join(s.dir(), "task", t.Name(), "status"))
		if err == nil {
			out.vol += vol
			out.invol += invol
		}
	}
	return out, nil
}

// ctxSwitches reads one task's counters: the process-level status file
// counts only the main thread's.
func ctxSwitches(path string) (vol, invol uint64, err error) {
	f, err := statusFields(path, "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")
	return f["voluntary_ctxt_switches"], f["nonvoluntary_ctxt_switches"], err
}

func (s *Sampler) memory(p *metrics.Process) error {
	f, err := statusFields(filepath.Join(s.dir(), "status"), "VmRSS", "VmHWM")
	if err != nil {
		return fmt.Errorf("sample pid %d memory: %w", s.pid, err)
	}
	p.RSSBytes = f["VmRSS"] * 1024
	p.RSSPeakBytes = f["VmHWM"] * 1024
	return nil
}

// statusFields reads numeric fields of a /proc status file ("Name: 123 kB").
func statusFields(path string, names ...string) (map[string]uint64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string]uint64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok || !want[string(k)] {
			continue
		}
		f := bytes.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, err := strconv.ParseUint(string(f[0]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", k, err)
		}
		out[string(k)] = n
	}
	return out, nil
}
