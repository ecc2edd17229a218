package mapper

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/keascope/keascope/hollow/schema"
)

// TypeNamer lets a struct choose its Hollow type name.
type TypeNamer interface{ HollowTypeName() string }

// field is how one struct field maps.
type field struct {
	index  []int
	name   string
	ftype  schema.FieldType
	ref    *typeInfo // for references
	nullok bool      // pointer: nil is null
}

// typeInfo is how one Go type maps to a Hollow type.
type typeInfo struct {
	goType reflect.Type
	schema schema.Schema
	fields []field   // OBJECT from a struct
	boxed  bool      // a boxed primitive: one field "value"
	elem   *typeInfo // LIST, SET element; MAP key
	value  *typeInfo // MAP value
}

var namerType = reflect.TypeFor[TypeNamer]()

// registry caches mappings by Go type.
type registry struct {
	byType map[reflect.Type]*typeInfo
	byName map[string]*typeInfo
}

func newRegistry() *registry {
	return &registry{byType: map[reflect.Type]*typeInfo{}, byName: map[string]*typeInfo{}}
}

// boxedNames are Java's names for boxed element types.
var boxedNames = map[reflect.Kind]struct {
	name string
	ft   schema.FieldType
}{
	reflect.String: {"String", schema.String}, reflect.Int32: {"Integer", schema.Int}, reflect.Int16: {"Integer", schema.Int},
	reflect.Int8: {"Integer", schema.Int}, reflect.Int64: {"Long", schema.Long}, reflect.Int: {"Long", schema.Long},
	reflect.Bool: {"Boolean", schema.Boolean}, reflect.Float32: {"Float", schema.Float}, reflect.Float64: {"Double", schema.Double},
}

func (r *registry) info(t reflect.Type) (*typeInfo, error) {
	if ti, ok := r.byType[t]; ok {
		return ti, nil
	}
	var ti *typeInfo
	var err error
	switch t.Kind() {
	case reflect.Pointer:
		return r.info(t.Elem())
	case reflect.Struct:
		ti, err = r.structInfo(t)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil, fmt.Errorf("map %s: []byte is a field, not a type", t)
		}
		var el *typeInfo
		if el, err = r.info(t.Elem()); err == nil {
			ti = &typeInfo{goType: t, elem: el, schema: schema.Schema{Kind: schema.List, Name: "ListOf" + el.schema.Name, Element: el.schema.Name}}
		}
	case reflect.Map:
		var k, v *typeInfo
		if k, err = r.info(t.Key()); err != nil {
			break
		}
		if t.Elem() == reflect.TypeFor[struct{}]() {
			ti = &typeInfo{goType: t, elem: k, schema: schema.Schema{Kind: schema.Set, Name: "SetOf" + k.schema.Name, Element: k.schema.Name}}
			break
		}
		if v, err = r.info(t.Elem()); err == nil {
			ti = &typeInfo{goType: t, elem: k, value: v, schema: schema.Schema{Kind: schema.Map, Name: "MapOf" + k.schema.Name + "To" + v.schema.Name, Key: k.schema.Name, Value: v.schema.Name}}
		}
	default:
		b, ok := boxedNames[t.Kind()]
		if !ok {
			return nil, fmt.Errorf("map %s: unsupported Go type", t)
		}
		ti = &typeInfo{goType: t, boxed: true, schema: schema.Schema{Kind: schema.Object, Name: b.name, Fields: []schema.Field{{Name: "value", Type: b.ft}}}}
	}
	if err != nil {
		return nil, err
	}
	if prev, ok := r.byName[ti.schema.Name]; ok && !prev.schema.Equal(&ti.schema) {
		return nil, fmt.Errorf("map %s: type name %s already maps %s differently", t, ti.schema.Name, prev.goType)
	}
	r.byType[t] = ti
	r.byName[ti.schema.Name] = ti
	return ti, nil
}

func (r *registry) structInfo(t reflect.Type) (*typeInfo, error) {
	name := t.Name()
	if t.Implements(namerType) {
		name = reflect.Zero(t).Interface().(TypeNamer).HollowTypeName()
	} else if reflect.PointerTo(t).Implements(namerType) {
		name = reflect.New(t).Interface().(TypeNamer).HollowTypeName()
	}
	if name == "" {
		return nil, fmt.Errorf("map %s: anonymous struct needs a HollowTypeName method", t)
	}
	ti := &typeInfo{goType: t, schema: schema.Schema{Kind: schema.Object, Name: name}}
	// Register before the fields so self-references terminate.
	r.byType[t] = ti
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("hollow")
		if tag == "-" {
			continue
		}
		fname, opts, _ := strings.Cut(tag, ",")
		if fname == "" {
			fname = lowerCamel(sf.Name)
		}
		inline := hasOpt(opts, "inline")
		f, err := r.fieldOf(sf.Type, inline)
		if err != nil {
			delete(r.byType, t)
			return nil, fmt.Errorf("map %s.%s: %w", t, sf.Name, err)
		}
		f.index, f.name = sf.Index, fname
		ti.fields = append(ti.fields, f)
		sfd := schema.Field{Name: fname, Type: f.ftype}
		if f.ref != nil {
			sfd.Ref = f.ref.schema.Name
		}
		ti.schema.Fields = append(ti.schema.Fields, sfd)
		if hasOpt(opts, "key") {
			ti.schema.PrimaryKey = append(ti.schema.PrimaryKey, fname)
		}
	}
	return ti, nil
}

func (r *registry) fieldOf(t reflect.Type, inline bool) (field, error) {
	f := field{}
	if t.Kind() == reflect.Pointer {
		f.nullok = true
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int32, reflect.Int16, reflect.Int8:
		f.ftype = schema.Int
	case reflect.Int64, reflect.Int:
		f.ftype = schema.Long
	case reflect.Bool:
		f.ftype = schema.Boolean
	case reflect.Float32:
		f.ftype = schema.Float
	case reflect.Float64:
		f.ftype = schema.Double
	case reflect.String:
		if inline {
			f.ftype = schema.String
			return f, nil
		}
		fallthrough
	default:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			f.ftype, f.nullok = schema.Bytes, true
			return f, nil
		}
		ref, err := r.info(t)
		if err != nil {
			return f, err
		}
		f.ftype, f.ref = schema.Reference, ref
		f.nullok = f.nullok || t.Kind() == reflect.Slice || t.Kind() == reflect.Map
	}
	return f, nil
}

func hasOpt(opts, want string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

// lowerCamel turns a Go field name into a Java-style one: Name → name,
// ID → id, HTTPCode → httpCode.
func lowerCamel(s string) string {
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		if !unicode.IsUpper(r[i]) {
			break
		}
		if i > 0 && i+1 < len(r) && unicode.IsLower(r[i+1]) {
			break
		}
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}
