package monitor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/keascope/keascope/hollow/blob"
)

// Pull makes the local store at least as new as the remote one before the
// monitor restores from it: after a crash that lost the local directory, or
// when another machine published last, the chain continues from whichever
// announced version is newer. It copies the remote blobs the local store
// lacks, then announces the remote version locally. It returns that
// version, or 0 when the local store was already current.
func Pull(ctx context.Context, local, remote BlobStore) (int64, error) {
	rv, err := remote.Announced(ctx)
	if errors.Is(err, blob.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read remote announcement: %w", err)
	}
	lv, err := local.Announced(ctx)
	if err != nil && !errors.Is(err, blob.ErrNotFound) {
		return 0, fmt.Errorf("read local announcement: %w", err)
	}
	if lv >= rv {
		return 0, nil
	}
	have := map[string]bool{}
	names, err := local.List(ctx, "")
	if err != nil {
		return 0, fmt.Errorf("list local: %w", err)
	}
	for _, n := range names {
		have[n] = true
	}
	remoteNames, err := remote.List(ctx, "")
	if err != nil {
		return 0, fmt.Errorf("list remote: %w", err)
	}
	for _, n := range remoteNames {
		b, ok := parseBlobName(n)
		if !ok || have[n] || b.version() > rv {
			continue
		}
		rc, err := remote.Get(ctx, n)
		if err != nil {
			return 0, fmt.Errorf("download %s: %w", n, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return 0, fmt.Errorf("download %s: %w", n, err)
		}
		if err := local.Put(ctx, n, bytes.NewReader(data), int64(len(data))); err != nil {
			return 0, fmt.Errorf("store %s locally: %w", n, err)
		}
	}
	if err := local.Announce(ctx, rv); err != nil {
		return 0, fmt.Errorf("announce pulled version: %w", err)
	}
	return rv, nil
}
