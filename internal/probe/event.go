package probe

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"time"

	"golang.org/x/sys/unix"

	"github.com/keascope/keascope/internal/metrics"
)

// Event is one packet (or one exception or log message) as --events prints
// it. Latency and phases are in microseconds.
type Event struct {
	Time       time.Time          `json:"ts"`
	Kind       string             `json:"kind"` // answered, dropped, malformed, exception, log_error, log_warn
	XID        uint32             `json:"xid,omitempty"`
	Chaddr     string             `json:"chaddr,omitempty"`
	Query      string             `json:"query,omitempty"`
	Response   string             `json:"response,omitempty"`
	LatencyUS  float64            `json:"latency_us,omitempty"`
	PhasesUS   map[string]float64 `json:"phases_us,omitempty"`
	DropReason string             `json:"drop_reason,omitempty"`
	Text       string             `json:"text,omitempty"` // exception message or log message id
	File       string             `json:"file,omitempty"`
	Line       int                `json:"line,omitempty"`
	TID        int                `json:"tid,omitempty"`
}

// clock converts bpf_ktime_get_ns (CLOCK_MONOTONIC) to wall time.
type clock struct{ offset time.Duration }

func newClock() clock {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return clock{offset: time.Duration(time.Now().UnixNano() - ts.Nano())}
}

func (c clock) wall(mono uint64) time.Time { return time.Unix(0, int64(mono)+int64(c.offset)) }

func (c clock) monoNow() uint64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return uint64(ts.Nano())
}

func cString(b []int8) string {
	buf := make([]byte, 0, len(b))
	for _, c := range b {
		if c == 0 {
			break
		}
		buf = append(buf, byte(c))
	}
	return string(buf)
}

func macString(b [6]uint8) string { return net.HardwareAddr(b[:]).String() }

// decodeEvent turns a ring buffer record into an Event.
func decodeEvent(raw []byte, c clock) (Event, error) {
	var e keascopeEvent
	if err := binary.Read(bytes.NewReader(raw), binary.LittleEndian, &e); err != nil {
		return Event{}, fmt.Errorf("decode event: %w", err)
	}
	out := Event{Time: c.wall(e.Ts), TID: int(e.Tid)}
	switch e.Kind {
	case evAnswered:
		out.Kind = "answered"
		out.XID, out.Chaddr = e.Xid, macString(e.Chaddr)
		out.Query = metrics.MessageType(e.Qtype).String()
		out.Response = metrics.MessageType(e.Rtype).String()
		out.LatencyUS = float64(e.LatencyNs) / 1e3
		for i, ns := range e.PhaseNs {
			if ns != 0 {
				if out.PhasesUS == nil {
					out.PhasesUS = map[string]float64{}
				}
				out.PhasesUS[phaseNames[i]] = float64(ns) / 1e3
			}
		}
	case evMalformed:
		out.Kind = "malformed"
		out.XID, out.Chaddr = e.Xid, macString(e.Chaddr)
		out.DropReason = dropReasonForStatus(e.Status)
	case evException:
		out.Kind = "exception"
		out.Text, out.File, out.Line = cString(e.Text[:]), cString(e.File[:]), int(e.Line)
	case evLogError, evLogWarn:
		out.Kind = map[uint32]string{evLogError: "log_error", evLogWarn: "log_warn"}[e.Kind]
		out.Text = cString(e.Text[:])
	default:
		return Event{}, fmt.Errorf("decode event: unknown kind %d", e.Kind)
	}
	return out, nil
}

// Drop reasons, as in metrics.Packets.DropReasons.
const (
	DropParseFailed = "parse_failed" // truncated, or not a DHCP header
	DropNoMsgType   = "no_msg_type"  // no option 53
	DropUnknownType = "unknown_type" // option 53 outside 1..8
	DropNoResponse  = "no_response"  // a known query Kea never answered
	DropSendFailed  = "send_failed"  // Kea's response was refused by the kernel
)

func dropReasonForStatus(st uint8) string {
	if st == parseNoType {
		return DropNoMsgType
	}
	return DropParseFailed
}
