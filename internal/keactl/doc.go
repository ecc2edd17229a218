// Package keactl is a client for Kea's unix control socket: it sends one
// JSON command per connection and decodes Kea's answer.
//
// It speaks to kea-dhcp4 directly (no kea-ctrl-agent): the socket path is
// the "socket-name" of the server's "control-socket" configuration.
package keactl
