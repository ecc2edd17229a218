// Package sample generates synthetic, clearly labelled metrics intervals:
// a diurnal load with a DORA mix, NAKs, occasional exceptions, latencies with
// a tail, Kea CPU and memory, and subnets filling up. Every interval it makes
// carries metrics.SourceSample, so no consumer can mistake it for a
// measurement. The monitor's `--source sample` and the dashboard's demo and
// tests use it when no Kea can be measured.
package sample
