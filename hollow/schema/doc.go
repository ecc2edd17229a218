// Package schema describes Hollow types — OBJECT with its eight field
// types and optional primary key, LIST, SET and MAP with optional hash keys —
// and reads and writes them in the byte layout of Java's Hollow*Schema.writeTo.
package schema
