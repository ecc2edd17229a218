package hollowcli

import (
	"context"
	"fmt"
	"os"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/hollow/read"
)

// loadFiles reads a snapshot file and applies delta files in order.
func loadFiles(snapshot string, deltas []string) (*read.State, error) {
	b, err := os.ReadFile(snapshot)
	if err != nil {
		return nil, err
	}
	s, err := read.ParseSnapshot(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", snapshot, err)
	}
	for _, d := range deltas {
		b, err := os.ReadFile(d)
		if err != nil {
			return nil, err
		}
		if s, err = s.ApplyDeltaBytes(b); err != nil {
			return nil, fmt.Errorf("%s: %w", d, err)
		}
	}
	return s, nil
}

// loadStore reads version v of a store directory, the announced one when
// v is 0.
func loadStore(ctx context.Context, dir string, v int64) (*read.State, int64, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, 0, err
	}
	store, err := blob.NewFS(dir)
	if err != nil {
		return nil, 0, err
	}
	if v == 0 {
		if v, err = store.Announced(ctx); err != nil {
			return nil, 0, err
		}
	}
	s, err := consumer.Load(ctx, store, v)
	return s, v, err
}
