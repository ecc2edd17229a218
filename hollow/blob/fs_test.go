package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFS(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Announced(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Announced on empty store: %v", err)
	}
	put := func(name, data string) error {
		return s.Put(ctx, name, strings.NewReader(data), int64(len(data)))
	}
	if err := put("snapshot-1", "abc"); err != nil {
		t.Fatal(err)
	}
	if err := put("snapshot-1", "abc"); err != nil {
		t.Fatalf("same bytes again: %v", err)
	}
	if err := put("snapshot-1", "xyz"); !errors.Is(err, ErrConflict) {
		t.Fatalf("other bytes: %v", err)
	}
	if err := put("../evil", "x"); err == nil {
		t.Fatal("path escape accepted")
	}
	if err := put("delta-1-2", "d"); err != nil {
		t.Fatal(err)
	}
	if err := s.Announce(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Announced(ctx); err != nil || v != 2 {
		t.Fatalf("Announced = %d, %v", v, err)
	}
	names, _ := s.List(ctx, "")
	if !slices.Equal(names, []string{"delta-1-2", "snapshot-1"}) {
		t.Fatalf("List = %v", names)
	}
	rc, err := s.Get(ctx, "snapshot-1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(b, []byte("abc")) {
		t.Fatalf("Get = %q", b)
	}
	if _, err := s.Get(ctx, "snapshot-9"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get missing: %v", err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, AnnouncedName))
	if string(raw) != "2" {
		t.Fatalf("announced.version = %q", raw)
	}
}

func TestNames(t *testing.T) {
	for _, n := range []string{"snapshot-20261123205301001", "delta-1-2", "reversedelta-2-1", "header-7"} {
		p, ok := ParseName(n)
		if !ok || p.String() != n {
			t.Errorf("ParseName(%q) = %+v, %v", n, p, ok)
		}
	}
	for _, n := range []string{"announced.version", "delta-1", "snapshot-x", "snapshot--1", "snapshot-01"} {
		if _, ok := ParseName(n); ok {
			t.Errorf("ParseName(%q) accepted", n)
		}
	}
}
