// Package dataset is keascope's metrics dataset in Hollow: the schema of the
// server, interval, error-event and subnet records (docs/metrics.md), the
// mapping between metrics.Interval and those records in both directions, and
// the rolling window the current state holds.
package dataset
