package consumer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/read"
)

// Source is what a consumer reads: blobs and the announcement.
type Source interface {
	blob.Retriever
	Announced(ctx context.Context) (int64, error)
}

// Config tunes a Consumer. Zero values are fine.
type Config struct {
	// MaxDeltas is the longest delta chain followed before loading a fresh
	// snapshot instead (32 when zero).
	MaxDeltas int
	// OnError receives errors Follow meets; Follow keeps polling.
	OnError func(error)
}

// Consumer holds the current version of a dataset.
type Consumer struct {
	src Source
	cfg Config

	mu        sync.RWMutex // guards state, version, listeners
	state     *read.State
	version   int64
	listeners []func(Update)

	refresh sync.Mutex // one refresh at a time
}

// New returns a consumer with no state; call Refresh or Follow.
func New(src Source, cfg Config) *Consumer {
	if cfg.MaxDeltas <= 0 {
		cfg.MaxDeltas = 32
	}
	return &Consumer{src: src, cfg: cfg}
}

// Current is the current state, nil before the first refresh. It never
// changes: a refresh replaces it.
func (c *Consumer) Current() *read.State {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.state
}

// Version is the current version, 0 before the first refresh.
func (c *Consumer) Version() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.version
}

// AddListener registers fn to be told of every new version, in order, on
// the goroutine that refreshed.
func (c *Consumer) AddListener(fn func(Update)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listeners = append(c.listeners, fn)
}

// Refresh moves to the announced version.
func (c *Consumer) Refresh(ctx context.Context) error {
	v, err := c.src.Announced(ctx)
	if err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	return c.RefreshTo(ctx, v)
}

// Follow refreshes now and then every interval until ctx ends, which it
// returns. Errors go to Config.OnError and do not stop it.
func (c *Consumer) Follow(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := c.Refresh(ctx); err != nil && ctx.Err() == nil && c.cfg.OnError != nil {
			c.cfg.OnError(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// RefreshTo moves to version v. On failure the current state stays.
func (c *Consumer) RefreshTo(ctx context.Context, v int64) error {
	c.refresh.Lock()
	defer c.refresh.Unlock()
	old, oldV := c.Current(), c.Version()
	if old != nil && v == oldV {
		return nil
	}
	var p plan
	var err error
	if old != nil {
		p, err = c.follow(ctx, old, oldV, v, c.cfg.MaxDeltas)
	}
	if old == nil || err != nil {
		var serr error
		p, serr = c.fromSnapshot(ctx, v)
		if serr != nil {
			return fmt.Errorf("refresh to version %d: %w", v, errors.Join(err, serr))
		}
	}
	u := Update{Version: v, Previous: oldV, State: p.state, Old: old, Snapshot: p.snapshot}
	u.Changes = changes(old, p)
	c.mu.Lock()
	c.state, c.version = p.state, v
	ls := append([]func(Update){}, c.listeners...)
	c.mu.Unlock()
	for _, fn := range ls {
		fn(u)
	}
	return nil
}

// plan is the outcome of moving between versions.
type plan struct {
	state    *read.State
	snapshot bool                   // a snapshot was loaded
	steps    int                    // deltas applied
	last     map[string]read.Change // changes of the only delta, when steps == 1
}

func (c *Consumer) fetch(ctx context.Context, name string) ([]byte, error) {
	rc, err := c.src.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", name, err)
	}
	return b, nil
}

// follow walks deltas (forward) or reverse deltas (backward) from version
// from to version to, at most maxSteps of them.
func (c *Consumer) follow(ctx context.Context, s *read.State, from, to int64, maxSteps int) (plan, error) {
	p := plan{state: s}
	kind := blob.Delta
	if to < from {
		kind = blob.ReverseDelta
	}
	for cur := from; cur != to; {
		if p.steps >= maxSteps {
			return p, fmt.Errorf("delta chain longer than %d", maxSteps)
		}
		names, err := c.src.List(ctx, string(kind)+"-"+fmt.Sprint(cur)+"-")
		if err != nil {
			return p, err
		}
		next, name := int64(-1), ""
		for _, n := range names {
			bn, ok := blob.ParseName(n)
			if !ok || bn.Kind != kind || bn.From != cur {
				continue
			}
			if (kind == blob.Delta && bn.To <= to && bn.To > next) || (kind == blob.ReverseDelta && bn.To >= to && (next < 0 || bn.To < next)) {
				next, name = bn.To, n
			}
		}
		if name == "" {
			return p, fmt.Errorf("no %s from version %d: %w", kind, cur, blob.ErrNotFound)
		}
		b, err := c.fetch(ctx, name)
		if err != nil {
			return p, err
		}
		ns, ch, err := p.state.ApplyDeltaChanges(b)
		if err != nil {
			return p, fmt.Errorf("apply %s: %w", name, err)
		}
		p.state, p.last = ns, ch
		p.steps++
		cur = next
	}
	return p, nil
}

// fromSnapshot loads the newest snapshot at or before v and follows deltas
// to v.
func (c *Consumer) fromSnapshot(ctx context.Context, v int64) (plan, error) {
	names, err := c.src.List(ctx, string(blob.Snapshot)+"-")
	if err != nil {
		return plan{}, err
	}
	best, name := int64(-1), ""
	for _, n := range names {
		if bn, ok := blob.ParseName(n); ok && bn.Kind == blob.Snapshot && bn.To <= v && bn.To > best {
			best, name = bn.To, n
		}
	}
	if name == "" {
		return plan{}, fmt.Errorf("no snapshot at or before version %d: %w", v, blob.ErrNotFound)
	}
	b, err := c.fetch(ctx, name)
	if err != nil {
		return plan{}, err
	}
	s, err := read.ParseSnapshot(b)
	if err != nil {
		return plan{}, fmt.Errorf("load %s: %w", name, err)
	}
	// From a snapshot the deltas are the only way on, however many.
	p, err := c.follow(ctx, s, best, v, math.MaxInt)
	p.snapshot = true
	return p, err
}

// Load reads version v of a store without keeping a consumer: what a
// producer restoring its chain or a tool needs.
func Load(ctx context.Context, src Source, v int64) (*read.State, error) {
	c := New(src, Config{})
	if err := c.RefreshTo(ctx, v); err != nil {
		return nil, err
	}
	return c.Current(), nil
}
