package dataset

import (
	"testing"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

func tick(end time.Time, n uint64) *metrics.Interval {
	iv := metrics.New(end.Add(-time.Second), metrics.SourceEBPF)
	iv.End, iv.Seconds = end, 1
	iv.Packets.Received["discover"] = n
	return iv
}

func TestWindowAgesOutAndRollsUpMinutes(t *testing.T) {
	w := NewWindow(30*time.Second, 3*time.Minute)
	t0 := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for s := 1; s <= 300; s++ { // five minutes of 1 s intervals
		w.Add(tick(t0.Add(time.Duration(s)*time.Second), 1))
	}
	fine := w.Fine()
	if len(fine) != 30 {
		t.Fatalf("fine window holds %d intervals, want 30", len(fine))
	}
	if !fine[len(fine)-1].End.Equal(t0.Add(300 * time.Second)) {
		t.Fatalf("newest fine interval ends %v", fine[len(fine)-1].End)
	}
	// Minutes 12:00..12:03 are complete; 12:04 is still open. A 3 min span
	// at 12:05 keeps minutes ending after 12:02.
	mins := w.Minutes()
	if len(mins) != 2 {
		t.Fatalf("%d minute roll-ups, want 2", len(mins))
	}
	for _, m := range mins {
		if m.Packets.Received["discover"] != 60 || m.Seconds != 60 {
			t.Errorf("minute %v holds %d packets over %vs", m.Start, m.Packets.Received["discover"], m.Seconds)
		}
		if m.Start.Second() != 0 || m.End.Sub(m.Start) != time.Minute {
			t.Errorf("minute spans %v..%v", m.Start, m.End)
		}
	}
}
