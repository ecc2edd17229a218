package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/lab"
	"github.com/keascope/keascope/internal/lab/labtest"
	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/miniotest"
	"github.com/keascope/keascope/internal/testenv"
)

// One monitor run on a real Kea covers the list in order: counts
// in the published versions equal Kea's counters; Kea killed → the source
// falls back to the control socket and returns to eBPF; the monitor killed
// with SIGKILL → the restarted one continues the same chain.
func TestMonitorOnRealKea(t *testing.T) {
	testenv.RequireEBPF(t)
	l := labtest.Start(t, lab.Config{SocketType: "udp"})
	srv := miniotest.Start(t)
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.SecretKey)
	store := filepath.Join(t.TempDir(), "hollow")
	args := []string{"--pid", itoa(l.KeaPID()), "--control-socket", l.ControlSocket(), "--store", store,
		"--remote", "s3://keascope/servers", "--s3-endpoint", srv.Endpoint(), "--snapshot-every", "10"}
	m := startMonitor(t, args...)
	ctx := context.Background()

	waitFor(t, 30*time.Second, "monitor on eBPF", func() bool {
		h := m.health(t)
		return h.Source == metrics.SourceEBPF && h.KeaUp && h.LastVersion != 0
	}, m.stderr.String)

	rep, err := l.RunPerfdhcp(ctx, lab.Load{Rate: 1000, Clients: 5000, Duration: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if rep.DO.Sent < 2500 {
		t.Fatalf("perfdhcp sent only %d discovers", rep.DO.Sent)
	}
	time.Sleep(3 * time.Second) // the intervals holding the last packets close and publish
	stats, err := l.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := contents(t, store)
	sum := metrics.New(time.Time{}, metrics.SourceEBPF)
	for _, iv := range got.Fine {
		sum.Merge(iv)
	}
	for _, c := range []struct {
		kea  string
		ours uint64
	}{
		{"pkt4-discover-received", sum.Packets.Received["discover"]},
		{"pkt4-request-received", sum.Packets.Received["request"]},
		{"pkt4-offer-sent", sum.Packets.Sent["offer"]},
		{"pkt4-ack-sent", sum.Packets.Sent["ack"]},
	} {
		if uint64(stats[c.kea]) != c.ours || c.ours == 0 {
			t.Errorf("%s: Kea says %d, the published versions %d", c.kea, stats[c.kea], c.ours)
		}
	}
	if sum.Latency.Count() == 0 || got.Server.Host != "kea-e2e" {
		t.Errorf("no latency in the published versions, or wrong server %q", got.Server.Host)
	}
	var subnets bool
	for _, iv := range got.Fine {
		subnets = subnets || (len(iv.Subnets) > 0 && iv.Subnets[0].Assigned > 0 && iv.Subnets[0].Prefix == "198.18.0.0/15")
	}
	if !strings.HasPrefix(got.Server.KeaVersion, "2.") || got.Server.SocketMode != "udp" {
		t.Errorf("server record %+v: want Kea's version and socket mode from its control socket", got.Server)
	}
	if !subnets {
		t.Error("no subnet utilization from the control socket in the published versions")
	}

	// Kea dies: the monitor falls back to the control socket, then comes
	// back to eBPF once Kea runs again.
	l.KillKea()
	waitFor(t, 30*time.Second, "fallback to the control socket", func() bool {
		h := m.health(t)
		return h.Source == metrics.SourceControl && !h.KeaUp
	}, m.stderr.String)
	if err := l.RestartKea(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "back on eBPF after Kea restarted", func() bool {
		h := m.health(t)
		return h.Source == metrics.SourceEBPF && h.KeaUp && h.KeaPID == l.KeaPID()
	}, m.stderr.String)

	// SIGKILL: the restarted monitor restores and continues the chain.
	before := m.health(t).LastVersion
	m.stop(syscall.SIGKILL)
	m2 := startMonitor(t, append(args[2:], "--pid", itoa(l.KeaPID()))...)
	waitFor(t, 30*time.Second, "a new version after the restart", func() bool {
		return m2.health(t).LastVersion > before
	}, m2.stderr.String)
	if !strings.Contains(m2.stderr.String(), "restored") {
		t.Errorf("the restarted monitor did not restore:\n%s", m2.stderr.String())
	}
	entries, _ := os.ReadDir(store)
	var next string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "delta-"+itoa64(before)+"-") {
			next = e.Name()
		}
	}
	if next == "" {
		t.Fatalf("no delta from %d, the last version before the kill: the chain broke", before)
	}
	after, _ := contents(t, store)
	if len(after.Fine) <= len(got.Fine) || !after.Fine[0].End.Equal(got.Fine[0].End) {
		t.Errorf("the restored window lost intervals: %d before, %d after", len(got.Fine), len(after.Fine))
	}
	// The remote followed all along.
	waitFor(t, 30*time.Second, "remote caught up", func() bool {
		return m2.health(t).RemoteVersion == m2.health(t).LastVersion
	}, m2.stderr.String)
}
