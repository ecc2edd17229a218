package schema

import (
	"fmt"
	"slices"
)

// Kind is the shape of a Hollow type.
type Kind uint8

// The four kinds of Hollow types.
const (
	Object Kind = iota
	List
	Set
	Map
)

func (k Kind) String() string {
	switch k {
	case Object:
		return "OBJECT"
	case List:
		return "LIST"
	case Set:
		return "SET"
	case Map:
		return "MAP"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// FieldType is the type of an OBJECT field.
type FieldType uint8

// The eight field types, in Java's enum order.
const (
	Reference FieldType = iota
	Int
	Long
	Boolean
	Float
	Double
	String
	Bytes
)

var fieldTypeNames = [...]string{"REFERENCE", "INT", "LONG", "BOOLEAN", "FLOAT", "DOUBLE", "STRING", "BYTES"}

func (t FieldType) String() string {
	if int(t) < len(fieldTypeNames) {
		return fieldTypeNames[t]
	}
	return fmt.Sprintf("FieldType(%d)", uint8(t))
}

// ParseFieldType maps Java's name of a field type to a FieldType.
func ParseFieldType(s string) (FieldType, bool) {
	for i, n := range fieldTypeNames {
		if n == s {
			return FieldType(i), true
		}
	}
	return 0, false
}

// Variable reports whether values of t live in the field's byte area.
func (t FieldType) Variable() bool { return t == String || t == Bytes }

// Field is one field of an OBJECT schema.
type Field struct {
	Name string
	Type FieldType
	Ref  string // referenced type name, for Reference fields
}

// Schema is a Hollow type's schema. Which fields matter depends on Kind.
type Schema struct {
	Kind Kind
	Name string

	Fields     []Field  // Object
	PrimaryKey []string // Object: field paths, nil without a key

	Element string   // List, Set: element type
	Key     string   // Map: key type
	Value   string   // Map: value type
	HashKey []string // Set, Map: field paths, nil without a hash key
}

// FieldIndex is the position of the named field, -1 if absent.
func (s *Schema) FieldIndex(name string) int {
	for i, f := range s.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Equal reports whether two schemas are the same.
func (s *Schema) Equal(o *Schema) bool {
	return s.Kind == o.Kind && s.Name == o.Name && slices.Equal(s.Fields, o.Fields) &&
		slices.Equal(s.PrimaryKey, o.PrimaryKey) && s.Element == o.Element && s.Key == o.Key &&
		s.Value == o.Value && slices.Equal(s.HashKey, o.HashKey) &&
		(s.PrimaryKey == nil) == (o.PrimaryKey == nil) && (s.HashKey == nil) == (o.HashKey == nil)
}

// Refs lists the type names this schema depends on.
func (s *Schema) Refs() []string {
	switch s.Kind {
	case Object:
		var out []string
		for _, f := range s.Fields {
			if f.Type == Reference {
				out = append(out, f.Ref)
			}
		}
		return out
	case List, Set:
		return []string{s.Element}
	case Map:
		return []string{s.Key, s.Value}
	}
	return nil
}

// Validate checks what a writer needs: a name, known types, references
// named, no duplicate fields.
func (s *Schema) Validate() error {
	if s.Name == "" {
		return fmt.Errorf("validate schema: empty type name")
	}
	switch s.Kind {
	case Object:
		seen := map[string]bool{}
		for _, f := range s.Fields {
			if seen[f.Name] {
				return fmt.Errorf("validate schema %s: duplicate field %q", s.Name, f.Name)
			}
			seen[f.Name] = true
			if f.Type > Bytes {
				return fmt.Errorf("validate schema %s: field %q has unknown type", s.Name, f.Name)
			}
			if f.Type == Reference && f.Ref == "" {
				return fmt.Errorf("validate schema %s: reference field %q names no type", s.Name, f.Name)
			}
		}
		if len(s.Fields) > 0x7fff {
			return fmt.Errorf("validate schema %s: too many fields", s.Name)
		}
	case List, Set:
		if s.Element == "" {
			return fmt.Errorf("validate schema %s: no element type", s.Name)
		}
	case Map:
		if s.Key == "" || s.Value == "" {
			return fmt.Errorf("validate schema %s: no key or value type", s.Name)
		}
	default:
		return fmt.Errorf("validate schema %s: unknown kind %d", s.Name, s.Kind)
	}
	return nil
}
