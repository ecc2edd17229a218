package monitor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/keascope/keascope/hollow/blob"
)

// Mirror copies what the local store publishes to the remote one. The local
// store is always written first, so publishing never waits on the network;
// the mirror uploads every blob the remote lacks in publish order and only
// then announces, so a remote consumer sees an unbroken chain even after
// the remote was away for a while.
type Mirror struct {
	Local, Remote BlobStore
	// Prepare, if set, readies the remote (creates the bucket) before the
	// first listing and after every failure: a remote that was down at
	// start may come up empty.
	Prepare func(ctx context.Context) error
	// known are the blob names the remote is known to hold; nil until the
	// first successful listing, and reset after any failure because the
	// remote may have changed while unreachable.
	known map[string]bool
	// announced is the last version announced on the remote.
	announced int64
}

// SyncResult says what one Sync did.
type SyncResult struct {
	Uploaded  int
	Announced int64 // version announced on the remote (0 if none)
}

// Sync brings the remote up to the local announced version. On error the
// remote may hold some new blobs but still announces an older version,
// which is a consistent state; the next Sync continues from there.
func (m *Mirror) Sync(ctx context.Context) (SyncResult, error) {
	var res SyncResult
	target, err := m.Local.Announced(ctx)
	if errors.Is(err, blob.ErrNotFound) {
		return res, nil // nothing published yet
	}
	if err != nil {
		return res, fmt.Errorf("read local announcement: %w", err)
	}
	if m.known == nil {
		if m.Prepare != nil {
			if err := m.Prepare(ctx); err != nil {
				return res, fmt.Errorf("prepare remote: %w", err)
			}
		}
		names, err := m.Remote.List(ctx, "")
		if err != nil {
			return res, fmt.Errorf("list remote: %w", err)
		}
		m.known = make(map[string]bool, len(names))
		for _, n := range names {
			m.known[n] = true
		}
		if v, err := m.Remote.Announced(ctx); err == nil {
			m.announced = v
		}
	}
	if target == m.announced {
		res.Announced = target
		return res, nil
	}
	local, err := m.Local.List(ctx, "")
	if err != nil {
		return res, fmt.Errorf("list local: %w", err)
	}
	var todo []blobName
	for _, n := range local {
		b, ok := parseBlobName(n)
		if ok && !m.known[n] && b.version() <= target {
			todo = append(todo, b)
		}
	}
	sortForPublish(todo)
	for _, b := range todo {
		if err := m.copy(ctx, b.name); err != nil {
			m.known = nil
			return res, err
		}
		m.known[b.name] = true
		res.Uploaded++
	}
	if err := m.Remote.Announce(ctx, target); err != nil {
		m.known = nil
		return res, fmt.Errorf("announce on remote: %w", err)
	}
	m.announced = target
	res.Announced = target
	return res, nil
}

func (m *Mirror) copy(ctx context.Context, name string) error {
	rc, err := m.Local.Get(ctx, name)
	if err != nil {
		return fmt.Errorf("read local blob: %w", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return fmt.Errorf("read local blob %s: %w", name, err)
	}
	if err := m.Remote.Put(ctx, name, bytes.NewReader(data), int64(len(data))); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	return nil
}

// OnRemote reports whether the remote is known to hold name, for retention:
// a local blob is pruned only once the remote has it.
func (m *Mirror) OnRemote(name string) bool { return m.known != nil && m.known[name] }
