package probe

import (
	"bytes"

	"github.com/keascope/keascope/internal/dhcpwire"
)

// dhcpMsg builds a DHCPv4 client message with message type msgType (none
// when 0) followed by opts as raw bytes, so that tests can put pads, bad
// lengths or options that run off the end where they like; then the end
// option.
func dhcpMsg(msgType byte, xid uint32, mac [6]byte, opts ...[]byte) []byte {
	b := dhcpwire.NewRequest(msgType, xid, mac).Marshal()
	b = b[:len(b)-1] // the end option goes after opts
	for _, o := range opts {
		b = append(b, o...)
	}
	return append(b, dhcpwire.OptEnd)
}

// ethFrame wraps a DHCP payload in Ethernet/IPv4/UDP headers to dport.
func ethFrame(payload []byte, sport, dport uint16) []byte {
	f := make([]byte, 14+20+8)
	copy(f[0:6], bytes.Repeat([]byte{0xff}, 6))
	f[12], f[13] = 0x08, 0x00
	ip := f[14:]
	ip[0] = 0x45
	total := 20 + 8 + len(payload)
	ip[2], ip[3] = byte(total>>8), byte(total)
	ip[8], ip[9] = 64, 17
	udp := f[34:]
	udp[0], udp[1] = byte(sport>>8), byte(sport)
	udp[2], udp[3] = byte(dport>>8), byte(dport)
	ul := 8 + len(payload)
	udp[4], udp[5] = byte(ul>>8), byte(ul)
	return append(f, payload...)
}
