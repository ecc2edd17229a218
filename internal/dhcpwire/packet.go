package dhcpwire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// HeaderLen is the fixed BOOTP header; the magic cookie follows it.
const HeaderLen = 236

// MagicCookie marks the start of DHCP options.
var MagicCookie = [4]byte{99, 130, 83, 99}

// BOOTP op codes.
const (
	OpRequest = 1
	OpReply   = 2
)

// Message types (option 53). 99 is not one; Kea counts it as unknown.
const (
	Discover = 1
	Offer    = 2
	Request  = 3
	Decline  = 4
	Ack      = 5
	Nak      = 6
	Release  = 7
	Inform   = 8
)

// Option codes used here.
const (
	OptPad         = 0
	OptHostname    = 12
	OptRequestedIP = 50
	OptLeaseTime   = 51
	OptMessageType = 53
	OptServerID    = 54
	OptPRL         = 55
	OptMessage     = 56
	OptClientID    = 61
	OptEnd         = 255
)

// Option is one option as on the wire, in order. Data longer than 255
// bytes is split into several options of the same code (RFC 3396).
type Option struct {
	Code byte
	Data []byte
}

// Packet is a DHCPv4 message.
type Packet struct {
	Op     byte
	HType  byte // 1: Ethernet
	HLen   byte
	Hops   byte
	XID    uint32
	Secs   uint16
	Flags  uint16 // 0x8000: broadcast
	CIAddr netip.Addr
	YIAddr netip.Addr
	SIAddr netip.Addr
	GIAddr netip.Addr
	CHAddr [16]byte
	SName  [64]byte
	File   [128]byte
	// Options in wire order, without pad and end.
	Options []Option
}

// NewRequest returns a client message of type msgType (0: no option 53)
// from Ethernet address mac.
func NewRequest(msgType byte, xid uint32, mac [6]byte) *Packet {
	p := &Packet{Op: OpRequest, HType: 1, HLen: 6, XID: xid}
	copy(p.CHAddr[:], mac[:])
	if msgType != 0 {
		p.Options = append(p.Options, Option{OptMessageType, []byte{msgType}})
	}
	return p
}

// Add appends an option and returns p, for chaining.
func (p *Packet) Add(code byte, data []byte) *Packet {
	p.Options = append(p.Options, Option{code, data})
	return p
}

// AddAddr appends an option holding one IPv4 address (50, 54).
func (p *Packet) AddAddr(code byte, a netip.Addr) *Packet {
	b := a.As4()
	return p.Add(code, b[:])
}

// Option returns the first option with code (its data concatenated with
// later ones of the same code, RFC 3396), and whether there was one.
func (p *Packet) Option(code byte) ([]byte, bool) {
	var out []byte
	found := false
	for _, o := range p.Options {
		if o.Code == code {
			out = append(out, o.Data...)
			found = true
		}
	}
	return out, found
}

// MessageType is option 53, 0 when absent or malformed.
func (p *Packet) MessageType() byte {
	if b, ok := p.Option(OptMessageType); ok && len(b) == 1 {
		return b[0]
	}
	return 0
}

// Addr returns an address option (50, 54), invalid when absent or malformed.
func (p *Packet) Addr(code byte) netip.Addr {
	if b, ok := p.Option(code); ok && len(b) == 4 {
		return netip.AddrFrom4([4]byte(b))
	}
	return netip.Addr{}
}

// Marshal encodes p: header, cookie, options, end.
func (p *Packet) Marshal() []byte {
	b := make([]byte, HeaderLen, HeaderLen+4+64)
	b[0], b[1], b[2], b[3] = p.Op, p.HType, p.HLen, p.Hops
	binary.BigEndian.PutUint32(b[4:], p.XID)
	binary.BigEndian.PutUint16(b[8:], p.Secs)
	binary.BigEndian.PutUint16(b[10:], p.Flags)
	for i, a := range []netip.Addr{p.CIAddr, p.YIAddr, p.SIAddr, p.GIAddr} {
		if a.Is4() {
			a4 := a.As4()
			copy(b[12+4*i:], a4[:])
		}
	}
	copy(b[28:44], p.CHAddr[:])
	copy(b[44:108], p.SName[:])
	copy(b[108:236], p.File[:])
	b = append(b, MagicCookie[:]...)
	for _, o := range p.Options {
		d := o.Data
		for {
			n := min(len(d), 255)
			b = append(b, o.Code, byte(n))
			b = append(b, d[:n]...)
			d = d[n:]
			if len(d) == 0 {
				break
			}
		}
	}
	return append(b, OptEnd)
}

var (
	// ErrTruncated: the message ends inside the header or an option.
	ErrTruncated = errors.New("truncated dhcp message")
	// ErrNoCookie: the magic cookie is missing (a plain BOOTP message).
	ErrNoCookie = errors.New("no dhcp magic cookie")
)

// maxOptions bounds the options kept per message: a 64 KiB datagram holds
// at most ~32k two-byte options, and nothing legitimate has more than a few
// dozen.
const maxOptions = 1024

// Parse decodes a DHCPv4 message. It reads only within b and allocates at
// most in proportion to len(b). A missing end option is accepted, as
// many servers do; option overload (52) is not followed.
func Parse(b []byte) (*Packet, error) {
	if len(b) < HeaderLen {
		return nil, fmt.Errorf("parse header: %w (%d bytes)", ErrTruncated, len(b))
	}
	p := &Packet{Op: b[0], HType: b[1], HLen: b[2], Hops: b[3]}
	p.XID = binary.BigEndian.Uint32(b[4:])
	p.Secs = binary.BigEndian.Uint16(b[8:])
	p.Flags = binary.BigEndian.Uint16(b[10:])
	addrs := []*netip.Addr{&p.CIAddr, &p.YIAddr, &p.SIAddr, &p.GIAddr}
	for i, a := range addrs {
		*a = netip.AddrFrom4([4]byte(b[12+4*i : 16+4*i]))
	}
	copy(p.CHAddr[:], b[28:44])
	copy(p.SName[:], b[44:108])
	copy(p.File[:], b[108:236])
	if len(b) < HeaderLen+4 || [4]byte(b[HeaderLen:HeaderLen+4]) != MagicCookie {
		return p, ErrNoCookie
	}
	opts := b[HeaderLen+4:]
	for i := 0; i < len(opts); {
		code := opts[i]
		i++
		switch code {
		case OptPad:
			continue
		case OptEnd:
			return p, nil
		}
		if i >= len(opts) {
			return p, fmt.Errorf("parse option %d: %w", code, ErrTruncated)
		}
		n := int(opts[i])
		i++
		if i+n > len(opts) {
			return p, fmt.Errorf("parse option %d: %w (length %d, %d left)", code, ErrTruncated, n, len(opts)-i)
		}
		if len(p.Options) >= maxOptions {
			return p, fmt.Errorf("parse options: more than %d", maxOptions)
		}
		p.Options = append(p.Options, Option{code, opts[i : i+n : i+n]})
		i += n
	}
	return p, nil
}
