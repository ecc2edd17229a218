package probe

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"

	"github.com/keascope/keascope/internal/keaproc"
	"github.com/keascope/keascope/internal/metrics"
)

// Config selects the Kea to watch and what to measure.
type Config struct {
	PID      int           // watch this process; 0 finds kea-dhcp4 by Exe and ConfigMatch
	Exe      string        // executable base name (default kea-dhcp4)
	Match    string        // substring of Kea's command line, e.g. its config path
	Proc     string        // /proc root (default /proc)
	Interval time.Duration // default 1 s
	Deep     bool          // add the uprobe set
	// Events, if set, receives one Event per packet (answered, dropped,
	// malformed) and per exception or log message, one call at a time.
	Events func(Event)
	// Status, if set, receives one line per state change (Kea found, lost,
	// restarted, probe missing). The library never logs itself.
	Status func(string)
}

// pollEvery is how often Run checks that Kea still lives and looks for
// its successor, well inside the 2 s re-attach target.
const pollEvery = 250 * time.Millisecond

// Probe is loaded BPF state plus the Kea it watches.
type Probe struct {
	cfg     Config
	objs    *keascopeObjects
	tps     []link.Link
	missing []string // optional tracepoints that failed
	col     *collector
	events  *ringbuf.Reader

	mu       sync.Mutex // guards errs, filled by the ring buffer goroutine
	errs     metrics.Errors
	attached int

	kea      keaproc.Proc
	up       bool
	restarts int
	uprobes  []link.Link
	umissing []string
	sampler  *keaproc.Sampler

	lastFindErr string
}

// New loads the BPF programs and attaches the host-wide tracepoints. It
// does not need Kea to run yet. Errors wrap ErrPermission when the kernel
// refuses, ErrRequiredProbe when a required probe is unavailable.
func New(cfg Config) (*Probe, error) {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Proc == "" {
		cfg.Proc = "/proc"
	}
	if cb := cfg.Events; cb != nil {
		// packet events come from the ring buffer goroutine, drops from
		// Run's: the caller sees them one at a time
		var mu sync.Mutex
		cfg.Events = func(e Event) {
			mu.Lock()
			defer mu.Unlock()
			cb(e)
		}
	}
	objs, err := loadObjects(cfg.Events != nil)
	if err != nil {
		return nil, err
	}
	p := &Probe{cfg: cfg, objs: objs}
	specs := ProbesFor(cfg.Deep)
	if p.tps, p.missing, err = attachTracepoints(objs, specs); err != nil {
		objs.Close()
		return nil, err
	}
	dropAfter := max(cfg.Interval, time.Second)
	if p.col, err = newCollector(objs, uint64(dropAfter)); err != nil {
		p.Close()
		return nil, err
	}
	if p.events, err = ringbuf.NewReader(objs.Events); err != nil {
		p.Close()
		return nil, fmt.Errorf("open event ring: %w", err)
	}
	// a Kea already running is measured from here on, not from Run's start
	p.follow()
	return p, nil
}

// Close detaches every probe and frees the BPF objects.
func (p *Probe) Close() error {
	if p.events != nil {
		p.events.Close()
	}
	closeAll(p.uprobes)
	closeAll(p.tps)
	p.uprobes, p.tps = nil, nil
	return p.objs.Close()
}

func (p *Probe) status(format string, args ...any) {
	if p.cfg.Status != nil {
		p.cfg.Status(fmt.Sprintf(format, args...))
	}
}

// Run emits one interval every cfg.Interval until ctx ends, then emits the
// last partial interval and returns nil. Kea missing, dying or restarting
// is reported in the intervals (kea.up, kea.restarts), never an error.
func (p *Probe) Run(ctx context.Context, emit func(*metrics.Interval)) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.readEvents()
	}()
	defer func() {
		p.events.Close()
		wg.Wait()
	}()

	tick := time.NewTicker(p.cfg.Interval)
	defer tick.Stop()
	poll := time.NewTicker(pollEvery)
	defer poll.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			iv, err := p.interval(start, time.Now())
			if err != nil {
				return err
			}
			emit(iv)
			return nil
		case <-poll.C:
			p.follow()
		case now := <-tick.C:
			p.follow()
			iv, err := p.interval(start, now)
			if err != nil {
				return err
			}
			emit(iv)
			start = now
		}
	}
}

// follow keeps the watched Kea current: it notices death and finds the
// (restarted) process to watch next.
func (p *Probe) follow() {
	if p.up && keaproc.Alive(p.cfg.Proc, p.kea) {
		return
	}
	if p.up {
		p.status("kea-dhcp4 pid %d gone", p.kea.PID)
		p.unwatch()
	}
	sel := keaproc.Selector{PID: p.cfg.PID, Exe: p.cfg.Exe, Config: p.cfg.Match, Proc: p.cfg.Proc}
	if p.kea.PID != 0 {
		// after a restart the new process has a new PID: look for the
		// same executable and command line instead of the old PID
		sel = keaproc.Selector{Exe: baseName(p.kea.Exe), Config: p.kea.Cmdline, Proc: p.cfg.Proc}
	}
	proc, err := keaproc.Find(sel)
	if err != nil {
		if msg := err.Error(); msg != p.lastFindErr {
			p.lastFindErr = msg // say it once, not every poll
			p.status("%v", err)
		}
		return
	}
	p.lastFindErr = ""
	if err := p.watch(proc); err != nil {
		p.status("watch kea-dhcp4 pid %d: %v", proc.PID, err)
		return
	}
	if p.kea.PID != 0 {
		p.restarts++
	}
	p.kea, p.up = proc, true
	p.status("watching kea-dhcp4 pid %d (%s)", proc.PID, proc.Cmdline)
}

func baseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

func (p *Probe) watch(proc keaproc.Proc) error {
	tgid := uint32(proc.PID)
	if err := p.objs.Watched.Put(tgid, uint32(1)); err != nil {
		return fmt.Errorf("watch pid: %w", err)
	}
	if p.cfg.Deep {
		links, missing, err := attachUprobes(p.objs, ProbesFor(true), p.cfg.Proc, proc.PID)
		if err != nil {
			p.objs.Watched.Delete(tgid)
			return err
		}
		p.uprobes, p.umissing = links, missing
		for _, m := range missing {
			p.status("probe missing: %s", m)
		}
	}
	s, err := keaproc.NewSampler(p.cfg.Proc, proc.PID)
	if err != nil {
		p.unwatchPID(proc.PID)
		return err
	}
	p.sampler = s
	return nil
}

func (p *Probe) unwatch() {
	p.unwatchPID(p.kea.PID)
	p.up = false
}

func (p *Probe) unwatchPID(pid int) {
	p.objs.Watched.Delete(uint32(pid))
	closeAll(p.uprobes)
	p.uprobes, p.umissing, p.sampler = nil, nil, nil
}

// interval builds the record for [start, end).
func (p *Probe) interval(start, end time.Time) (*metrics.Interval, error) {
	iv := metrics.New(start, metrics.SourceEBPF)
	iv.End = end
	iv.Seconds = end.Sub(start).Seconds()
	iv.Kea = metrics.Kea{PID: p.kea.PID, Up: p.up, Exe: p.kea.Exe, Restarts: p.restarts}
	if err := p.col.fill(iv, p.cfg.Events); err != nil {
		return nil, err
	}
	if p.sampler != nil {
		proc, err := p.sampler.Sample()
		if err != nil {
			// Kea died between the liveness check and now; the next poll
			// notices and the interval says so
			iv.Kea.Up = false
		} else {
			iv.Process = proc
		}
	}
	p.mu.Lock()
	e := p.errs
	p.errs = metrics.Errors{}
	p.mu.Unlock()
	iv.Errors.Exceptions = e.Exceptions
	iv.Errors.LogMessages = e.LogMessages
	set := SetDefault
	if p.cfg.Deep {
		set = SetDeep
	}
	iv.Probe.Set = string(set)
	iv.Probe.Attached = len(p.tps) + len(p.uprobes)
	iv.Probe.Missing = append(append([]string(nil), p.missing...), p.umissing...)
	return iv, nil
}

// readEvents drains the ring buffer until it is closed: exceptions and log
// messages into the interval, packet events to cfg.Events.
func (p *Probe) readEvents() {
	for {
		rec, err := p.events.Read()
		if err != nil {
			if errors.Is(err, ringbuf.ErrClosed) || errors.Is(err, os.ErrClosed) {
				return
			}
			continue
		}
		ev, err := decodeEvent(rec.RawSample, p.col.clock)
		if err != nil {
			continue
		}
		switch ev.Kind {
		case "exception":
			p.mu.Lock()
			p.errs.Exceptions = metrics.AddCount(p.errs.Exceptions, ev.Text, 1)
			p.mu.Unlock()
		case "log_error", "log_warn":
			p.mu.Lock()
			p.errs.LogMessages = metrics.AddCount(p.errs.LogMessages, ev.Text, 1)
			p.mu.Unlock()
		}
		if p.cfg.Events != nil {
			p.cfg.Events(ev)
		}
	}
}
