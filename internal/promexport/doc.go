// Package promexport exposes keascope's measurements to Prometheus.
//
// Names follow ISC Stork's and kea-exporter's (kea_dhcp4_packets_received_total
// {operation=...}, kea_dhcp4_addresses_assigned_total{subnet,subnet_id}, ...)
// so existing dashboards and alerts keep working, and add what they cannot
// see from Kea's counters: per-packet latency and phase histograms, Kea's CPU
// and memory, and keascope's own health.
//
// The Exporter is a prometheus.Collector fed one metrics.Interval at a time;
// counters accumulate the intervals' increments, so a scrape between two
// intervals sees consistent totals.
package promexport
