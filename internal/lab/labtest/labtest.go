package labtest

import (
	"context"
	"testing"

	"github.com/keascope/keascope/internal/lab"
	"github.com/keascope/keascope/internal/testenv"
)

// Start starts a lab with cfg (Kea and perfdhcp from PATH unless set) and
// registers its Close with t.Cleanup. On failure Kea's work directory is
// kept in t's temporary directory for the log.
func Start(t testing.TB, cfg lab.Config) *lab.Lab {
	t.Helper()
	kea, perf := testenv.RequireKea(t)
	if cfg.KeaBinary == "" {
		cfg.KeaBinary = kea
	}
	if cfg.PerfdhcpBinary == "" {
		cfg.PerfdhcpBinary = perf
	}
	if cfg.WorkDir == "" {
		cfg.WorkDir = t.TempDir()
	}
	l, err := lab.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start lab: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close lab: %v", err)
		}
	})
	return l
}
