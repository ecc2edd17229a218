// Package read is Hollow's read state engine: it loads snapshot blobs,
// applies deltas and reverse deltas, and gives generic access to records by
// type, ordinal and field.
//
// A State is immutable: applying a delta returns a new State that shares the
// types the delta did not touch. Any number of goroutines may read a State
// while a consumer builds the next one.
//
// Every count and length read from a blob is checked against the bytes that
// remain before anything is allocated from it, and errors name the type and
// the byte offset where the blob went wrong.
package read
