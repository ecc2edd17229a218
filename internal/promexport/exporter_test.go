package promexport

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/keascope/keascope/internal/metrics"
)

func interval(discovers uint64, latencyNS uint64) *metrics.Interval {
	iv := metrics.New(time.Unix(1700000000, 0), metrics.SourceEBPF)
	iv.Seconds = 1
	iv.Kea = metrics.Kea{PID: 42, Up: true}
	iv.Packets.Received["discover"] = discovers
	iv.Packets.Received["unknown"] = 1
	iv.Packets.Sent["offer"] = discovers
	iv.Packets.Answered = discovers
	iv.Packets.Dropped = 1
	iv.Packets.DropReasons = map[string]uint64{"unknown_type": 1}
	for i := uint64(0); i < discovers; i++ {
		iv.Latency.Observe(latencyNS)
		iv.TypeLatency(metrics.Discover, metrics.Offer).Observe(latencyNS)
		iv.Phase(metrics.PhaseParse).Observe(latencyNS / 10)
	}
	iv.Process = metrics.Process{CPUPercent: 12, UserPercent: 10, SystemPercent: 2, RSSBytes: 1 << 20, RSSPeakBytes: 2 << 20}
	iv.Subnets = []metrics.Subnet{{ID: 1, Prefix: "198.18.0.0/16", Total: 1000, Assigned: 10}}
	iv.Probe = metrics.ProbeHealth{Attached: 9, EventsLost: 0}
	return iv
}

func scrape(t *testing.T, e *Exporter) map[string]*dto {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(e)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			t.Fatal(err)
		}
	}
	// Parse the text exposition back, as Prometheus would.
	parser := expfmt.NewTextParser(model.UTF8Validation)
	parsed, err := parser.TextToMetricFamilies(&buf)
	if err != nil {
		t.Fatalf("parse exposition: %v", err)
	}
	out := map[string]*dto{}
	for name, mf := range parsed {
		out[name] = &dto{mf}
	}
	return out
}

func TestExporterAccumulatesIntervals(t *testing.T) {
	e := New()
	e.Observe(interval(100, 200_000))
	e.Observe(interval(50, 2_000_000))
	e.SetHealth(Health{Source: metrics.SourceEBPF, StoreMode: "local", LastVersion: 20261123000000001})
	m := scrape(t, e)

	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"kea_dhcp4_packets_received_total", map[string]string{"operation": "discover"}, 150},
		{"kea_dhcp4_packets_received_total", map[string]string{"operation": "request"}, 0},
		{"kea_dhcp4_packets_received_total", map[string]string{"operation": "unknown"}, 2},
		{"kea_dhcp4_packets_sent_total", map[string]string{"operation": "offer"}, 150},
		{"kea_dhcp4_packets_dropped_total", map[string]string{"reason": "unknown_type"}, 2},
		{"kea_dhcp4_queries_answered_total", nil, 150},
		{"kea_dhcp4_addresses_assigned_total", map[string]string{"subnet": "198.18.0.0/16", "subnet_id": "1"}, 10},
		{"kea_dhcp4_addresses_total", map[string]string{"subnet_id": "1"}, 1000},
		{"kea_dhcp4_process_cpu_percent", map[string]string{"mode": "user"}, 10},
		{"kea_dhcp4_process_resident_memory_peak_bytes", nil, 2 << 20},
		{"kea_dhcp4_up", nil, 1},
		{"keascope_probes_attached", nil, 9},
		{"keascope_source", map[string]string{"source": "ebpf"}, 1},
		{"keascope_source", map[string]string{"source": "sample"}, 0},
		{"keascope_store_mode", map[string]string{"mode": "local"}, 1},
		{"keascope_last_published_version", nil, 20261123000000001},
	}
	for _, c := range checks {
		got, ok := m[c.name].value(c.labels)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}

	h := m["kea_dhcp4_packet_processing_duration_seconds"].histogram(map[string]string{"query_type": "discover", "response_type": "offer"})
	if h == nil {
		t.Fatal("no latency histogram for discover→offer")
	}
	if h.GetSampleCount() != 150 {
		t.Errorf("histogram count %d, want 150", h.GetSampleCount())
	}
	// 100 values at 200 µs fall at or below 250 µs; the 50 at 2 ms below 2.5 ms.
	for _, b := range h.GetBucket() {
		switch b.GetUpperBound() {
		case 100e-6:
			if b.GetCumulativeCount() != 0 {
				t.Errorf("≤100µs holds %d", b.GetCumulativeCount())
			}
		case 250e-6:
			if b.GetCumulativeCount() != 100 {
				t.Errorf("≤250µs holds %d, want 100", b.GetCumulativeCount())
			}
		case 2.5e-3:
			if b.GetCumulativeCount() != 150 {
				t.Errorf("≤2.5ms holds %d, want 150", b.GetCumulativeCount())
			}
		}
	}
	if sum := h.GetSampleSum(); sum < 0.12*0.99 || sum > 0.12*1.01 {
		t.Errorf("histogram sum %v s, want 0.12", sum)
	}
}

func TestExporterBeforeFirstInterval(t *testing.T) {
	e := New()
	if n := testutil.CollectAndCount(e); n == 0 {
		t.Fatal("nothing exported before the first interval")
	}
	m := scrape(t, e)
	if v, _ := m["kea_dhcp4_up"].value(nil); v != 0 {
		t.Errorf("kea_dhcp4_up = %v before any interval", v)
	}
}

func TestLintClean(t *testing.T) {
	e := New()
	e.Observe(interval(3, 1000))
	problems, err := testutil.CollectAndLint(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		// The _total names on gauges are Stork's; keep them for compatibility.
		if strings.HasPrefix(p.Metric, "kea_dhcp4_addresses_") {
			continue
		}
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}
