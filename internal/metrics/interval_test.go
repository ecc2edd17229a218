package metrics

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func sampleInterval(start time.Time, n uint64) *Interval {
	iv := New(start, SourceEBPF)
	iv.End = start.Add(time.Second)
	iv.Seconds = 1
	iv.Packets.Received["discover"] = n
	iv.Packets.Sent["offer"] = n
	iv.Packets.Answered = n
	iv.Errors.Exceptions = AddCount(nil, "boom", 1)
	iv.Process.CPUPercent = float64(n)
	iv.Process.RSSPeakBytes = n * 1000
	for i := uint64(0); i < n; i++ {
		iv.Latency.Observe(100000 + i)
		iv.TypeLatency(Discover, Offer).Observe(100000 + i)
		iv.Phase(PhaseParse).Observe(2000 + i)
	}
	return iv
}

func TestIntervalMergeAddsCountersAndAveragesCPU(t *testing.T) {
	t0 := time.Unix(1700000000, 0).UTC()
	a := sampleInterval(t0, 10)
	b := sampleInterval(t0.Add(time.Second), 30)
	a.Merge(b)
	if a.Packets.Received["discover"] != 40 || a.Packets.Answered != 40 {
		t.Errorf("counters not added: %+v", a.Packets)
	}
	if a.Process.CPUPercent != 20 {
		t.Errorf("cpu %v, want time-weighted mean 20", a.Process.CPUPercent)
	}
	if a.Process.RSSPeakBytes != 30000 {
		t.Errorf("peak rss %d, want 30000", a.Process.RSSPeakBytes)
	}
	if a.Latency.Count() != 40 || a.TypeLatency(Discover, Offer).Count() != 40 || a.Phase(PhaseParse).Count() != 40 {
		t.Error("histograms not merged")
	}
	if len(a.Errors.Exceptions) != 1 || a.Errors.Exceptions[0].Count != 2 {
		t.Errorf("exceptions %+v", a.Errors.Exceptions)
	}
	if !a.Start.Equal(t0) || !a.End.Equal(t0.Add(2*time.Second)) || a.Seconds != 2 {
		t.Errorf("span %v..%v (%vs)", a.Start, a.End, a.Seconds)
	}
}

func TestIntervalJSONRoundTrip(t *testing.T) {
	iv := sampleInterval(time.Unix(1700000000, 0).UTC(), 5)
	b, err := json.Marshal(iv)
	if err != nil {
		t.Fatal(err)
	}
	var back Interval
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(&back)
	if string(b) != string(b2) {
		t.Fatalf("JSON round trip differs:\n%s\n%s", b, b2)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, k := range []string{"ts", "source", "kea", "packets", "latency_us", "process"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing top-level field %q", k)
		}
	}
}

func TestTypeLatencyStaysSorted(t *testing.T) {
	iv := New(time.Time{}, SourceEBPF)
	iv.TypeLatency(Request, Nak)
	iv.TypeLatency(Discover, Offer)
	iv.TypeLatency(Request, Ack)
	iv.TypeLatency(Discover, Offer).Observe(1)
	var got [][2]string
	for _, tl := range iv.LatencyByType {
		got = append(got, [2]string{tl.Query, tl.Response})
	}
	want := [][2]string{{"discover", "offer"}, {"request", "ack"}, {"request", "nak"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestMessageTypeNames(t *testing.T) {
	for i := MessageType(1); i <= 8; i++ {
		back, ok := ParseMessageType(i.String())
		if !ok || back != i {
			t.Errorf("%d → %q → %d", i, i.String(), back)
		}
	}
	if MessageType(0).String() != "none" || MessageType(99).String() != "unknown" {
		t.Error("special names wrong")
	}
}
