package mapper

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/keascope/keascope/hollow/write"
)

// Mapper adds Go values to a write state engine.
type Mapper struct {
	w   *write.StateEngine
	reg *registry
}

// New returns a mapper writing into w.
func New(w *write.StateEngine) *Mapper {
	return &Mapper{w: w, reg: newRegistry()}
}

// Initialize declares the types a Go value's type maps to, so they exist
// even before any record is added.
func (m *Mapper) Initialize(v any) error {
	_, err := m.declare(reflect.TypeOf(v))
	return err
}

func (m *Mapper) declare(t reflect.Type) (*typeInfo, error) {
	ti, err := m.reg.info(t)
	if err != nil {
		return nil, err
	}
	return ti, m.declareInfo(ti, map[*typeInfo]bool{})
}

func (m *Mapper) declareInfo(ti *typeInfo, seen map[*typeInfo]bool) error {
	if seen[ti] {
		return nil
	}
	seen[ti] = true
	if err := m.w.AddType(ti.schema); err != nil {
		return err
	}
	for _, f := range ti.fields {
		if f.ref != nil {
			if err := m.declareInfo(f.ref, seen); err != nil {
				return err
			}
		}
	}
	for _, x := range []*typeInfo{ti.elem, ti.value} {
		if x != nil {
			if err := m.declareInfo(x, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// Add adds v (a struct, pointer to struct, slice, map or primitive) and
// everything it references, returning v's ordinal in its type.
func (m *Mapper) Add(v any) (int, error) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || (rv.Kind() == reflect.Pointer && rv.IsNil()) {
		return -1, fmt.Errorf("add record: nil value")
	}
	ti, err := m.declare(rv.Type())
	if err != nil {
		return -1, fmt.Errorf("add record: %w", err)
	}
	return m.add(ti, rv)
}

func (m *Mapper) add(ti *typeInfo, v reflect.Value) (int, error) {
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	s := &ti.schema
	switch {
	case ti.boxed:
		o := m.w.NewObject(s.Name)
		setField(o, "value", v)
		return m.w.Add(o)
	case ti.fields != nil || v.Kind() == reflect.Struct:
		o := m.w.NewObject(s.Name)
		for _, f := range ti.fields {
			fv := v.FieldByIndex(f.index)
			if f.nullok && fv.IsNil() {
				continue // unset fields are null
			}
			if f.ref != nil {
				r, err := m.add(f.ref, fv)
				if err != nil {
					return -1, err
				}
				o.SetRef(f.name, r)
				continue
			}
			if fv.Kind() == reflect.Pointer {
				fv = fv.Elem()
			}
			setField(o, f.name, fv)
		}
		return m.w.Add(o)
	case v.Kind() == reflect.Slice:
		els := make([]int, v.Len())
		for i := range els {
			r, err := m.add(ti.elem, v.Index(i))
			if err != nil {
				return -1, err
			}
			els[i] = r
		}
		return m.w.AddList(s.Name, els)
	case ti.value == nil: // a set from map[K]struct{}
		els := make([]int, 0, v.Len())
		for _, k := range v.MapKeys() {
			r, err := m.add(ti.elem, k)
			if err != nil {
				return -1, err
			}
			els = append(els, r)
		}
		return m.w.AddSet(s.Name, els)
	default:
		es := make([][2]int, 0, v.Len())
		it := v.MapRange()
		for it.Next() {
			k, err := m.add(ti.elem, it.Key())
			if err != nil {
				return -1, err
			}
			x, err := m.add(ti.value, it.Value())
			if err != nil {
				return -1, err
			}
			es = append(es, [2]int{k, x})
		}
		slices.SortFunc(es, func(a, b [2]int) int { return a[0] - b[0] })
		return m.w.AddMap(s.Name, es)
	}
}

func setField(o *write.Object, name string, v reflect.Value) {
	switch v.Kind() {
	case reflect.Int8, reflect.Int16, reflect.Int32:
		o.SetInt(name, int32(v.Int()))
	case reflect.Int, reflect.Int64:
		o.SetLong(name, v.Int())
	case reflect.Bool:
		o.SetBool(name, v.Bool())
	case reflect.Float32:
		o.SetFloat(name, float32(v.Float()))
	case reflect.Float64:
		o.SetDouble(name, v.Float())
	case reflect.String:
		o.SetString(name, v.String())
	case reflect.Slice:
		o.SetBytes(name, v.Bytes())
	}
}
