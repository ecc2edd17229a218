package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// FS is a blob store in one directory, in Java's filesystem layout.
type FS struct {
	dir string
}

// NewFS opens (creating if needed) a store directory.
func NewFS(dir string) (*FS, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open blob store: %w", err)
	}
	return &FS{dir: dir}, nil
}

// Dir is the store's directory.
func (s *FS) Dir() string { return s.dir }

func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") {
		return fmt.Errorf("invalid blob name %q", name)
	}
	return nil
}

// Put stores a blob atomically: written to a temporary file, synced, then
// linked into place, which fails rather than replace an existing file.
func (s *FS) Put(ctx context.Context, name string, r io.Reader, size int64) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put blob %s: %w", name, err)
	}
	tmp, err := os.CreateTemp(s.dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("put blob %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, r)
	if err == nil && size >= 0 && n != size {
		err = fmt.Errorf("got %d bytes, size says %d", n, size)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("put blob %s: %w", name, err)
	}
	final := filepath.Join(s.dir, name)
	if err := os.Link(tmp.Name(), final); err != nil {
		if !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("put blob %s: %w", name, err)
		}
		if same, cerr := sameContent(tmp.Name(), final); cerr != nil {
			return fmt.Errorf("put blob %s: %w", name, cerr)
		} else if !same {
			return fmt.Errorf("put blob %s: %w", name, ErrConflict)
		}
	}
	return syncDir(s.dir)
}

func sameContent(a, b string) (bool, error) {
	x, err := os.ReadFile(a)
	if err != nil {
		return false, err
	}
	y, err := os.ReadFile(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(x, y), nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	d.Sync() // best effort: not every filesystem syncs directories
	return nil
}

// Get opens a blob.
func (s *FS) Get(ctx context.Context, name string) (io.ReadCloser, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(s.dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("get blob %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", name, err)
	}
	return f, nil
}

// List returns the blob names starting with prefix, sorted; temporary files
// and the announcement are not blobs.
func (s *FS) List(ctx context.Context, prefix string) ([]string, error) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("list blobs: %w", err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, prefix) && !strings.HasPrefix(n, ".") && n != AnnouncedName {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Delete removes a blob; removing a missing blob is not an error.
func (s *FS) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(s.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob %s: %w", name, err)
	}
	return nil
}

// Announce writes announced.version through a temporary file and a rename,
// so readers see the old or the new version, never a partial one.
func (s *FS) Announce(ctx context.Context, version int64) error {
	tmp, err := os.CreateTemp(s.dir, "."+AnnouncedName+".tmp-*")
	if err != nil {
		return fmt.Errorf("announce version %d: %w", version, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(strconv.FormatInt(version, 10))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(s.dir, AnnouncedName))
	}
	if err != nil {
		return fmt.Errorf("announce version %d: %w", version, err)
	}
	return syncDir(s.dir)
}

// Announced reads the announced version.
func (s *FS) Announced(ctx context.Context) (int64, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, AnnouncedName))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("read announced version: %w", ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("read announced version: %w", err)
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read announced version: not a number: %q", truncate(b))
	}
	return v, nil
}

func truncate(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}
