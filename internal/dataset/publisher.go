package dataset

import (
	"context"
	"fmt"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/producer"
	"github.com/keascope/keascope/hollow/write"
	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/metrics"
)

// PublisherConfig tunes a Publisher; zero values take the defaults.
type PublisherConfig struct {
	Host          string
	FineSpan      time.Duration // default 1 h
	MinuteSpan    time.Duration // default 24 h
	SnapshotEvery int           // a snapshot every N versions, default 60
	Now           func() time.Time
}

// Publisher publishes one Hollow version per interval: the rolling window
// after adding it. It is not safe for concurrent use.
type Publisher struct {
	cfg    PublisherConfig
	prod   *producer.Producer
	window *Window
	// trees remembers, per interval record, every record its encoding
	// added, so a later cycle retains them instead of encoding again.
	trees map[treeKey][]record
}

type treeKey struct {
	res string
	end int64
}

// NewPublisher opens the producer on store and restores the announced
// version, if any, so the chain and the window continue where they were.
func NewPublisher(ctx context.Context, store blob.Store, cfg PublisherConfig) (*Publisher, error) {
	if cfg.FineSpan <= 0 {
		cfg.FineSpan = time.Hour
	}
	if cfg.MinuteSpan <= 0 {
		cfg.MinuteSpan = 24 * time.Hour
	}
	if cfg.SnapshotEvery <= 0 {
		cfg.SnapshotEvery = 60
	}
	between := cfg.SnapshotEvery - 1
	if between == 0 {
		between = -1 // the producer's "snapshot every state"; 0 means its default
	}
	prod := producer.New(store, producer.Config{NumStatesBetweenSnapshots: between, Now: cfg.Now})
	for _, s := range Schemas() {
		if err := prod.Engine().AddType(s); err != nil {
			return nil, fmt.Errorf("declare dataset: %w", err)
		}
	}
	p := &Publisher{cfg: cfg, prod: prod, window: NewWindow(cfg.FineSpan, cfg.MinuteSpan), trees: map[treeKey][]record{}}
	v, err := prod.Restore(ctx)
	if err != nil {
		return nil, fmt.Errorf("open publisher: %w", err)
	}
	if v != 0 {
		c, err := Decode(prod.State())
		if err != nil {
			return nil, fmt.Errorf("open publisher: restore version %d: %w", v, err)
		}
		p.window.Restore(c.Fine, c.Minutes)
	}
	return p, nil
}

// Version is the last published version (0 before the first).
func (p *Publisher) Version() int64 { return p.prod.Version() }

// Window is the data of the current state.
func (p *Publisher) Window() *Window { return p.window }

// Publish adds iv to the window and publishes the new state. On error
// nothing is announced, the interval stays in the window, and the next
// Publish includes it.
func (p *Publisher) Publish(ctx context.Context, iv *metrics.Interval, info dashboard.ServerInfo) (int64, error) {
	p.window.Add(iv)
	var fresh []treeKey
	v, err := p.prod.RunCycle(ctx, func(w *write.StateEngine) error {
		host := info.Host
		if host == "" {
			host = p.cfg.Host
		}
		w.SetHeaderTag(TagServer, host)
		w.SetHeaderTag(TagSchema, SchemaVersion)
		keep := make(map[treeKey]bool, len(p.window.fine)+len(p.window.minutes))
		for _, x := range []struct {
			res string
			ivs []*metrics.Interval
		}{{Fine, p.window.fine}, {Minute, p.window.minutes}} {
			for _, iv := range x.ivs {
				k := treeKey{x.res, iv.End.UnixMicro()}
				keep[k] = true
				if tree, ok := p.trees[k]; ok {
					for _, r := range tree {
						if err := w.Retain(r.typ, r.ord); err != nil {
							return err
						}
					}
					continue
				}
				e := &encoder{w: w}
				e.interval(x.res, iv)
				if e.err != nil {
					return fmt.Errorf("encode interval ending %v: %w", iv.End, e.err)
				}
				p.trees[k] = e.tree
				fresh = append(fresh, k)
			}
		}
		for k := range p.trees {
			if !keep[k] {
				delete(p.trees, k)
			}
		}
		if err := p.addServer(w, info); err != nil {
			return err
		}
		return p.addEvents(w)
	})
	if err != nil {
		// The engine went back to the last announced state: ordinals the
		// failed cycle handed out are void.
		for _, k := range fresh {
			delete(p.trees, k)
		}
		return v, err
	}
	return v, nil
}

func (p *Publisher) addServer(w *write.StateEngine, info dashboard.ServerInfo) error {
	host := info.Host
	if host == "" {
		host = p.cfg.Host
	}
	_, err := w.Add(w.NewObject(TServer).SetString("host", host).SetString("keaVersion", info.KeaVersion).
		SetInt("pid", int32(info.PID)).SetString("socketMode", info.SocketMode).SetInt("threads", int32(info.Threads)).
		SetString("storeMode", info.StoreMode).SetString("source", string(info.Source)))
	if err != nil {
		return fmt.Errorf("add server record: %w", err)
	}
	return nil
}

// addEvents totals exceptions and Kea log ids over the fine window: the
// errors view lists them without scanning every interval.
func (p *Publisher) addEvents(w *write.StateEngine) error {
	type key struct{ kind, key string }
	type agg struct {
		n           uint64
		first, last time.Time
	}
	tot := map[key]*agg{}
	var order []key
	note := func(k key, n uint64, at time.Time) {
		a := tot[k]
		if a == nil {
			a = &agg{first: at}
			tot[k] = a
			order = append(order, k)
		}
		a.n += n
		a.last = at
	}
	for _, iv := range p.window.fine {
		for _, c := range iv.Errors.Exceptions {
			note(key{"exception", c.Key}, c.Count, iv.End)
		}
		for _, c := range iv.Errors.LogMessages {
			note(key{"log", c.Key}, c.Count, iv.End)
		}
	}
	for _, k := range order {
		a := tot[k]
		if _, err := w.Add(w.NewObject(TErrorEvent).SetString("kind", k.kind).SetString("key", k.key).
			SetLong("count", int64(a.n)).SetLong("firstSeen", a.first.UnixMicro()).SetLong("lastSeen", a.last.UnixMicro())); err != nil {
			return fmt.Errorf("add error event: %w", err)
		}
	}
	return nil
}
