package mapper

import (
	"fmt"
	"reflect"

	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
)

// Reader fills Go values from a read state. Fields are matched by name;
// fields the state lacks keep their zero value.
type Reader struct {
	s   *read.State
	reg *registry
}

// NewReader reads from s.
func NewReader(s *read.State) *Reader { return &Reader{s: s, reg: newRegistry()} }

// Read fills *dst from record ordinal of the type dst's Go type maps to.
func (r *Reader) Read(ordinal int, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("read record: need a non-nil pointer, got %T", dst)
	}
	ti, err := r.reg.info(rv.Type().Elem())
	if err != nil {
		return fmt.Errorf("read record: %w", err)
	}
	return r.read(ti, ordinal, rv.Elem())
}

// All reads every record of T's type, in ordinal order.
func All[T any](s *read.State) ([]T, error) {
	r := NewReader(s)
	ti, err := r.reg.info(reflect.TypeFor[T]())
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	t := s.Type(ti.schema.Name)
	if t == nil {
		return nil, nil
	}
	out := make([]T, 0, t.Count())
	for o := range t.Ordinals() {
		var v T
		if err := r.read(ti, o, reflect.ValueOf(&v).Elem()); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (r *Reader) read(ti *typeInfo, o int, dst reflect.Value) error {
	t := r.s.Type(ti.schema.Name)
	if t == nil {
		return fmt.Errorf("read %s: type not in state", ti.schema.Name)
	}
	if !t.Has(o) {
		return fmt.Errorf("read %s: ordinal %d not populated", ti.schema.Name, o)
	}
	if dst.Kind() == reflect.Pointer {
		dst.Set(reflect.New(dst.Type().Elem()))
		dst = dst.Elem()
	}
	switch {
	case ti.boxed:
		if t.Schema().Kind != schema.Object || len(t.Schema().Fields) == 0 {
			return fmt.Errorf("read %s: not a one-field OBJECT type", ti.schema.Name)
		}
		return setValue(dst, t.Value(o, 0))
	case dst.Kind() == reflect.Struct:
		for _, f := range ti.fields {
			fi := t.Schema().FieldIndex(f.name)
			if fi < 0 {
				continue
			}
			fv := dst.FieldByIndex(f.index)
			v := t.Value(o, fi)
			if v == nil {
				fv.SetZero()
				continue
			}
			if f.ref != nil {
				ord, isRef := v.(int)
				if !isRef {
					return fmt.Errorf("read %s.%s: state field is not a reference", ti.schema.Name, f.name)
				}
				if err := r.read(f.ref, ord, fv); err != nil {
					return err
				}
				continue
			}
			if err := setValue(fv, v); err != nil {
				return fmt.Errorf("read %s.%s: %w", ti.schema.Name, f.name, err)
			}
		}
	case dst.Kind() == reflect.Slice:
		els := t.Elements(o)
		sl := reflect.MakeSlice(dst.Type(), len(els), len(els))
		for i, e := range els {
			if err := r.read(ti.elem, e, sl.Index(i)); err != nil {
				return err
			}
		}
		dst.Set(sl)
	case dst.Kind() == reflect.Map:
		mp := reflect.MakeMap(dst.Type())
		if t.Schema().Kind == schema.Set {
			for _, e := range t.Elements(o) {
				k := reflect.New(dst.Type().Key()).Elem()
				if err := r.read(ti.elem, e, k); err != nil {
					return err
				}
				mp.SetMapIndex(k, reflect.Zero(dst.Type().Elem()))
			}
		} else {
			for _, e := range t.Entries(o) {
				k := reflect.New(dst.Type().Key()).Elem()
				v := reflect.New(dst.Type().Elem()).Elem()
				if err := r.read(ti.elem, e[0], k); err != nil {
					return err
				}
				if err := r.read(ti.value, e[1], v); err != nil {
					return err
				}
				mp.SetMapIndex(k, v)
			}
		}
		dst.Set(mp)
	}
	return nil
}

// setValue stores a field value, refusing (not panicking on) a Go field
// whose kind does not fit the state's field type.
func setValue(dst reflect.Value, v any) error {
	if dst.Kind() == reflect.Pointer {
		if v == nil {
			dst.SetZero()
			return nil
		}
		dst.Set(reflect.New(dst.Type().Elem()))
		dst = dst.Elem()
	}
	ok := false
	switch x := v.(type) {
	case nil:
		dst.SetZero()
		ok = true
	case int32:
		if ok = dst.CanInt(); ok {
			dst.SetInt(int64(x))
		}
	case int64:
		if ok = dst.CanInt(); ok {
			dst.SetInt(x)
		}
	case bool:
		if ok = dst.Kind() == reflect.Bool; ok {
			dst.SetBool(x)
		}
	case float32:
		if ok = dst.CanFloat(); ok {
			dst.SetFloat(float64(x))
		}
	case float64:
		if ok = dst.CanFloat(); ok {
			dst.SetFloat(x)
		}
	case string:
		if ok = dst.Kind() == reflect.String; ok {
			dst.SetString(x)
		}
	case []byte:
		if ok = dst.Kind() == reflect.Slice && dst.Type().Elem().Kind() == reflect.Uint8; ok {
			dst.SetBytes(append([]byte{}, x...))
		}
	}
	if !ok {
		return fmt.Errorf("cannot store %T in %s", v, dst.Type())
	}
	return nil
}
