package producer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/canonical"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
	"github.com/keascope/keascope/hollow/write"
)

// Header tags Java's producer writes.
const (
	TagSchemaHash        = "hollow.schema.hash"
	TagToVersion         = "hollow.blob.to.version"
	TagChainCounter      = "hollow.delta.chain.version.counter"
	TagCycleStart        = "hollow.metric.cycle.start"
	TagPartitionedMap    = "hollow.partitioned.ordinal.map"
	defaultStatesBetween = 5
)

// ErrIntegrity means the blobs of a cycle do not agree with each other; the
// cycle published nothing.
var ErrIntegrity = errors.New("integrity check failed")

// Validator inspects the state a cycle is about to announce; an error stops
// the announcement.
type Validator func(s *read.State) error

// Config tunes a Producer. Zero values are fine.
type Config struct {
	// NumStatesBetweenSnapshots is how many delta-only states come between
	// two snapshots (Java's default, 5, when zero; negative: every state).
	NumStatesBetweenSnapshots int
	Validators                []Validator
	// CheckEveryCycle writes and compares a full snapshot in every cycle.
	// By default the comparison (snapshot == previous state + delta, and
	// back by the reverse delta) runs in the cycles that publish a
	// snapshot, so a cycle between them costs the change, not the dataset.
	CheckEveryCycle bool
	// Now is the clock versions are minted from; time.Now by default.
	Now func() time.Time
}

// Producer publishes the versions of one dataset. It is not safe for
// concurrent use.
type Producer struct {
	store         blob.Store
	cfg           Config
	engine        *write.StateEngine
	minter        minter
	version       int64       // last announced version, 0 before the first
	state         *read.State // the data of version
	counter       int64       // delta chain version counter
	untilSnapshot int         // states left before the next snapshot; 0: next one
}

// New returns a producer with a fresh write state engine; declare types on
// Engine() before the first cycle, or call Restore.
func New(store blob.Store, cfg Config) *Producer {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NumStatesBetweenSnapshots == 0 {
		cfg.NumStatesBetweenSnapshots = defaultStatesBetween
	}
	return &Producer{store: store, cfg: cfg, engine: write.NewStateEngine(), minter: minter{now: cfg.Now}}
}

// Engine is the write state engine, to declare types and shard counts.
func (p *Producer) Engine() *write.StateEngine { return p.engine }

// Version is the last announced version, 0 before the first.
func (p *Producer) Version() int64 { return p.version }

// State is the data of the last announced version, nil before the first.
func (p *Producer) State() *read.State { return p.state }

// Restore loads the announced version (snapshot plus deltas, as a consumer
// would) so the next cycle continues its chain. It returns the restored
// version, 0 when nothing was announced yet.
func (p *Producer) Restore(ctx context.Context) (int64, error) {
	v, err := p.store.Announced(ctx)
	if errors.Is(err, blob.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		// Stores with their own "not found" sentinel: a store without any
		// blob has nothing to restore either.
		if names, lerr := p.store.List(ctx, ""); lerr == nil && len(names) == 0 {
			return 0, nil
		}
		return 0, fmt.Errorf("restore: %w", err)
	}
	s, err := consumer.Load(ctx, p.store, v)
	if err != nil {
		return 0, fmt.Errorf("restore version %d: %w", v, err)
	}
	if err := p.engine.Restore(s); err != nil {
		return 0, fmt.Errorf("restore version %d: %w", v, err)
	}
	p.version, p.state = v, s
	p.counter, _ = strconv.ParseInt(s.HeaderTags()[TagChainCounter], 10, 64)
	p.minter.last = v
	p.untilSnapshot = 0 // Java publishes a snapshot first after a restore
	return v, nil
}

// RunCycle lets populate add the whole dataset to the engine, then
// publishes and announces a new version if anything changed. It returns the
// announced version (the previous one when nothing changed). On error the
// engine returns to the last announced state and nothing is announced.
func (p *Producer) RunCycle(ctx context.Context, populate func(w *write.StateEngine) error) (int64, error) {
	start := p.cfg.Now()
	prev := p.version
	if prev != 0 {
		p.engine.PrepareForNextCycle()
	}
	v, err := p.cycle(ctx, start, populate)
	if err != nil || v == prev {
		p.engine.ResetCycle()
		return p.version, err
	}
	return v, nil
}

func (p *Producer) cycle(ctx context.Context, start time.Time, populate func(w *write.StateEngine) error) (int64, error) {
	if err := populate(p.engine); err != nil {
		return 0, fmt.Errorf("populate: %w", err)
	}
	if p.version != 0 && !p.engine.HasChanges() {
		return p.version, nil
	}
	v := p.minter.mint()
	e := p.engine
	e.SetHeaderTag(TagToVersion, strconv.FormatInt(v, 10))
	e.SetHeaderTag(TagChainCounter, strconv.FormatInt(p.counter+1, 10))
	e.SetHeaderTag(TagCycleStart, strconv.FormatInt(start.UnixMilli(), 10))
	e.SetHeaderTag(TagPartitionedMap, "false")
	e.SetHeaderTag(TagSchemaHash, schemaHash(e))

	withSnapshot := p.version == 0 || p.untilSnapshot <= 0 || p.cfg.NumStatesBetweenSnapshots < 0
	var header, delta, reverse, snapshot bytes.Buffer
	if err := e.WriteHeader(&header); err != nil {
		return 0, err
	}
	if withSnapshot || p.cfg.CheckEveryCycle {
		if err := e.WriteSnapshot(&snapshot); err != nil {
			return 0, err
		}
	}
	if p.version != 0 {
		if err := e.WriteDelta(&delta); err != nil {
			return 0, err
		}
		if err := e.WriteReverseDelta(&reverse); err != nil {
			return 0, err
		}
	}
	var next *read.State
	var err error
	if snapshot.Len() > 0 {
		next, err = p.check(snapshot.Bytes(), delta.Bytes(), reverse.Bytes())
	} else {
		// Between snapshots the new state is the old one plus the delta, as
		// every consumer will build it; the full comparison runs with the
		// next snapshot and catches any disagreement accumulated until then.
		next, err = p.state.ApplyDeltaBytes(delta.Bytes())
		if err != nil {
			err = fmt.Errorf("%w: apply delta: %w", ErrIntegrity, err)
		}
	}
	if err != nil {
		return 0, err
	}
	for _, val := range p.cfg.Validators {
		if err := val(next); err != nil {
			return 0, fmt.Errorf("validate version %d: %w", v, err)
		}
	}
	type put struct {
		name string
		data []byte
	}
	// Java's publish order: a consumer that sees a blob finds the ones it
	// needs first.
	puts := []put{{blob.HeaderName(v), header.Bytes()}}
	if p.version != 0 {
		puts = append(puts, put{blob.DeltaName(p.version, v), delta.Bytes()},
			put{blob.ReverseDeltaName(v, p.version), reverse.Bytes()})
	}
	if withSnapshot {
		puts = append(puts, put{blob.SnapshotName(v), snapshot.Bytes()})
	}
	for _, b := range puts {
		if err := p.store.Put(ctx, b.name, bytes.NewReader(b.data), int64(len(b.data))); err != nil {
			return 0, fmt.Errorf("publish version %d: %w", v, err)
		}
	}
	if err := p.store.Announce(ctx, v); err != nil {
		return 0, fmt.Errorf("announce version %d: %w", v, err)
	}
	if withSnapshot {
		p.untilSnapshot = p.cfg.NumStatesBetweenSnapshots
	} else {
		p.untilSnapshot--
	}
	p.version, p.state = v, next
	p.counter++
	return v, nil
}

// check reads back what the cycle wrote: the snapshot must equal the
// previous state plus the delta, and the reverse delta must lead from the
// snapshot back to the previous state.
func (p *Producer) check(snapshot, delta, reverse []byte) (*read.State, error) {
	snap, err := read.ParseSnapshot(snapshot)
	if err != nil {
		return nil, fmt.Errorf("%w: read snapshot: %w", ErrIntegrity, err)
	}
	if p.state == nil {
		return snap, nil
	}
	fwd, err := p.state.ApplyDeltaBytes(delta)
	if err != nil {
		return nil, fmt.Errorf("%w: apply delta: %w", ErrIntegrity, err)
	}
	if canonical.Digest(fwd) != canonical.Digest(snap) {
		return nil, fmt.Errorf("%w: snapshot differs from previous state plus delta", ErrIntegrity)
	}
	back, err := snap.ApplyDeltaBytes(reverse)
	if err != nil {
		return nil, fmt.Errorf("%w: apply reverse delta: %w", ErrIntegrity, err)
	}
	if canonical.Digest(back) != canonical.Digest(p.state) {
		return nil, fmt.Errorf("%w: reverse delta does not lead back", ErrIntegrity)
	}
	// Keep the state built from the delta: it shares unchanged types with
	// the previous one.
	return fwd, nil
}

// schemaHash is Java's HollowSchemaHash: Hollow's murmur3 over the schemas'
// text, sorted by type name, in Java's string byte form.
func schemaHash(e *write.StateEngine) string {
	scs := e.Schemas()
	slices.SortFunc(scs, func(a, b schema.Schema) int { return strings.Compare(a.Name, b.Name) })
	var text strings.Builder
	for _, s := range scs {
		text.WriteString(s.Text())
	}
	b := encoding.AppendJavaString(nil, encoding.ToUTF16(text.String()))
	return strconv.FormatInt(int64(encoding.Murmur3(b, encoding.BytesHashSeed)), 10)
}
