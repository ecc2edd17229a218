package consumer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/hollow/index"
	"github.com/keascope/keascope/hollow/mapper"
	"github.com/keascope/keascope/hollow/producer"
	"github.com/keascope/keascope/hollow/write"
)

type Metric struct {
	Name  string `hollow:",key"`
	Value int64
}

func publish(t *testing.T, p *producer.Producer, m *mapper.Mapper, n int, v int64) int64 {
	t.Helper()
	ver, err := p.RunCycle(context.Background(), func(w *write.StateEngine) error {
		for i := 0; i < n; i++ {
			if _, err := m.Add(Metric{Name: string(rune('a' + i)), Value: v + int64(i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ver
}

func TestBadBlobKeepsState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store, _ := blob.NewFS(dir)
	p := producer.New(store, producer.Config{})
	m := mapper.New(p.Engine())
	v1 := publish(t, p, m, 5, 1)
	v2 := publish(t, p, m, 5, 2)
	c := consumer.New(store, consumer.Config{})
	if err := c.Refresh(ctx); err != nil || c.Version() != v2 {
		t.Fatalf("refresh: %d %v", c.Version(), err)
	}
	pk, err := index.NewPrimaryKey(c.Current(), "Metric")
	if err != nil {
		t.Fatal(err)
	}
	c.AddListener(func(u consumer.Update) { pk.Update(u.State) })
	good := c.Current()

	v3 := publish(t, p, m, 6, 3)
	// Corrupt the new delta in place (a store never overwrites, a disk may).
	path := filepath.Join(dir, blob.DeltaName(v2, v3))
	b, _ := os.ReadFile(path)
	for i := len(b) / 2; i < len(b); i++ {
		b[i] = 0xff
	}
	os.WriteFile(path, b, 0o644)
	if err := c.Refresh(ctx); err == nil {
		t.Fatal("corrupt delta accepted")
	}
	if c.Current() != good || c.Version() != v2 {
		t.Fatal("consumer dropped its last good state")
	}
	// Going back to v1 through the reverse delta still works, and the
	// index follows.
	if err := c.RefreshTo(ctx, v1); err != nil {
		t.Fatal(err)
	}
	o, ok, err := pk.Get("a")
	if err != nil || !ok {
		t.Fatalf("index lookup: %v %v", ok, err)
	}
	var got Metric
	if err := mapper.NewReader(pk.State()).Read(o, &got); err != nil || got.Value != 1 {
		t.Fatalf("index after reverse delta: %+v %v", got, err)
	}
}

func TestConcurrentReaders(t *testing.T) {
	ctx := context.Background()
	store, _ := blob.NewFS(t.TempDir())
	p := producer.New(store, producer.Config{NumStatesBetweenSnapshots: 2})
	m := mapper.New(p.Engine())
	publish(t, p, m, 3, 0)
	c := consumer.New(store, consumer.Config{})
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := mapper.All[Metric](c.Current()); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := 1; i < 20; i++ {
		publish(t, p, m, 3+i%4, int64(i))
		if err := c.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
}

func TestFollow(t *testing.T) {
	store, _ := blob.NewFS(t.TempDir())
	p := producer.New(store, producer.Config{})
	m := mapper.New(p.Engine())
	ctx, cancel := context.WithCancel(context.Background())
	var errs []error
	var mu sync.Mutex
	c := consumer.New(store, consumer.Config{OnError: func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() }})
	if err := c.Refresh(ctx); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("refresh before any announcement: %v", err)
	}
	done := make(chan error)
	go func() { done <- c.Follow(ctx, 5*time.Millisecond) }()
	for i := 1; i <= 3; i++ {
		v := publish(t, p, m, 2, int64(i))
		deadline := time.Now().Add(5 * time.Second)
		for c.Version() != v {
			if time.Now().After(deadline) {
				t.Fatalf("consumer did not reach version %d", v)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Follow returned %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, err := range errs {
		if !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Follow reported %v", err)
		}
	}
}

// TestLongChain: beyond MaxDeltas the consumer loads a snapshot, and from a
// snapshot it follows as many deltas as it takes.
func TestLongChain(t *testing.T) {
	ctx := context.Background()
	store, _ := blob.NewFS(t.TempDir())
	p := producer.New(store, producer.Config{NumStatesBetweenSnapshots: 8})
	m := mapper.New(p.Engine())
	var versions []int64
	for i := 0; i < 12; i++ {
		versions = append(versions, publish(t, p, m, 2, int64(i)))
	}
	c := consumer.New(store, consumer.Config{MaxDeltas: 3})
	var snaps []bool
	c.AddListener(func(u consumer.Update) { snaps = append(snaps, u.Snapshot) })
	// Version 8 is 8 deltas after the first snapshot.
	if err := c.RefreshTo(ctx, versions[8]); err != nil {
		t.Fatal(err)
	}
	if err := c.RefreshTo(ctx, versions[10]); err != nil { // 2 deltas: followed
		t.Fatal(err)
	}
	if err := c.RefreshTo(ctx, versions[2]); err != nil { // 8 reverse deltas: a snapshot
		t.Fatal(err)
	}
	if want := []bool{true, false, true}; len(snaps) != 3 || snaps[0] != want[0] || snaps[1] != want[1] || snaps[2] != want[2] {
		t.Fatalf("snapshot loads %v, want %v", snaps, want)
	}
	got, _ := mapper.All[Metric](c.Current())
	if len(got) != 2 || got[0].Value != 2 {
		t.Fatalf("state at version 2: %+v", got)
	}
}
