// Package dhcpwire builds and parses DHCPv4 messages (RFC 2131, 2132): the
// BOOTP header, the magic cookie and options. It exists to craft test
// traffic, malformed on purpose when needed, and to read Kea's answers.
// Parse is bounded by its input and never panics.
package dhcpwire
