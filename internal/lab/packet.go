package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// dhcpPort is where servers and relay agents listen. Crafted packets are
// sent from ClientIP:67 as a relay agent would: with giaddr = ClientIP,
// Kea unicasts its answer to ClientIP:67, which works in both socket
// modes (a broadcast answer to port 68 fails in udp mode).
const dhcpPort = 67

// ErrNoReply: Kea did not answer within the timeout.
var ErrNoReply = errors.New("no reply from kea")

// openClientSocket opens a UDP socket bound to ClientIP:67 inside the
// client namespace.
func (l *Lab) openClientSocket() (*net.UDPConn, error) {
	var conn *net.UDPConn
	err := inNetns(l.ClientNS(), func() error {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(ClientIP), Port: dhcpPort})
		conn = c
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open client socket: %w", err)
	}
	return conn, nil
}

var serverUDP = &net.UDPAddr{IP: net.ParseIP(ServerIP), Port: dhcpPort}

// Send sends each payload as it is (no checks: truncated and malformed
// bytes are the point) from ClientIP:67 to Kea's ServerIP:67.
func (l *Lab) Send(ctx context.Context, payloads ...[]byte) error {
	conn, err := l.openClientSocket()
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, p := range payloads {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := conn.WriteToUDP(p, serverUDP); err != nil {
			return fmt.Errorf("send packet: %w", err)
		}
	}
	return nil
}

// Exchange sends pkt and returns Kea's answer: the first datagram to
// ClientIP:67 with pkt's transaction ID (bytes 4-7). pkt should carry
// giaddr = ClientIP (see dhcpPort). It returns ErrNoReply after timeout.
func (l *Lab) Exchange(ctx context.Context, pkt []byte, timeout time.Duration) ([]byte, error) {
	conn, err := l.openClientSocket()
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	conn.SetReadDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := conn.WriteToUDP(pkt, serverUDP); err != nil {
		return nil, fmt.Errorf("send packet: %w", err)
	}
	buf := make([]byte, 65536)
	for {
		n, _, err := conn.ReadFromUDP(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return nil, ErrNoReply
			}
			return nil, fmt.Errorf("read reply: %w", err)
		}
		if len(pkt) < 8 || (n >= 8 && string(buf[4:8]) == string(pkt[4:8])) {
			return append([]byte(nil), buf[:n]...), nil
		}
	}
}
