package blob

import (
	"context"
	"errors"
	"io"
)

// ErrNotFound is returned for a blob or announcement that does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a blob of that name exists with other
// bytes: a published blob is never overwritten.
var ErrConflict = errors.New("blob exists with different content")

// Publisher writes blobs. Put must be atomic (a reader never sees part of a
// blob), succeed when the same bytes are already stored under name (a
// retried publish) and fail with ErrConflict when other bytes are.
type Publisher interface {
	Put(ctx context.Context, name string, r io.Reader, size int64) error
}

// Retriever reads blobs. Get fails with an error wrapping ErrNotFound when
// the blob does not exist; List returns the names starting with prefix,
// sorted.
type Retriever interface {
	Get(ctx context.Context, name string) (io.ReadCloser, error)
	List(ctx context.Context, prefix string) ([]string, error)
}

// Announcer records which version consumers should load. Announced fails
// with an error wrapping ErrNotFound before the first announcement.
type Announcer interface {
	Announce(ctx context.Context, version int64) error
	Announced(ctx context.Context) (int64, error)
}

// Store is a complete blob store.
type Store interface {
	Publisher
	Retriever
	Announcer
}
