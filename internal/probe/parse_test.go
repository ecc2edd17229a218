package probe

import (
	"bytes"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/keascope/keascope/internal/testenv"
)

// runParser runs the BPF parser on b through BPF_PROG_RUN. A socket filter
// run treats the input as an Ethernet frame and strips 14 bytes before the
// program sees it, so a dummy header is prepended.
func runParser(t *testing.T, objs *keascopeObjects, frame bool, b []byte) keascopeDhcpInfo {
	t.Helper()
	prog := objs.TestParsePayload
	if frame {
		prog = objs.TestParseFrame
	}
	in := append(bytes.Repeat([]byte{0}, 14), b...)
	if len(in) < 15 {
		in = append(in, 0) // BPF_PROG_RUN wants more than the header; the parser sees len 1
	}
	zero := keascopeDhcpInfo{}
	if err := objs.TestResult.Put(uint32(0), zero); err != nil {
		t.Fatal(err)
	}
	if _, err := prog.Run(&ebpf.RunOptions{Data: in}); err != nil {
		t.Fatalf("prog run: %v", err)
	}
	var got keascopeDhcpInfo
	if err := objs.TestResult.Lookup(uint32(0), &got); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestBPFParserOnCraftedPackets(t *testing.T) {
	testenv.RequireEBPF(t)
	objs, err := loadObjects(false)
	if err != nil {
		t.Fatal(err)
	}
	defer objs.Close()
	mac := [6]byte{0x02, 0, 0, 0, 0, 0x42}
	discover := dhcpMsg(1, 0xdeadbeef, mac, []byte{55, 2, 1, 3})
	padded := dhcpMsg(0, 7, mac, []byte{0, 0, 0, 12, 3, 'a', 'b', 'c', 53, 1, 3})
	longOpts := dhcpMsg(0, 8, mac)
	longOpts = longOpts[:len(longOpts)-1]
	for i := 0; i < 60; i++ {
		longOpts = append(longOpts, 12, 1, 'x')
	}
	longOpts = append(longOpts, 53, 1, 1, 255)
	notReply := dhcpMsg(2, 9, mac)
	notReply[0] = 2 // BOOTREPLY
	badCookie := dhcpMsg(1, 10, mac)
	badCookie[236] = 0
	optRunsOff := dhcpMsg(0, 11, mac, []byte{12, 200, 'x'})
	optRunsOff = optRunsOff[:len(optRunsOff)-1] // option 12 claims 200 bytes that are not there
	typeCut := append(dhcpMsg(0, 12, mac)[:240], 53, 1)

	for _, tc := range []struct {
		name   string
		frame  bool
		in     []byte
		status uint8
		op     uint8
		typ    uint8
		xid    uint32
	}{
		{"discover", false, discover, parseOK, 1, 1, 0xdeadbeef},
		{"type after pads and other options", false, padded, parseOK, 1, 3, 7},
		{"type beyond the option walk bound", false, longOpts, parseNoType, 1, 0, 8},
		{"bootreply", false, notReply, parseOK, 2, 2, 9},
		{"unknown type 99", false, dhcpMsg(99, 13, mac), parseOK, 1, 99, 13},
		{"no option 53", false, dhcpMsg(0, 14, mac), parseNoType, 1, 0, 14},
		{"truncated after xid", false, discover[:100], parseTruncated, 1, 0, 0xdeadbeef},
		{"truncated before xid", false, discover[:20], parseTruncated, 0, 0, 0},
		{"one byte", false, []byte{1}, parseTruncated, 0, 0, 0},
		{"bad cookie", false, badCookie, parseBadHeader, 1, 0, 10},
		{"option length past the end", false, optRunsOff, parseNoType, 1, 0, 11},
		{"type option cut off", false, typeCut, parseNoType, 1, 0, 12},
		{"all 0xff", false, bytes.Repeat([]byte{0xff}, 600), parseBadHeader, 0xff, 0, 0xffffffff},
		{"frame to port 67", true, ethFrame(discover, 68, 67), parseOK, 1, 1, 0xdeadbeef},
		{"frame to port 68", true, ethFrame(discover, 67, 68), parseNotDHCP, 0, 0, 0},
		{"frame truncated DHCP", true, ethFrame(discover[:50], 68, 67), parseTruncated, 1, 0, 0xdeadbeef},
		{"not IPv4", true, append([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x86, 0xdd}, discover...), parseNotDHCP, 0, 0, 0},
		{"short frame", true, ethFrame(nil, 68, 67)[:30], parseNotDHCP, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runParser(t, objs, tc.frame, tc.in)
			if got.Status != tc.status || got.Op != tc.op || got.MsgType != tc.typ || got.Xid != tc.xid {
				t.Errorf("got status %d op %d type %d xid %#x, want %d %d %d %#x",
					got.Status, got.Op, got.MsgType, got.Xid, tc.status, tc.op, tc.typ, tc.xid)
			}
			if tc.status == parseOK && got.Chaddr != mac {
				t.Errorf("chaddr %x, want %x", got.Chaddr, mac)
			}
		})
	}
}

// FuzzBPFParser feeds arbitrary bytes to the BPF parser: it must always
// return, with a status, and never claim a message type it did not read.
func FuzzBPFParser(f *testing.F) {
	testenv.RequireEBPF(f)
	objs, err := loadObjects(false)
	if err != nil {
		f.Fatal(err)
	}
	defer objs.Close()
	f.Add(dhcpMsg(1, 1, [6]byte{1}), false)
	f.Add(ethFrame(dhcpMsg(3, 2, [6]byte{2}), 68, 67), true)
	f.Fuzz(func(t *testing.T, b []byte, frame bool) {
		if len(b) > 1500 {
			b = b[:1500] // BPF_PROG_RUN takes at most about a page; Kea reads an MTU
		}
		got := runParser(t, objs, frame, b)
		if got.Status > parseNoType {
			t.Fatalf("status %d", got.Status)
		}
		if got.Status == parseOK && !frame && (len(b) < 243 || got.MsgType == 0 && !bytes.Contains(b[240:], []byte{53})) {
			t.Fatalf("parsed a type out of %d bytes", len(b))
		}
	})
}
