package s3store

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/miniotest"
)

func newStore(t *testing.T, srv *miniotest.Server, prefix string) *Store {
	t.Helper()
	s, err := New(Config{Endpoint: srv.Endpoint(), Bucket: "hollow", Prefix: prefix,
		AccessKey: miniotest.AccessKey, SecretKey: miniotest.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func put(t *testing.T, s *Store, name, data string) error {
	t.Helper()
	return s.Put(context.Background(), name, strings.NewReader(data), int64(len(data)))
}

func TestPutGetListAnnounceOnRealMinIO(t *testing.T) {
	srv := miniotest.Start(t)
	ctx := context.Background()
	a := newStore(t, srv, "servers/kea-a")
	b := newStore(t, srv, "servers/kea-b")

	if _, err := a.Announced(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("announced before any announce: %v", err)
	}
	for _, n := range []string{"snapshot-1", "delta-1-2", "reversedelta-2-1", "header-2"} {
		if err := put(t, a, n, "blob "+n); err != nil {
			t.Fatal(err)
		}
	}
	if err := put(t, b, "snapshot-7", "other server"); err != nil {
		t.Fatal(err)
	}
	if err := a.Announce(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := b.Announce(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if v, err := a.Announced(ctx); err != nil || v != 2 {
		t.Fatalf("announced %d, %v", v, err)
	}
	rc, err := a.Get(ctx, "delta-1-2")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != "blob delta-1-2" {
		t.Fatalf("got %q", got)
	}
	names, err := a.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "announced.version,delta-1-2,header-2,reversedelta-2-1,snapshot-1" {
		t.Fatalf("list %v", names)
	}
	if names, _ := a.List(ctx, "snapshot-"); len(names) != 1 {
		t.Fatalf("prefix list %v", names)
	}
	servers, err := a.Servers(ctx, "servers")
	if err != nil || strings.Join(servers, ",") != "kea-a,kea-b" {
		t.Fatalf("servers %v, %v", servers, err)
	}
	if _, err := a.Get(ctx, "snapshot-99"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing blob: %v", err)
	}
}

func TestPutNeverOverwrites(t *testing.T) {
	srv := miniotest.Start(t)
	s := newStore(t, srv, "p")
	if err := put(t, s, "snapshot-1", "first"); err != nil {
		t.Fatal(err)
	}
	if err := put(t, s, "snapshot-1", "first"); err != nil {
		t.Fatalf("identical retry refused: %v", err)
	}
	if err := put(t, s, "snapshot-1", "second"); !errors.Is(err, ErrConflict) {
		t.Fatalf("overwrite with other bytes: %v", err)
	}
	rc, _ := s.Get(context.Background(), "snapshot-1")
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, []byte("first")) {
		t.Fatalf("stored blob changed to %q", got)
	}
}

func TestBadInputAndUnreachable(t *testing.T) {
	for _, ep := range []string{"", "ftp://x", "not a url"} {
		if _, err := New(Config{Endpoint: ep, Bucket: "b"}); err == nil {
			t.Errorf("endpoint %q accepted", ep)
		}
	}
	if _, err := New(Config{Endpoint: "http://127.0.0.1:1", Bucket: ""}); err == nil {
		t.Error("empty bucket accepted")
	}
	s, err := New(Config{Endpoint: "http://127.0.0.1:1", Bucket: "b", AccessKey: "x", SecretKey: "y"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := put(t, s, "snapshot-1", "x"); err == nil {
		t.Error("put to an unreachable endpoint succeeded")
	}
	if _, err := s.Announced(ctx); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("unreachable must not look like 'nothing announced': %v", err)
	}
	if err := put(t, s, "../escape", "x"); err == nil || !strings.Contains(err.Error(), "invalid blob name") {
		t.Errorf("path in name: %v", err)
	}
}

func TestBadCredentials(t *testing.T) {
	srv := miniotest.Start(t)
	s, err := New(Config{Endpoint: srv.Endpoint(), Bucket: "hollow", AccessKey: "wrong", SecretKey: "wrongwrong"})
	if err != nil {
		t.Fatal(err)
	}
	err = s.EnsureBucket(context.Background())
	if err == nil {
		t.Fatal("bad credentials accepted")
	}
}
