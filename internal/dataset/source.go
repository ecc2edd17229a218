package dataset

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/metrics"
)

// Store is what a Source reads of one server's Hollow store.
type Store interface {
	consumer.Source
}

// Source is the dashboard's view of one or more servers' stores: a Hollow
// consumer per server following its announcements. It keeps serving the
// last good state when a refresh fails. It implements dashboard.Source.
type Source struct {
	// Poll is how often announcements are checked (default 250 ms, so a
	// new version reaches browsers well within a second).
	Poll time.Duration
	// Discover lists the stores to follow by name; called at start and
	// every DiscoverEvery, so servers that start publishing later appear.
	Discover      func(ctx context.Context) (map[string]Store, error)
	DiscoverEvery time.Duration

	mu       sync.Mutex
	feeds    map[string]*feed
	watchers map[chan dashboard.Update]struct{}
	lastErr  error
}

type feed struct {
	name  string
	store Store
	cons  *consumer.Consumer

	mu      sync.Mutex
	decoded *dashboard.Snapshot // latest, decoded once per version
	cache   Cache               // intervals already decoded for an earlier version
	history map[int64]*dashboard.Snapshot
	order   []int64 // history keys, oldest first
}

// historyCache bounds the decoded older versions kept for time travel.
const historyCache = 8

// Run follows every store until ctx ends.
func (s *Source) Run(ctx context.Context) error {
	if s.Poll <= 0 {
		s.Poll = 250 * time.Millisecond
	}
	if s.DiscoverEvery <= 0 {
		s.DiscoverEvery = 10 * time.Second
	}
	s.discover(ctx)
	poll := time.NewTicker(s.Poll)
	defer poll.Stop()
	disc := time.NewTicker(s.DiscoverEvery)
	defer disc.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-disc.C:
			s.discover(ctx)
		case <-poll.C:
			if s.empty() {
				// Nothing published yet: look again at poll speed, so the
				// first version shows within a second, not a discovery period.
				s.discover(ctx)
			}
			s.refreshAll(ctx)
		}
	}
}

func (s *Source) discover(ctx context.Context) {
	stores, err := s.Discover(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.lastErr = err
		return
	}
	if s.feeds == nil {
		s.feeds = map[string]*feed{}
	}
	for name, st := range stores {
		if _, ok := s.feeds[name]; !ok {
			s.feeds[name] = &feed{name: name, store: st, cons: consumer.New(st, consumer.Config{}), history: map[int64]*dashboard.Snapshot{}}
		}
	}
}

func (s *Source) empty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.feeds) == 0
}

func (s *Source) refreshAll(ctx context.Context) {
	s.mu.Lock()
	feeds := make([]*feed, 0, len(s.feeds))
	for _, f := range s.feeds {
		feeds = append(feeds, f)
	}
	s.mu.Unlock()
	var errs []error
	for _, f := range feeds {
		before := f.cons.Version()
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := f.cons.Refresh(rctx)
		cancel()
		if err != nil {
			if !errors.Is(err, blob.ErrNotFound) || before != 0 {
				errs = append(errs, fmt.Errorf("refresh %s: %w", f.name, err))
			}
			continue
		}
		if v := f.cons.Version(); v != before {
			s.notify(dashboard.Update{Server: f.name, Version: v})
		}
	}
	s.mu.Lock()
	s.lastErr = errors.Join(errs...)
	s.mu.Unlock()
}

func (s *Source) notify(u dashboard.Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.watchers {
		select {
		case ch <- u:
		default: // a slow watcher re-reads Latest; no data is lost
		}
	}
}

// Err is the last refresh error (nil when every store refreshed).
func (s *Source) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

// Servers lists the servers that have published at least one version.
func (s *Source) Servers(ctx context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for name, f := range s.feeds {
		if f.cons.Version() != 0 {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	if len(out) == 0 && s.lastErr != nil {
		return nil, s.lastErr
	}
	return out, nil
}

func (s *Source) feed(name string) (*feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.feeds[name]
	if f == nil || f.cons.Version() == 0 {
		return nil, fmt.Errorf("server %q: %w", name, dashboard.ErrUnknownServer)
	}
	return f, nil
}

// Latest decodes the server's current version (once per version).
func (s *Source) Latest(ctx context.Context, server string) (*dashboard.Snapshot, error) {
	f, err := s.feed(server)
	if err != nil {
		return nil, err
	}
	state, v := f.cons.Current(), f.cons.Version()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.decoded != nil && f.decoded.Version == v {
		return f.decoded, nil
	}
	c, err := f.cache.Decode(state)
	if err != nil {
		return nil, fmt.Errorf("decode %s version %d: %w", server, v, err)
	}
	f.decoded = toSnapshot(server, v, c)
	return f.decoded, nil
}

// At loads and decodes a retained older version.
func (s *Source) At(ctx context.Context, server string, version int64) (*dashboard.Snapshot, error) {
	f, err := s.feed(server)
	if err != nil {
		return nil, err
	}
	if version == f.cons.Version() {
		return s.Latest(ctx, server)
	}
	f.mu.Lock()
	if snap, ok := f.history[version]; ok {
		f.mu.Unlock()
		return snap, nil
	}
	f.mu.Unlock()
	state, err := consumer.Load(ctx, f.store, version)
	if err != nil {
		if errors.Is(err, blob.ErrNotFound) {
			return nil, fmt.Errorf("version %d of %s: %w", version, server, dashboard.ErrUnknownVersion)
		}
		return nil, fmt.Errorf("load %s version %d: %w", server, version, err)
	}
	c, err := Decode(state)
	if err != nil {
		return nil, fmt.Errorf("decode %s version %d: %w", server, version, err)
	}
	snap := toSnapshot(server, version, c)
	f.mu.Lock()
	f.history[version] = snap
	f.order = append(f.order, version)
	if len(f.order) > historyCache {
		delete(f.history, f.order[0])
		f.order = f.order[1:]
	}
	f.mu.Unlock()
	return snap, nil
}

// Versions lists the versions the store retains (one header blob each),
// oldest first, up to the current one.
func (s *Source) Versions(ctx context.Context, server string) ([]dashboard.VersionInfo, error) {
	f, err := s.feed(server)
	if err != nil {
		return nil, err
	}
	names, err := f.store.List(ctx, "header-")
	if err != nil {
		return nil, fmt.Errorf("list versions of %s: %w", server, err)
	}
	cur := f.cons.Version()
	var out []dashboard.VersionInfo
	for _, n := range names {
		v, err := strconv.ParseInt(strings.TrimPrefix(n, "header-"), 10, 64)
		if err != nil || v > cur {
			continue
		}
		out = append(out, dashboard.VersionInfo{Version: v, Published: VersionTime(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Watch reports new versions until ctx ends.
func (s *Source) Watch(ctx context.Context) <-chan dashboard.Update {
	ch := make(chan dashboard.Update, 16)
	s.mu.Lock()
	if s.watchers == nil {
		s.watchers = map[chan dashboard.Update]struct{}{}
	}
	s.watchers[ch] = struct{}{}
	s.mu.Unlock()
	go func() {
		<-ctx.Done()
		s.mu.Lock()
		delete(s.watchers, ch)
		s.mu.Unlock()
	}()
	return ch
}

// VersionTime reads the UTC time a version was minted at
// (yyyyMMddHHmmss + a 3-digit counter); zero if it is not of that form.
func VersionTime(v int64) time.Time {
	t, err := time.Parse("20060102150405", strconv.FormatInt(v/1000, 10))
	if err != nil {
		return time.Time{}
	}
	return t
}

func toSnapshot(server string, v int64, c *Contents) *dashboard.Snapshot {
	deref := func(l []*metrics.Interval) []metrics.Interval {
		out := make([]metrics.Interval, len(l))
		for i, iv := range l {
			out[i] = *iv
		}
		return out
	}
	return &dashboard.Snapshot{
		Server: server, Version: v, Published: VersionTime(v),
		Info: dashboard.ServerInfo{Host: c.Server.Host, KeaVersion: c.Server.KeaVersion, PID: c.Server.PID,
			SocketMode: c.Server.SocketMode, Threads: c.Server.Threads, StoreMode: c.Server.StoreMode, Source: c.Server.Source},
		Intervals: deref(c.Fine),
		Minutes:   deref(c.Minutes),
	}
}
