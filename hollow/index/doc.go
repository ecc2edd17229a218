// Package index finds Hollow records by value: a primary-key index (one
// record per key) and a hash index (every record with the given field
// values), built over a read state. Key paths follow references
// ("name.value"), and a path ending on a reference to a one-field type
// continues into that field, as Java's key paths do.
package index
