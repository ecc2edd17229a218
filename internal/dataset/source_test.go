package dataset

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/sample"
)

func TestSourceFollowsStoreForTheDashboard(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	gen := sample.New(3, clk.t)
	p := newPub(t, dir, clk, time.Minute)
	info := dashboard.ServerInfo{Host: "kea-7", StoreMode: "local-only"}
	var versions []int64
	publish := func() {
		v, err := p.Publish(context.Background(), gen.Next(time.Second), info)
		if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	for i := 0; i < 5; i++ {
		publish()
	}
	src := &Source{Discover: LocalStores(dir), Poll: 20 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go src.Run(ctx)
	updates := src.Watch(ctx)

	deadline := time.Now().Add(5 * time.Second)
	for {
		servers, _ := src.Servers(ctx)
		if len(servers) == 1 && servers[0] == "kea-7" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("servers %v, want [kea-7] (named by the data's header tag)", servers)
		}
		time.Sleep(20 * time.Millisecond)
	}
	start := time.Now()
	publish()
	want := versions[len(versions)-1]
	timeout := time.After(5 * time.Second)
	for got := false; !got; {
		select {
		case u := <-updates:
			if u.Server != "kea-7" {
				t.Fatalf("update %+v for another server", u)
			}
			got = u.Version == want
		case <-timeout:
			t.Fatalf("no update to %d within 5 s of publishing", want)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("update took %v, want < 1 s", d)
	}
	latest, err := src.Latest(ctx, "kea-7")
	if err != nil || latest.Version != versions[5] || len(latest.Intervals) != 6 || latest.Info.Host != "kea-7" {
		t.Fatalf("latest %+v, %v", latest, err)
	}
	old, err := src.At(ctx, "kea-7", versions[2])
	if err != nil || len(old.Intervals) != 3 {
		t.Fatalf("version %d: %d intervals, %v", versions[2], len(old.Intervals), err)
	}
	vs, err := src.Versions(ctx, "kea-7")
	if err != nil || len(vs) != 6 || vs[0].Version != versions[0] || vs[0].Published.IsZero() {
		t.Fatalf("versions %+v, %v", vs, err)
	}
	if _, err := src.At(ctx, "kea-7", 20990101000000001); !errors.Is(err, dashboard.ErrUnknownVersion) {
		t.Fatalf("unknown version: %v", err)
	}
	if _, err := src.Latest(ctx, "nobody"); !errors.Is(err, dashboard.ErrUnknownServer) {
		t.Fatalf("unknown server: %v", err)
	}

	// The store vanishes: the last good state stays, the error is reported.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if src.Err() == nil {
		t.Error("no error reported for a vanished store")
	}
	if again, err := src.Latest(ctx, "kea-7"); err != nil || again.Version != latest.Version {
		t.Fatalf("lost the last good state: %v", err)
	}
}

// A follower's cache gives the same contents as decoding from scratch.
func TestCacheDecodesLikeScratch(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	gen := sample.New(9, clk.t)
	p := newPub(t, dir, clk, 30*time.Second)
	var cache Cache
	for i := 0; i < 90; i++ {
		if _, err := p.Publish(context.Background(), gen.Next(time.Second), dashboard.ServerInfo{Host: "h"}); err != nil {
			t.Fatal(err)
		}
		if i%7 != 0 {
			continue
		}
		got := loadLatestWith(t, dir, &cache)
		want := loadLatest(t, dir)
		if jsonOf(t, got.Fine) != jsonOf(t, want.Fine) || jsonOf(t, got.Minutes) != jsonOf(t, want.Minutes) {
			t.Fatalf("after %d publishes the cached decode differs from a fresh one", i+1)
		}
	}
	if len(cache.m) == 0 || len(cache.m) > 32 {
		t.Fatalf("cache holds %d intervals, want the window's (≤ 30 fine + minutes)", len(cache.m))
	}
}
