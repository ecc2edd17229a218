// Package mapper maps Go structs to Hollow types and back, like Java's
// HollowObjectMapper.
//
// A struct is an OBJECT type named after the Go type (or its
// HollowTypeName method). Fields are named in lower camel case unless a
// `hollow:"name"` tag says otherwise; `hollow:"-"` skips a field. Tag
// options: `inline` stores a string as a STRING field instead of a
// reference to the "String" type (Java's default), `key` puts the field in
// the type's primary key (in field order).
//
// Go types map as Java's do: int32/int16/int8 → INT, int64/int → LONG,
// bool → BOOLEAN, float32 → FLOAT, float64 → DOUBLE, string → reference to
// String (or STRING inline), []byte → BYTES, pointers to those → the same
// field, nullable; structs and pointers to structs → references; []T →
// reference to ListOfT; map[K]struct{} → SetOfK; map[K]V → MapOfKToV.
// Elements that are not structs become Java's boxed types (String,
// Integer, Long, Boolean, Float, Double: one field named "value").
//
// Strings cross between Go's UTF-8 and Java's UTF-16 exactly, including
// characters beyond the BMP.
package mapper
