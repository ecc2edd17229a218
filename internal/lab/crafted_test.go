package lab_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/dhcpwire"
	"github.com/keascope/keascope/internal/keactl"
	"github.com/keascope/keascope/internal/lab"
	"github.com/keascope/keascope/internal/lab/labtest"
)

var mac = [6]byte{0x02, 0xaa, 0, 0, 0, 1}

// relayed marks p as coming through a relay at the client address, so Kea
// unicasts its answer back to the lab's client socket.
func relayed(p *dhcpwire.Packet) []byte {
	p.GIAddr = netip.MustParseAddr(lab.ClientIP)
	return p.Marshal()
}

// deltas waits until Kea has counted want packets in pkt4-received (or
// 2 s pass) and returns how every counter changed since before.
func deltas(t *testing.T, l *lab.Lab, before keactl.Stats, received int64) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	var after keactl.Stats
	for end := time.Now().Add(5 * time.Second); ; {
		var err error
		if after, err = l.Stats(ctx); err != nil {
			t.Fatal(err)
		}
		if after["pkt4-received"]-before["pkt4-received"] >= received || time.Now().After(end) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	d := map[string]int64{}
	for k, v := range after {
		if v != before[k] {
			d[k] = v - before[k]
		}
	}
	return d
}

// Crafted packets reach Kea and land in the counters Kea 2.2 keeps for
// them, in both socket modes.
func TestCraftedPackets(t *testing.T) {
	for _, socket := range []string{"udp", "raw"} {
		t.Run(socket, func(t *testing.T) {
			l := labtest.Start(t, lab.Config{SocketType: socket})
			ctx := context.Background()
			step := func(name string, want map[string]int64, received int64, send func()) {
				t.Helper()
				before, err := l.Stats(ctx)
				if err != nil {
					t.Fatal(err)
				}
				send()
				got := deltas(t, l, before, received)
				t.Logf("%s: %v", name, got)
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%s: %s changed by %d, want %d (all changes: %v)", name, k, got[k], v, got)
					}
				}
			}

			step("discover", map[string]int64{"pkt4-discover-received": 1, "pkt4-offer-sent": 1}, 1, func() {
				p := dhcpwire.NewRequest(dhcpwire.Discover, 0x1000, mac).Add(dhcpwire.OptHostname, []byte("<img src=x onerror=alert(1)>"))
				reply, err := l.Exchange(ctx, relayed(p), 5*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				r, err := dhcpwire.Parse(reply)
				if err != nil || r.MessageType() != dhcpwire.Offer || r.XID != 0x1000 {
					t.Errorf("discover: reply type %d xid %x, %v", r.MessageType(), r.XID, err)
				}
			})

			step("nak", map[string]int64{"pkt4-request-received": 1, "pkt4-nak-sent": 1}, 1, func() {
				// INIT-REBOOT style: no server id, an address outside the subnet
				p := dhcpwire.NewRequest(dhcpwire.Request, 0x1001, mac).AddAddr(dhcpwire.OptRequestedIP, netip.MustParseAddr("10.0.0.5"))
				reply, err := l.Exchange(ctx, relayed(p), 5*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				if r, err := dhcpwire.Parse(reply); err != nil || r.MessageType() != dhcpwire.Nak {
					t.Errorf("request for 10.0.0.5: reply type %d, %v, want NAK", r.MessageType(), err)
				}
			})

			step("unknown type 99", map[string]int64{"pkt4-received": 1, "pkt4-unknown-received": 1, "pkt4-sent": 0}, 1, func() {
				p := dhcpwire.NewRequest(99, 0x1002, mac)
				if _, err := l.Exchange(ctx, relayed(p), 300*time.Millisecond); !errors.Is(err, lab.ErrNoReply) {
					t.Errorf("type 99: %v, want no reply", err)
				}
			})

			step("no message type", map[string]int64{"pkt4-received": 1, "pkt4-unknown-received": 1, "pkt4-receive-drop": 1}, 1, func() {
				p := dhcpwire.NewRequest(0, 0x1003, mac)
				if err := l.Send(ctx, relayed(p)); err != nil {
					t.Fatal(err)
				}
			})

			// Kea skips an option that runs past the packet's end but
			// cannot read a message type of zero bytes
			step("empty message type option", map[string]int64{"pkt4-received": 1, "pkt4-parse-failed": 1, "pkt4-receive-drop": 1}, 1, func() {
				p := dhcpwire.NewRequest(0, 0x1005, mac).Add(dhcpwire.OptMessageType, nil)
				if err := l.Send(ctx, relayed(p)); err != nil {
					t.Fatal(err)
				}
			})

			// shorter than the BOOTP header: Kea rejects it while receiving,
			// before any statistic; only its log tells
			step("truncated", map[string]int64{"pkt4-received": 0, "pkt4-parse-failed": 0, "pkt4-receive-drop": 0}, 0, func() {
				b := relayed(dhcpwire.NewRequest(dhcpwire.Discover, 0x1004, mac))[:120]
				if err := l.Send(ctx, b); err != nil {
					t.Fatal(err)
				}
				time.Sleep(200 * time.Millisecond)
			})
			var logb []byte
			for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				if logb, _ = os.ReadFile(l.LogPath()); bytes.Contains(logb, []byte("DHCP4_BUFFER_RECEIVE_FAIL")) {
					break
				}
			}
			if !bytes.Contains(logb, []byte("DHCP4_BUFFER_RECEIVE_FAIL")) {
				t.Errorf("truncated packet not in kea.log:\n%s", logb)
			}
		})
	}
}
