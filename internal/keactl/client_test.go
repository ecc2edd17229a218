package keactl

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeKea serves recorded Kea replies (testdata/<command>.json) on a unix
// socket, one command per connection like kea-dhcp4.
func fakeKea(t *testing.T, replies map[string]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ctl.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var req struct{ Command string }
				if err := json.NewDecoder(c).Decode(&req); err != nil {
					return
				}
				file, ok := replies[req.Command]
				if !ok {
					file = "unknown-command.json"
				}
				if file == "hang" {
					time.Sleep(5 * time.Second)
					return
				}
				b, err := os.ReadFile(filepath.Join("testdata", file))
				if err != nil {
					b = []byte(err.Error())
				}
				c.Write(b)
			}()
		}
	}()
	return path
}

var recorded = map[string]string{
	"statistic-get-all":   "statistic-get-all.json",
	"version-get":         "version-get.json",
	"config-get":          "config-get.json",
	"statistic-reset-all": "statistic-reset-all.json",
}

func TestStatisticGetAll(t *testing.T) {
	c := New(fakeKea(t, recorded))
	s, err := c.StatisticGetAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int64{
		"pkt4-discover-received":        1499,
		"pkt4-offer-sent":               1499,
		"pkt4-ack-sent":                 1499,
		"pkt4-nak-sent":                 0,
		"subnet[1].total-addresses":     130811,
		"cumulative-assigned-addresses": 1000,
	} {
		if got, ok := s[name]; !ok || got != want {
			t.Errorf("%s = %d (present %v), want %d", name, got, ok, want)
		}
	}
	if got := SubnetValues(s, "total-addresses"); len(got) != 1 || got[1] != 130811 {
		t.Errorf("SubnetValues = %v", got)
	}
}

func TestVersionAndConfig(t *testing.T) {
	c := New(fakeKea(t, recorded))
	ctx := context.Background()
	v, ext, err := c.VersionGet(ctx)
	if err != nil || v != "2.2.0" || !strings.Contains(ext, "Memfile") {
		t.Errorf("VersionGet = %q, %q, %v", v, ext, err)
	}
	raw, err := c.ConfigGet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Dhcp4 struct {
			Subnet4 []struct{ Subnet string } `json:"subnet4"`
		}
	}
	if err := json.Unmarshal(raw, &cfg); err != nil || len(cfg.Dhcp4.Subnet4) != 1 {
		t.Errorf("config-get: %v, %+v", err, cfg)
	}
	if err := c.StatisticResetAll(ctx); err != nil {
		t.Error(err)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	_, err := New(filepath.Join(t.TempDir(), "missing.sock")).StatisticGetAll(ctx)
	if !errors.Is(err, ErrNoSocket) {
		t.Errorf("missing socket: %v, want ErrNoSocket", err)
	}

	// a socket file left behind by a dead Kea refuses connections
	stale := filepath.Join(t.TempDir(), "stale.sock")
	ln, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, _, err := New(stale).VersionGet(ctx); !errors.Is(err, ErrNoSocket) {
		t.Errorf("stale socket: %v, want ErrNoSocket", err)
	}

	c := New(fakeKea(t, map[string]string{"version-get": "hang"}))
	_, err = c.Do(ctx, "no-such", nil)
	var kerr *Error
	if !errors.As(err, &kerr) || kerr.Result != ResultUnsupported {
		t.Errorf("unknown command: %v, want *Error result 2", err)
	}

	tctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err = c.VersionGet(tctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("hanging Kea: %v after %v, want deadline exceeded", err, time.Since(start))
	}
}

func TestSubnetStat(t *testing.T) {
	for _, tc := range []struct {
		name  string
		id    int64
		field string
		ok    bool
	}{
		{"subnet[1].total-addresses", 1, "total-addresses", true},
		{"subnet[4294967295].assigned-addresses", 4294967295, "assigned-addresses", true},
		{"subnet[1].pool[0].total-addresses", 0, "", false},
		{"subnet[x].total-addresses", 0, "", false},
		{"subnet[1]", 0, "", false},
		{"subnet[1].", 0, "", false},
		{"pkt4-received", 0, "", false},
	} {
		id, field, ok := SubnetStat(tc.name)
		if id != tc.id || field != tc.field || ok != tc.ok {
			t.Errorf("SubnetStat(%q) = %d, %q, %v", tc.name, id, field, ok)
		}
	}
}

func TestParseStatsKinds(t *testing.T) {
	s, err := ParseStats(json.RawMessage(`{"a":[[3,"t"],[2,"t"]],"f":[[2.5,"t"]],"s":[["text","t"]],"e":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 2 || s["a"] != 3 || s["f"] != 2 {
		t.Errorf("ParseStats = %v", s)
	}
}
