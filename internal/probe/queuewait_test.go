package probe

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/lab"
	"github.com/keascope/keascope/internal/lab/labtest"
	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/testenv"
)

// Every query Kea reads under load has a queue wait: its arrival at the lab
// veth inside Kea's namespace is seen by netif_receive_skb, and Kea's read
// of it (recvmsg in udp mode, read on the packet socket in raw mode) takes
// that arrival. So phases_us.queue_wait counts exactly packets.received,
// which equals Kea's own pkt4-received, and no query is without an arrival.
func TestQueueWaitEveryQuery(t *testing.T) {
	for _, sock := range []string{"udp", "raw"} {
		t.Run(sock, func(t *testing.T) {
			testenv.RequireEBPF(t)
			l := labtest.Start(t, lab.Config{SocketType: sock})

			var mu sync.Mutex
			var ivs []*metrics.Interval
			var answered, withWait int
			p, err := New(Config{PID: l.KeaPID(), Interval: time.Second, Events: func(e Event) {
				if e.Kind != "answered" {
					return
				}
				mu.Lock()
				answered++
				if e.PhasesUS[metrics.PhaseQueueWait] > 0 {
					withWait++
				}
				mu.Unlock()
			}})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			var noArrivalBefore uint64
			if err := p.objs.Counters.Lookup(uint32(cntNoArrival), &noArrivalBefore); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- p.Run(ctx, func(iv *metrics.Interval) {
					mu.Lock()
					ivs = append(ivs, iv)
					mu.Unlock()
				})
			}()

			before, err := l.Stats(context.Background())
			if err != nil {
				cancel()
				t.Fatal(err)
			}
			rep, err := l.RunPerfdhcp(context.Background(), lab.Load{Rate: 1000, Clients: 5000, Duration: 4 * time.Second})
			if err != nil {
				cancel()
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond) // the last sends and events settle
			after, err := l.Stats(context.Background())
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("run: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			var noArrival uint64
			if err := p.objs.Counters.Lookup(uint32(cntNoArrival), &noArrival); err != nil {
				t.Fatal(err)
			}
			noArrival -= noArrivalBefore

			total := metrics.New(time.Time{}, metrics.SourceEBPF)
			mu.Lock()
			for _, iv := range ivs {
				total.Merge(iv)
			}
			mu.Unlock()
			var received uint64
			for _, n := range total.Packets.Received {
				received += n
			}
			kea := uint64(after["pkt4-received"] - before["pkt4-received"])
			if received != kea {
				t.Errorf("probe counted %d received, Kea %d", received, kea)
			}
			if received < 2000 {
				t.Fatalf("only %d queries reached Kea; perfdhcp:\n%s", received, rep.Output)
			}
			qw := total.Phases[metrics.PhaseQueueWait]
			if qw == nil {
				t.Fatalf("no queue_wait histogram; phases %v", total.Phases)
			}
			if qw.Count() != received || noArrival != 0 {
				t.Errorf("queue_wait count %d, queries without an arrival %d, want %d and 0", qw.Count(), noArrival, received)
			}
			s := qw.Summary()
			rtt := float64(rep.DO.AvgDelay.Microseconds())
			t.Logf("%s: %d queries; queue wait p50 %.1f p90 %.1f p99 %.1f max %.1f µs; perfdhcp avg round trip %.0f µs",
				sock, received, s.P50, s.P90, s.P99, s.Max, rtt)
			if qw.Min() == 0 || s.P50 <= 0 {
				t.Errorf("queue wait not positive: min %d ns, p50 %.1f µs", qw.Min(), s.P50)
			}
			// the round trip holds the query's queue wait, Kea's work and
			// the answer's way back
			if rtt <= 0 || s.P50 >= rtt {
				t.Errorf("queue wait p50 %.1f µs not below perfdhcp's average round trip %.0f µs", s.P50, rtt)
			}
			mu.Lock()
			defer mu.Unlock()
			if total.Probe.EventsLost == 0 && (answered == 0 || withWait != answered) {
				t.Errorf("%d of %d answered events carry a queue wait", withWait, answered)
			}
		})
	}
}
