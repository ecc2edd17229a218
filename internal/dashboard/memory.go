package dashboard

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// MemorySource is a Source held in memory: tests and the `--sample` demo
// publish snapshots into it. It is safe for concurrent use. Published
// snapshots are shared with readers and must not be modified afterwards.
type MemorySource struct {
	retain int

	mu       sync.Mutex
	servers  map[string][]*Snapshot // retained versions, oldest first
	watchers map[chan Update]struct{}
	err      error
}

// NewMemorySource keeps the newest retain versions of each server (at least
// one).
func NewMemorySource(retain int) *MemorySource {
	return &MemorySource{
		retain:   max(retain, 1),
		servers:  map[string][]*Snapshot{},
		watchers: map[chan Update]struct{}{},
	}
}

// Publish stores snap as the server's next version (one more than the
// previous, or snap.Version if that is larger), stamps Published with the
// current time if it is zero, notifies watchers and returns the version.
func (m *MemorySource) Publish(server string, snap Snapshot) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	chain := m.servers[server]
	v := int64(1)
	if n := len(chain); n > 0 {
		v = chain[n-1].Version + 1
	}
	snap.Version = max(v, snap.Version)
	snap.Server = server
	if snap.Published.IsZero() {
		snap.Published = time.Now()
	}
	chain = append(chain, &snap)
	if len(chain) > m.retain {
		chain = append(chain[:0:0], chain[len(chain)-m.retain:]...)
	}
	m.servers[server] = chain
	for ch := range m.watchers {
		// A full channel means the watcher is behind; it re-reads
		// Latest anyway, so dropping a notification loses no data.
		select {
		case ch <- Update{Server: server, Version: snap.Version}:
		default:
		}
	}
	return snap.Version
}

// SetError makes every read fail with err until SetError(nil): a store
// that went away.
func (m *MemorySource) SetError(err error) {
	m.mu.Lock()
	m.err = err
	m.mu.Unlock()
}

// Servers lists the servers that published, sorted.
func (m *MemorySource) Servers(ctx context.Context) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return nil, m.err
	}
	out := make([]string, 0, len(m.servers))
	for s := range m.servers {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

func (m *MemorySource) chain(server string) ([]*Snapshot, error) {
	if m.err != nil {
		return nil, m.err
	}
	c, ok := m.servers[server]
	if !ok {
		return nil, fmt.Errorf("read %q: %w", server, ErrUnknownServer)
	}
	return c, nil
}

// Latest is the server's newest version.
func (m *MemorySource) Latest(ctx context.Context, server string) (*Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.chain(server)
	if err != nil {
		return nil, err
	}
	return c[len(c)-1], nil
}

// At is a retained version of the server.
func (m *MemorySource) At(ctx context.Context, server string, version int64) (*Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.chain(server)
	if err != nil {
		return nil, err
	}
	i := sort.Search(len(c), func(i int) bool { return c[i].Version >= version })
	if i == len(c) || c[i].Version != version {
		return nil, fmt.Errorf("read %q version %d: %w", server, version, ErrUnknownVersion)
	}
	return c[i], nil
}

// Versions lists the server's retained versions, oldest first.
func (m *MemorySource) Versions(ctx context.Context, server string) ([]VersionInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.chain(server)
	if err != nil {
		return nil, err
	}
	out := make([]VersionInfo, len(c))
	for i, s := range c {
		out[i] = VersionInfo{Version: s.Version, Published: s.Published}
	}
	return out, nil
}

// Watch reports each new version until ctx ends, then closes the channel.
func (m *MemorySource) Watch(ctx context.Context) <-chan Update {
	ch := make(chan Update, 256)
	m.mu.Lock()
	m.watchers[ch] = struct{}{}
	m.mu.Unlock()
	go func() {
		<-ctx.Done()
		m.mu.Lock()
		delete(m.watchers, ch)
		close(ch)
		m.mu.Unlock()
	}()
	return ch
}
