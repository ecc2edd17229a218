// Package canonical renders a Hollow read state as the canonical JSON the
// project's Java-written test vectors use: schemas, shard counts and records
// keyed by ordinal, with LONG as decimal strings, FLOAT/DOUBLE as raw IEEE
// bits in hex, BYTES as hex, references as ordinals, SETs sorted and MAP
// entries as sorted [key, value] pairs.
package canonical
