package probe

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/dhcpwire"
	"github.com/keascope/keascope/internal/lab"
	"github.com/keascope/keascope/internal/lab/labtest"
	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/testenv"
)

// startLab starts a shared lab (internal/lab) for a probe test: the probe
// needs eBPF on top of what labtest.Start checks.
func startLab(t testing.TB, cfg lab.Config) *lab.Lab {
	t.Helper()
	testenv.RequireEBPF(t)
	return labtest.Start(t, cfg)
}

// perfdhcp runs ld against l and fails the test without a report or an
// average DISCOVER-OFFER round trip.
func perfdhcp(t testing.TB, l *lab.Lab, ld lab.Load) *lab.PerfReport {
	t.Helper()
	rep, err := l.RunPerfdhcp(context.Background(), ld)
	if err != nil {
		t.Fatal(err)
	}
	if rep.DO.AvgDelay == 0 {
		t.Fatalf("perfdhcp report without avg delay:\n%s", rep.Output)
	}
	return rep
}

// relayed marks p as relayed by the lab's client address, so that Kea
// unicasts its answer there (lab.Send sends from lab.ClientIP:67).
func relayed(p *dhcpwire.Packet) []byte {
	p.GIAddr = netip.MustParseAddr(lab.ClientIP)
	return p.Marshal()
}

// running is a Probe under Run in the background, collecting intervals.
type running struct {
	p      *Probe
	cancel context.CancelFunc
	done   chan error
	mu     sync.Mutex
	ivs    []*metrics.Interval
	events []Event
}

func runProbe(t *testing.T, cfg Config) *running {
	t.Helper()
	r := &running{done: make(chan error, 1)}
	if cfg.Events != nil {
		cfg.Events = func(e Event) {
			r.mu.Lock()
			r.events = append(r.events, e)
			r.mu.Unlock()
		}
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.p = p
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		r.done <- p.Run(ctx, func(iv *metrics.Interval) {
			r.mu.Lock()
			r.ivs = append(r.ivs, iv)
			r.mu.Unlock()
		})
	}()
	t.Cleanup(func() { r.stop(t); p.Close() })
	return r
}

// stop ends Run (which flushes the partial interval) once.
func (r *running) stop(t *testing.T) []*metrics.Interval {
	t.Helper()
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
		if err := <-r.done; err != nil {
			t.Errorf("run: %v", err)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ivs
}

// waitFor polls the collected intervals until ok says yes.
func (r *running) waitFor(t *testing.T, within time.Duration, what string, ok func([]*metrics.Interval) bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		got := ok(r.ivs)
		r.mu.Unlock()
		if got {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("not within %v: %s", within, what)
}

func sum(ivs []*metrics.Interval) *metrics.Interval {
	total := metrics.New(time.Time{}, metrics.SourceEBPF)
	for _, iv := range ivs {
		total.Merge(iv)
	}
	return total
}

// The counts the probe sees must equal the change in Kea's own counters
// exactly: no event lost, none counted twice, in every socket mode.
func TestCountsMatchKeaStatistics(t *testing.T) {
	for _, tc := range []struct {
		name string
		sock string
		mt   bool
	}{
		{"udp", "udp", false},
		{"raw", "raw", false},
		{"udp-multithreaded", "udp", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := startLab(t, lab.Config{SocketType: tc.sock, MultiThreading: tc.mt, Threads: 2, QueueSize: 256})
			r := runProbe(t, Config{PID: l.KeaPID(), Interval: time.Second})
			ctx := context.Background()
			before, err := l.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rep := perfdhcp(t, l, lab.Load{Rate: 1000, Clients: 5000, Duration: 5 * time.Second})
			// let the last exchange's send and the interval settle
			time.Sleep(300 * time.Millisecond)
			after, err := l.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			total := sum(r.stop(t))
			d := func(name string) uint64 { return uint64(after[name] - before[name]) }
			for _, c := range []struct {
				stat string
				got  uint64
			}{
				{"pkt4-discover-received", total.Packets.Received["discover"]},
				{"pkt4-request-received", total.Packets.Received["request"]},
				{"pkt4-offer-sent", total.Packets.Sent["offer"]},
				{"pkt4-ack-sent", total.Packets.Sent["ack"]},
				{"pkt4-nak-sent", total.Packets.Sent["nak"]},
				{"pkt4-received", sumMap(total.Packets.Received)},
				{"pkt4-sent", sumMap(total.Packets.Sent)},
			} {
				if c.got != d(c.stat) {
					t.Errorf("%s: probe counted %d, Kea %d", c.stat, c.got, d(c.stat))
				}
			}
			// perfdhcp falls behind its rate when other tests load the
			// machine; the exact-count checks above hold whatever the rate
			if d("pkt4-discover-received") < 2500 {
				t.Errorf("only %d discovers reached Kea; perfdhcp:\n%s", d("pkt4-discover-received"), rep.Output)
			}
			answered := total.Packets.Sent["offer"] + total.Packets.Sent["ack"]
			if total.Packets.Answered != answered || total.Latency.Count() != answered {
				t.Errorf("answered %d, latency count %d, want %d", total.Packets.Answered, total.Latency.Count(), answered)
			}
			if total.Probe.EventsLost != 0 {
				t.Errorf("%d events lost", total.Probe.EventsLost)
			}
			s := total.Latency.Summary()
			rtt := float64(rep.DO.AvgDelay.Microseconds())
			t.Logf("latency p50 %.0f p90 %.0f p99 %.0f max %.0f µs; perfdhcp avg round trip %.0f µs", s.P50, s.P90, s.P99, s.Max, rtt)
			if s.P50 <= 0 || s.P90 <= 0 || s.P99 <= 0 || s.Max <= 0 {
				t.Errorf("latency percentiles not positive: %+v", s)
			}
			// perfdhcp's delay is one exchange's round trip, Kea's
			// processing plus two trips through the veth and perfdhcp
			if s.P50 >= rtt || s.P90 >= rtt {
				t.Errorf("latency p50 %.0f / p90 %.0f µs not below the round trip %.0f µs", s.P50, s.P90, rtt)
			}
			for _, pair := range [][2]metrics.MessageType{{metrics.Discover, metrics.Offer}, {metrics.Request, metrics.Ack}} {
				if n := total.TypeLatency(pair[0], pair[1]).Count(); n != total.Packets.Sent[pair[1].String()] {
					t.Errorf("%v→%v latency count %d, sent %d", pair[0], pair[1], n, total.Packets.Sent[pair[1].String()])
				}
			}
			wantMode := tc.sock
			last := total.Kea.SocketMode
			if last != "" && last != wantMode {
				t.Errorf("socket mode %q, want %q", last, wantMode)
			}
			if total.Process.CPUPercent <= 0 || total.Process.RSSBytes == 0 {
				t.Errorf("process metrics empty: %+v", total.Process)
			}
		})
	}
}

func hasKeyContaining(list []metrics.Count, s string) bool {
	for _, c := range list {
		if strings.Contains(c.Key, s) {
			return true
		}
	}
	return false
}

func sumMap(m map[string]uint64) uint64 {
	var n uint64
	for _, v := range m {
		n += v
	}
	return n
}

// Each malformed kind lands in its class, and the deep set sees Kea's own
// account of the same packets.
//
// Raw mode, because in udp mode Kea's broadcast NAK to an INIT-REBOOT
// client fails with EACCES (no SO_BROADCAST): the probe then counts a
// send_failed drop and no NAK, as Kea's own pkt4-nak-sent does.
func TestMalformedTrafficIsClassified(t *testing.T) {
	l := startLab(t, lab.Config{SocketType: "raw"})
	r := runProbe(t, Config{PID: l.KeaPID(), Interval: 500 * time.Millisecond, Deep: true, Events: func(Event) {}})
	ctx := context.Background()
	before, err := l.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mac := [6]byte{0x02, 0xaa, 0, 0, 0, 1}
	truncated := relayed(dhcpwire.NewRequest(dhcpwire.Discover, 0x1001, mac))[:120]
	unknown := relayed(dhcpwire.NewRequest(99, 0x1002, mac))
	// INIT-REBOOT for an address outside every subnet: Kea must NAK
	nakme := relayed(dhcpwire.NewRequest(dhcpwire.Request, 0x1003, mac).AddAddr(dhcpwire.OptRequestedIP, netip.MustParseAddr("10.0.0.5")))
	if err := l.Send(ctx, truncated, unknown, nakme); err != nil {
		t.Fatalf("send crafted packets: %v", err)
	}
	perfdhcp(t, l, lab.Load{Rate: 200, Clients: 100, Duration: time.Second}) // some normal traffic for the phase histograms
	r.waitFor(t, 5*time.Second, "unknown-type query aged into a drop", func(ivs []*metrics.Interval) bool {
		return sum(ivs).Packets.DropReasons[DropUnknownType] > 0
	})
	after, err := l.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := sum(r.stop(t))
	if total.Errors.ParseFailed != 1 || total.Packets.DropReasons[DropParseFailed] != 1 {
		t.Errorf("truncated: parse_failed %d, drop reason %d, want 1 and 1", total.Errors.ParseFailed, total.Packets.DropReasons[DropParseFailed])
	}
	// Kea rejects a packet this short while receiving it, before its parse
	// statistics: an isc::Exception and an error log are its only trace
	if !hasKeyContaining(total.Errors.Exceptions, "Truncated") {
		t.Errorf("exceptions %v lack the truncated packet's", total.Errors.Exceptions)
	}
	if !hasKeyContaining(total.Errors.LogMessages, "DHCP4_BUFFER_RECEIVE_FAIL") {
		t.Errorf("log messages %v lack DHCP4_BUFFER_RECEIVE_FAIL", total.Errors.LogMessages)
	}
	if total.Packets.Received["unknown"] != 1 || total.Packets.DropReasons[DropUnknownType] != 1 {
		t.Errorf("type 99: received unknown %d, drop reason %d, want 1 and 1", total.Packets.Received["unknown"], total.Packets.DropReasons[DropUnknownType])
	}
	if total.Errors.Naks != 1 || total.Packets.Sent["nak"] != 1 || total.TypeLatency(metrics.Request, metrics.Nak).Count() != 1 {
		t.Errorf("nak: errors.nak %d, sent nak %d, want 1", total.Errors.Naks, total.Packets.Sent["nak"])
	}
	if got := uint64(after["pkt4-nak-sent"] - before["pkt4-nak-sent"]); got != total.Packets.Sent["nak"] {
		t.Errorf("Kea sent %d NAKs, probe saw %d", got, total.Packets.Sent["nak"])
	}
	// the deep set's view of Kea's counters agrees with Kea
	for _, name := range []string{"pkt4-unknown-received", "pkt4-nak-sent", "pkt4-received", "pkt4-ack-sent"} {
		if got, want := total.Errors.KeaCounters[name], after[name]-before[name]; got != want {
			t.Errorf("kea_counters[%s] = %d, Kea says %d", name, got, want)
		}
	}
	for _, ph := range []string{metrics.PhaseParse, metrics.PhaseAllocate, metrics.PhaseLeaseWrite, metrics.PhasePack} {
		if total.Phases[ph] == nil || total.Phases[ph].Count() == 0 {
			t.Errorf("phase %s empty", ph)
		}
	}
	if len(total.Probe.Missing) != 0 {
		t.Errorf("deep probes missing on Kea 2.2: %v", total.Probe.Missing)
	}
	r.mu.Lock()
	kinds := map[string]int{}
	for _, e := range r.events {
		kinds[e.Kind+"/"+e.DropReason]++
	}
	r.mu.Unlock()
	if kinds["malformed/"+DropParseFailed] != 1 || kinds["dropped/"+DropUnknownType] != 1 || kinds["answered/"] < 200 {
		t.Errorf("events by kind: %v", kinds)
	}
	t.Logf("exceptions %v, log messages %v", total.Errors.Exceptions, total.Errors.LogMessages)
}

// Killing Kea shows as kea.up=false; its restart is found and measured
// within 2 s, with the restart counted.
func TestFollowsKeaRestart(t *testing.T) {
	l := startLab(t, lab.Config{SocketType: "udp"})
	// found by its config path, as with --config: other Keas may run
	r := runProbe(t, Config{Match: l.ConfigPath(), Interval: 250 * time.Millisecond})
	first := l.KeaPID()
	r.waitFor(t, 3*time.Second, "first Kea watched", func(ivs []*metrics.Interval) bool {
		return len(ivs) > 0 && ivs[len(ivs)-1].Kea.Up && ivs[len(ivs)-1].Kea.PID == first
	})
	l.KillKea()
	r.waitFor(t, 2*time.Second, "Kea reported down", func(ivs []*metrics.Interval) bool {
		return !ivs[len(ivs)-1].Kea.Up
	})
	restarted := time.Now()
	if err := l.RestartKea(context.Background()); err != nil {
		t.Fatal(err)
	}
	second := l.KeaPID()
	r.waitFor(t, time.Since(restarted)+2*time.Second, "restarted Kea watched within 2 s", func(ivs []*metrics.Interval) bool {
		last := ivs[len(ivs)-1]
		return last.Kea.Up && last.Kea.PID == second && last.Kea.Restarts == 1
	})
	r.mu.Lock()
	n := len(r.ivs)
	r.mu.Unlock()
	perfdhcp(t, l, lab.Load{Rate: 200, Clients: 100, Duration: time.Second})
	time.Sleep(300 * time.Millisecond)
	ivs := r.stop(t)
	after := sum(ivs[n:])
	if after.Packets.Sent["ack"] == 0 || after.Latency.Count() == 0 {
		t.Errorf("nothing measured after the restart: %+v", after.Packets)
	}
}
