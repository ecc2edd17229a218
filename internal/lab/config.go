package lab

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"sync/atomic"
	"time"
)

// Prefix starts every namespace and interface name a lab creates; Cleanup
// only ever touches names with this prefix.
const Prefix = "ksc-"

// The fixed addressing inside a lab. ServerIP and ClientIP share a /24 on
// the veth; the pool lies in the rest of the /15 so that it holds more than
// 10^5 leases without touching the two interface addresses.
const (
	ServerIP  = "198.18.0.1"
	ClientIP  = "198.18.0.2"
	ifPrefix  = 24
	Subnet    = "198.18.0.0/15"
	PoolRange = "198.18.1.0 - 198.19.255.254"
)

// DefaultStateDir is where running labs are registered.
const DefaultStateDir = "/run/keascope-lab"

// Config describes one lab. The zero value plus root is a working
// single-threaded udp lab with a generated name.
type Config struct {
	// Name identifies the lab: 1-8 characters [a-z0-9], so that
	// "ksc-<name>-s" fits Linux's 15-byte interface names. Empty picks a
	// unique one.
	Name string
	// SocketType is Kea's dhcp-socket-type: "udp" (default) or "raw".
	SocketType string
	// MultiThreading enables Kea's packet thread pool of Threads threads
	// (0: Kea picks) and QueueSize queued packets per thread (0: 64).
	MultiThreading bool
	Threads        int
	QueueSize      int
	// KeaBinary and PerfdhcpBinary default to kea-dhcp4 and perfdhcp on PATH.
	KeaBinary      string
	PerfdhcpBinary string
	// WorkDir holds Kea's configuration, log, control socket, pid and lock
	// files. Empty makes a temporary directory that Close removes.
	WorkDir string
	// StateDir is where the lab is registered for Cleanup and Attach;
	// empty means DefaultStateDir.
	StateDir string
	// ValidLifetime is the lease lifetime (default 4000 s).
	ValidLifetime time.Duration
	// LogSeverity is Kea's logging severity (default "WARN": INFO logs
	// every lease and slows Kea down under load).
	LogSeverity string
	// StartTimeout bounds the wait for Kea's control socket (default 10 s).
	StartTimeout time.Duration
}

var nameRE = regexp.MustCompile(`^[a-z0-9]{1,8}$`)

var seq atomic.Uint32

// withDefaults fills in defaults and checks the fields.
func (c Config) withDefaults() (Config, error) {
	if c.Name == "" {
		// pid and sequence in base 36: unique among concurrent processes
		// and among the labs of one test binary
		c.Name = strconv.FormatInt(int64(os.Getpid()%1679616), 36) + strconv.FormatInt(int64(seq.Add(1)%1296), 36)
	}
	if !nameRE.MatchString(c.Name) {
		return c, fmt.Errorf("lab name %q: use 1-8 characters a-z, 0-9 (interface names are limited to 15 bytes)", c.Name)
	}
	switch c.SocketType {
	case "":
		c.SocketType = "udp"
	case "udp", "raw":
	default:
		return c, fmt.Errorf("socket type %q: use udp or raw", c.SocketType)
	}
	if c.Threads < 0 || c.QueueSize < 0 {
		return c, fmt.Errorf("threads %d, queue size %d: must not be negative", c.Threads, c.QueueSize)
	}
	if c.QueueSize == 0 {
		c.QueueSize = 64
	}
	if c.KeaBinary == "" {
		c.KeaBinary = "kea-dhcp4"
	}
	if c.PerfdhcpBinary == "" {
		c.PerfdhcpBinary = "perfdhcp"
	}
	if c.StateDir == "" {
		c.StateDir = DefaultStateDir
	}
	if c.ValidLifetime == 0 {
		c.ValidLifetime = 4000 * time.Second
	}
	if c.LogSeverity == "" {
		c.LogSeverity = "WARN"
	}
	if c.StartTimeout == 0 {
		c.StartTimeout = 10 * time.Second
	}
	return c, nil
}

// ServerNS, ClientNS and the veth ends are all derived from the name.
func serverNS(name string) string    { return Prefix + name + "-s" }
func clientNS(name string) string    { return Prefix + name + "-c" }
func serverIface(name string) string { return Prefix + name + "-s" }
func clientIface(name string) string { return Prefix + name + "-c" }
