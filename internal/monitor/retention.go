package monitor

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Prune bounds the local store's disk use: it keeps the newest keep
// snapshots and every blob from the oldest kept snapshot on (the deltas a
// consumer needs to move between them), and removes older blobs. A blob the
// remote must still receive is never removed: mayDrop says whether a name
// is safe to drop (always true without a remote). It returns the names it
// removed.
func Prune(dir string, keep int, mayDrop func(name string) bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list store %s: %w", dir, err)
	}
	var blobs []blobName
	var snapshots []int64
	for _, e := range entries {
		b, ok := parseBlobName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		blobs = append(blobs, b)
		if b.kind == "snapshot" {
			snapshots = append(snapshots, b.to)
		}
	}
	if len(snapshots) == 0 || keep < 1 {
		return nil, nil
	}
	sort.Slice(snapshots, func(i, j int) bool { return snapshots[i] > snapshots[j] })
	oldestKept := snapshots[min(keep, len(snapshots))-1]
	var removed []string
	for _, b := range blobs {
		if b.version() >= oldestKept {
			continue
		}
		if mayDrop != nil && !mayDrop(b.name) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, b.name)); err != nil && !os.IsNotExist(err) {
			return removed, fmt.Errorf("prune %s: %w", b.name, err)
		}
		removed = append(removed, b.name)
	}
	sort.Strings(removed)
	return removed, nil
}
