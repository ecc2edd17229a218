package lab_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/lab"
	"github.com/keascope/keascope/internal/lab/labtest"
)

// perfdhcp at 500 exchanges/s for 3 s loses nothing, and Kea's own
// counters agree with what perfdhcp sent and received.
func TestPerfdhcpMatchesKeaCounters(t *testing.T) {
	for _, tc := range []struct {
		socket string
		mt     bool
	}{{"udp", false}, {"raw", false}, {"udp", true}} {
		t.Run(fmt.Sprintf("%s/mt=%v", tc.socket, tc.mt), func(t *testing.T) {
			l := labtest.Start(t, lab.Config{SocketType: tc.socket, MultiThreading: tc.mt, Threads: 2})
			ctx := context.Background()
			before, err := l.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := l.RunPerfdhcp(ctx, lab.Load{Rate: 500, Clients: 1000, Duration: 3 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Drops() != 0 || rep.DO.Sent < 1400 || rep.RA.Sent < 1400 {
				t.Fatalf("perfdhcp: %d drops, %d discovers, %d requests:\n%s", rep.Drops(), rep.DO.Sent, rep.RA.Sent, rep.Output)
			}
			if rep.DO.AvgDelay <= 0 || rep.RA.MaxDelay < rep.RA.MinDelay {
				t.Errorf("delays: %+v %+v", rep.DO, rep.RA)
			}
			after, err := l.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range map[string]int{
				"pkt4-discover-received": rep.DO.Sent,
				"pkt4-offer-sent":        rep.DO.Received,
				"pkt4-request-received":  rep.RA.Sent,
				"pkt4-ack-sent":          rep.RA.Received,
				"pkt4-received":          rep.DO.Sent + rep.RA.Sent,
				"pkt4-sent":              rep.DO.Received + rep.RA.Received,
				"pkt4-nak-sent":          0,
				"pkt4-parse-failed":      0,
				"pkt4-receive-drop":      0,
			} {
				if got := after[name] - before[name]; got != int64(want) {
					t.Errorf("%s went up by %d, perfdhcp says %d", name, got, want)
				}
			}
		})
	}
}
