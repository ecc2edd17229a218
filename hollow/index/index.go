package index

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
)

// ErrArity means a lookup gave a different number of values than the
// index has fields.
var ErrArity = errors.New("wrong number of key values")

type built struct {
	state  *read.State
	m      map[string][]int
	ftypes []schema.FieldType
}

// Hash maps field values to the ordinals of every record holding them. It
// is safe for concurrent use; Update swaps in a rebuilt index atomically.
type Hash struct {
	typ    string
	paths  []string
	unique bool
	cur    atomic.Pointer[built]
}

// NewHash indexes typ by the given field paths.
func NewHash(s *read.State, typ string, paths ...string) (*Hash, error) {
	h := &Hash{typ: typ, paths: paths}
	if err := h.Update(s); err != nil {
		return nil, err
	}
	return h, nil
}

// NewPrimaryKey indexes typ by paths, or by its schema's primary key when
// none are given. Lookups return the one matching record.
func NewPrimaryKey(s *read.State, typ string, paths ...string) (*Hash, error) {
	if len(paths) == 0 {
		t := s.Type(typ)
		if t == nil || len(t.Schema().PrimaryKey) == 0 {
			return nil, fmt.Errorf("index %s: no primary key", typ)
		}
		paths = t.Schema().PrimaryKey
	}
	h := &Hash{typ: typ, paths: paths, unique: true}
	if err := h.Update(s); err != nil {
		return nil, err
	}
	return h, nil
}

// Update rebuilds the index over a new state, e.g. from a consumer
// listener; lookups keep using the old one until it is ready.
func (h *Hash) Update(s *read.State) error {
	t := s.Type(h.typ)
	if t == nil {
		return fmt.Errorf("index %s: type not in state", h.typ)
	}
	steps := make([][]step, len(h.paths))
	ftypes := make([]schema.FieldType, len(h.paths))
	for i, p := range h.paths {
		var err error
		if steps[i], ftypes[i], err = resolve(s, h.typ, p); err != nil {
			return fmt.Errorf("index %s: %w", h.typ, err)
		}
	}
	m := make(map[string][]int, t.Count())
	var b []byte
	for o := range t.Ordinals() {
		b = b[:0]
		for _, st := range steps {
			b, _ = appendValue(b, st, o)
		}
		m[string(b)] = append(m[string(b)], o)
	}
	h.cur.Store(&built{state: s, m: m, ftypes: ftypes})
	return nil
}

// State is the state the index currently covers.
func (h *Hash) State() *read.State { return h.cur.Load().state }

// Find returns the ordinals of records whose key fields equal values
// (int32/int64/int for INT, LONG and references, bool, float32, float64,
// string, []byte, nil for null).
func (h *Hash) Find(values ...any) ([]int, error) {
	if len(values) != len(h.paths) {
		return nil, fmt.Errorf("find in %s: %d values for %d fields: %w", h.typ, len(values), len(h.paths), ErrArity)
	}
	cur := h.cur.Load()
	var b []byte
	for i, v := range values {
		var err error
		if b, err = appendQuery(b, cur.ftypes[i], v); err != nil {
			return nil, fmt.Errorf("find in %s: %w", h.typ, err)
		}
	}
	return cur.m[string(b)], nil
}

// Get returns the one record matching values, for a primary-key index.
func (h *Hash) Get(values ...any) (int, bool, error) {
	os, err := h.Find(values...)
	if err != nil || len(os) == 0 {
		return -1, false, err
	}
	return os[0], true, nil
}
