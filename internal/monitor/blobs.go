package monitor

import (
	"context"
	"io"
	"sort"
	"strconv"
	"strings"
)

// BlobStore is what the monitor needs of a Hollow blob store; the local
// filesystem store and the S3 store both provide it.
type BlobStore interface {
	Put(ctx context.Context, name string, r io.Reader, size int64) error
	Get(ctx context.Context, name string) (io.ReadCloser, error)
	List(ctx context.Context, prefix string) ([]string, error)
	Announce(ctx context.Context, version int64) error
	Announced(ctx context.Context) (int64, error)
}

// blobName is a parsed Hollow blob name.
type blobName struct {
	name string
	kind string // header, delta, reversedelta, snapshot
	from int64  // the version a consumer must hold to apply it (deltas), else 0
	to   int64  // the version the blob brings a consumer to
}

// kindOrder is the publish order within one version (Java's producer: header,
// delta, reverse delta, snapshot), so a remote consumer that sees a version's
// delta can already find its header.
var kindOrder = map[string]int{"header": 0, "delta": 1, "reversedelta": 2, "snapshot": 3}

func parseBlobName(name string) (blobName, bool) {
	kind, rest, ok := strings.Cut(name, "-")
	if !ok {
		return blobName{}, false
	}
	b := blobName{name: name, kind: kind}
	switch kind {
	case "snapshot", "header":
		v, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return blobName{}, false
		}
		b.to = v
	case "delta", "reversedelta":
		a, c, ok := strings.Cut(rest, "-")
		if !ok {
			return blobName{}, false
		}
		x, err1 := strconv.ParseInt(a, 10, 64)
		y, err2 := strconv.ParseInt(c, 10, 64)
		if err1 != nil || err2 != nil {
			return blobName{}, false
		}
		b.from, b.to = x, y
	default:
		return blobName{}, false
	}
	return b, true
}

// version is the version whose publish wrote the blob.
func (b blobName) version() int64 {
	if b.kind == "reversedelta" {
		return b.from // reversedelta-<b>-<a> is written by the publish of b
	}
	return b.to
}

// sortForPublish orders blobs as a producer writes them: by version, then
// header, delta, reverse delta, snapshot.
func sortForPublish(bs []blobName) {
	sort.Slice(bs, func(i, j int) bool {
		vi, vj := bs[i].version(), bs[j].version()
		if vi != vj {
			return vi < vj
		}
		return kindOrder[bs[i].kind] < kindOrder[bs[j].kind]
	})
}
