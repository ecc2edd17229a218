// Package hollowcli implements `keascope hollow`: inspect, dump and diff
// Hollow blobs and blob store directories. Subcommands live in a table, so
// more (e.g. import) can be registered next to the built-in ones.
package hollowcli
