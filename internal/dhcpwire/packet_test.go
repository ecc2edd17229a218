package dhcpwire

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"
)

var mac = [6]byte{0x02, 0xaa, 0, 0, 0, 1}

func TestRoundTrip(t *testing.T) {
	host := "<img src=x onerror=alert(1)>"
	p := NewRequest(Request, 0x01020304, mac).
		AddAddr(OptRequestedIP, netip.MustParseAddr("10.0.0.5")).
		AddAddr(OptServerID, netip.MustParseAddr("198.18.0.1")).
		Add(OptHostname, []byte(host)).
		Add(OptClientID, append([]byte{1}, mac[:]...)).
		Add(OptPRL, []byte{1, 3, 6, 15}).
		Add(OptMessage, bytes.Repeat([]byte("x"), 300)) // split in two
	p.GIAddr = netip.MustParseAddr("198.18.0.2")
	b := p.Marshal()
	if b[0] != OpRequest || b[len(b)-1] != OptEnd || !bytes.Equal(b[236:240], MagicCookie[:]) {
		t.Fatalf("bad wire form % x", b[:8])
	}
	q, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if q.XID != 0x01020304 || q.MessageType() != Request || q.GIAddr != p.GIAddr {
		t.Errorf("header: xid %x type %d giaddr %v", q.XID, q.MessageType(), q.GIAddr)
	}
	if got := q.Addr(OptRequestedIP); got.String() != "10.0.0.5" {
		t.Errorf("requested IP %v", got)
	}
	if h, _ := q.Option(OptHostname); string(h) != host {
		t.Errorf("hostname %q", h)
	}
	if m, _ := q.Option(OptMessage); len(m) != 300 {
		t.Errorf("long option: %d bytes, want 300 joined", len(m))
	}
	if len(q.Options) != 8 {
		t.Errorf("%d options, want 8 (the long one split)", len(q.Options))
	}
}

func TestParseErrors(t *testing.T) {
	full := NewRequest(Discover, 1, mac).Add(OptHostname, []byte("abc")).Marshal()
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"header cut", full[:120], ErrTruncated},
		{"no cookie", full[:236], ErrNoCookie},
		{"option length past end", full[:len(full)-3], ErrTruncated},
		{"code without length", append(full[:240:240], 12), ErrTruncated},
	} {
		if _, err := Parse(tc.b); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// no end option is tolerated
	if p, err := Parse(full[:len(full)-1]); err != nil || p.MessageType() != Discover {
		t.Errorf("no end: %v", err)
	}
	// pads only
	if _, err := Parse(append(full[:240:240], strings.Repeat("\x00", 50)...)); err != nil {
		t.Errorf("pads: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(NewRequest(Discover, 1, mac).Marshal())
	f.Add(NewRequest(99, 2, mac).Add(OptHostname, []byte("<script>")).Marshal())
	f.Add([]byte{1, 1, 6})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(b)
		if err != nil || p == nil {
			return
		}
		// what parsed re-encodes and parses to the same options
		q, err := Parse(p.Marshal())
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if q.XID != p.XID || q.MessageType() != p.MessageType() {
			t.Fatalf("round trip changed the header")
		}
	})
}
