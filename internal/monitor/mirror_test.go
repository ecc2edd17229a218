package monitor

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/miniotest"
	"github.com/keascope/keascope/internal/s3store"
)

func s3(t *testing.T, srv *miniotest.Server, prefix string) *s3store.Store {
	t.Helper()
	s, err := s3store.New(s3store.Config{Endpoint: srv.Endpoint(), Bucket: "hollow", Prefix: prefix,
		AccessKey: miniotest.AccessKey, SecretKey: miniotest.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureBucket(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// publish writes the blobs of one version the way the producer does.
func publish(t *testing.T, s BlobStore, prev, v int64) {
	t.Helper()
	ctx := context.Background()
	names := []string{fmt.Sprintf("header-%d", v), fmt.Sprintf("snapshot-%d", v)}
	if prev != 0 {
		names = append(names, fmt.Sprintf("delta-%d-%d", prev, v), fmt.Sprintf("reversedelta-%d-%d", v, prev))
	}
	for _, n := range names {
		if err := s.Put(ctx, n, strings.NewReader(n), int64(len(n))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Announce(ctx, v); err != nil {
		t.Fatal(err)
	}
}

func TestMirrorCatchesUpInOrderAfterRemoteOutage(t *testing.T) {
	localSrv := miniotest.Start(t)
	remoteSrv := miniotest.Start(t)
	local, remote := s3(t, localSrv, "local"), s3(t, remoteSrv, "remote")
	m := &Mirror{Local: local, Remote: remote}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	publish(t, local, 0, 1)
	if res, err := m.Sync(ctx); err != nil || res.Uploaded != 2 || res.Announced != 1 {
		t.Fatalf("first sync %+v, %v", res, err)
	}
	remoteSrv.Stop()
	for v := int64(2); v <= 4; v++ {
		publish(t, local, v-1, v)
		short, c := context.WithTimeout(ctx, 3*time.Second)
		if _, err := m.Sync(short); err == nil {
			t.Fatal("sync to a stopped remote succeeded")
		}
		c()
	}
	if err := remoteSrv.Start(); err != nil {
		t.Fatal(err)
	}
	res, err := m.Sync(ctx)
	if err != nil || res.Announced != 4 || res.Uploaded != 12 {
		t.Fatalf("catch-up sync %+v, %v", res, err)
	}
	if v, _ := remote.Announced(ctx); v != 4 {
		t.Fatalf("remote announces %d", v)
	}
	for v := int64(2); v <= 4; v++ {
		rc, err := remote.Get(ctx, fmt.Sprintf("delta-%d-%d", v-1, v))
		if err != nil {
			t.Fatalf("remote lacks delta to %d: %v", v, err)
		}
		io.Copy(io.Discard, rc)
		rc.Close()
	}
	if res, err := m.Sync(ctx); err != nil || res.Uploaded != 0 {
		t.Fatalf("idle sync %+v %v", res, err)
	}
}

func TestParseBlobNameAndPublishOrder(t *testing.T) {
	var bs []blobName
	for _, n := range []string{"snapshot-3", "reversedelta-3-2", "delta-2-3", "header-3", "header-2", "delta-1-2", "announced.version", "delta-x-2"} {
		if b, ok := parseBlobName(n); ok {
			bs = append(bs, b)
		}
	}
	sortForPublish(bs)
	var got []string
	for _, b := range bs {
		got = append(got, b.name)
	}
	want := "header-2,delta-1-2,header-3,delta-2-3,reversedelta-3-2,snapshot-3"
	if strings.Join(got, ",") != want {
		t.Fatalf("order %v\nwant  %s", got, want)
	}
}
