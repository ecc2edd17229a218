package monitor

import (
	"testing"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

func TestFillFromStatsCountsChanges(t *testing.T) {
	prev := map[string]int64{"pkt4-discover-received": 100, "pkt4-offer-sent": 90, "pkt4-nak-sent": 1, "pkt4-parse-failed": 0}
	cur := map[string]int64{"pkt4-discover-received": 150, "pkt4-offer-sent": 140, "pkt4-nak-sent": 3,
		"pkt4-parse-failed": 2, "pkt4-receive-drop": 4, "v4-allocation-fail": 5, "pkt4-request-received": 7,
		"subnet[1].assigned-addresses": 99}
	iv := metrics.New(time.Time{}, metrics.SourceControl)
	FillFromStats(iv, prev, cur)
	if iv.Packets.Received["discover"] != 50 || iv.Packets.Received["request"] != 7 || iv.Packets.Sent["offer"] != 50 {
		t.Errorf("packets %+v", iv.Packets)
	}
	if iv.Errors.Naks != 2 || iv.Errors.ParseFailed != 2 || iv.Errors.AllocFailed != 5 || iv.Packets.Dropped != 4 {
		t.Errorf("errors %+v dropped %d", iv.Errors, iv.Packets.Dropped)
	}
	if _, ok := iv.Errors.KeaCounters["subnet[1].assigned-addresses"]; ok {
		t.Error("subnet levels counted as counters")
	}
}

func TestFillFromStatsAfterKeaRestart(t *testing.T) {
	iv := metrics.New(time.Time{}, metrics.SourceControl)
	FillFromStats(iv, map[string]int64{"pkt4-discover-received": 1000}, map[string]int64{"pkt4-discover-received": 12})
	if got := iv.Packets.Received["discover"]; got != 12 {
		t.Fatalf("after a reset got %d, want 12", got)
	}
}

func TestSubnets(t *testing.T) {
	got := Subnets(map[string]int64{
		"subnet[2].total-addresses": 100, "subnet[2].assigned-addresses": 85, "subnet[2].declined-addresses": 1,
		"subnet[1].total-addresses": 10, "subnet[1].pool[0].assigned-addresses": 3, "subnet[x].total-addresses": 1,
		"pkt4-received": 5,
	})
	if len(got) != 2 || got[0].ID != 1 || got[1].ID != 2 || got[1].Assigned != 85 || got[1].Declined != 1 || got[0].Assigned != 0 {
		t.Fatalf("got %+v", got)
	}
	if u := got[1].Utilization(); u != 0.85 {
		t.Errorf("utilization %v", u)
	}
}
