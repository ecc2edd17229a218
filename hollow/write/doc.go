// Package write is Hollow's write state engine and blob writer. Records are
// added each cycle; identical records share one ordinal, an unchanged record
// keeps its ordinal from cycle to cycle, and an ordinal freed in one cycle is
// reused only in a later one, so Java consumers can follow the deltas.
//
// A cycle ends by writing any of a snapshot, a delta (previous → current
// state) and a reverse delta (current → previous). Bit widths and totals
// cover the previous and the current state, as Java's writer does, which is
// what keeps values intact two deltas later. SET and MAP elements are placed
// in buckets exactly as Java places them, hash keys included, so Java's
// lookups find them.
package write
