package keactl_test

import (
	"context"
	"errors"
	"testing"

	"github.com/keascope/keascope/internal/keactl"
	"github.com/keascope/keascope/internal/lab"
	"github.com/keascope/keascope/internal/lab/labtest"
)

// The client against a real kea-dhcp4 2.2.
func TestRealKea(t *testing.T) {
	l := labtest.Start(t, lab.Config{})
	c := l.Control()
	ctx := context.Background()
	v, _, err := c.VersionGet(ctx)
	if err != nil || v == "" {
		t.Fatalf("version-get: %q, %v", v, err)
	}
	s, err := c.StatisticGetAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tot := keactl.SubnetValues(s, "total-addresses")[1]; tot < 100000 {
		t.Errorf("subnet[1].total-addresses = %d, want a pool for 10^5 clients", tot)
	}
	if _, ok := s["pkt4-received"]; !ok {
		t.Errorf("no pkt4-received in %v", s)
	}
	if cfg, err := c.ConfigGet(ctx); err != nil || len(cfg) == 0 {
		t.Errorf("config-get: %v", err)
	}
	if err := c.StatisticResetAll(ctx); err != nil {
		t.Error(err)
	}
	var kerr *keactl.Error
	if _, err := c.Do(ctx, "no-such-command", nil); !errors.As(err, &kerr) {
		t.Errorf("unknown command: %v, want *keactl.Error", err)
	}
	l.KillKea()
	if _, err := c.StatisticGetAll(ctx); !errors.Is(err, keactl.ErrNoSocket) {
		t.Errorf("after Kea died: %v, want ErrNoSocket", err)
	}
}
