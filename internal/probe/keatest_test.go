package probe

// A small Kea lab for this package's tests: a server and a client network
// namespace joined by a veth pair in 198.18.0.0/15, kea-dhcp4 in the
// server namespace, perfdhcp and crafted packets from the client one.
// internal/lab is meant to replace it; the calls mirror its planned API.
// Kea is authoritative so that an INIT-REBOOT REQUEST for a foreign
// address gets a NAK (non-authoritative Kea stays silent).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/keascope/keascope/internal/testenv"
)

type keaLab struct {
	t       testing.TB
	name    string
	dir     string
	sockTyp string
	mt      bool
	kea     *exec.Cmd
	waited  chan struct{}
}

func sh(args ...string) error {
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

var labSeq int

// startKea builds the namespaces and starts Kea; everything is removed by
// t.Cleanup.
func startKea(t testing.TB, sockType string, mt bool) *keaLab {
	t.Helper()
	testenv.RequireEBPF(t)
	testenv.RequireKea(t)
	labSeq++
	name := fmt.Sprintf("kp%d%d", os.Getpid()%10000, labSeq)
	l := &keaLab{t: t, name: name, dir: t.TempDir(), sockTyp: sockType, mt: mt}
	t.Cleanup(l.close)
	for _, c := range [][]string{
		{"ip", "netns", "add", name + "s"},
		{"ip", "netns", "add", name + "c"},
		{"ip", "link", "add", name + "a", "type", "veth", "peer", "name", name + "b"},
		{"ip", "link", "set", name + "a", "netns", name + "s"},
		{"ip", "link", "set", name + "b", "netns", name + "c"},
		{"ip", "-n", name + "s", "addr", "add", "198.18.0.1/15", "dev", name + "a"},
		{"ip", "-n", name + "s", "link", "set", name + "a", "up"},
		{"ip", "-n", name + "s", "link", "set", "lo", "up"},
		{"ip", "-n", name + "c", "addr", "add", "198.18.0.2/15", "dev", name + "b"},
		{"ip", "-n", name + "c", "link", "set", name + "b", "up"},
	} {
		if err := sh(c...); err != nil {
			t.Fatal(err)
		}
	}
	cfg := fmt.Sprintf(`{"Dhcp4":{"interfaces-config":{"interfaces":["%sa"],"dhcp-socket-type":%q},
"control-socket":{"socket-type":"unix","socket-name":%q},
"lease-database":{"type":"memfile","persist":false},
"multi-threading":{"enable-multi-threading":%v,"thread-pool-size":2,"packet-queue-size":256},
"valid-lifetime":4000,"authoritative":true,
"subnet4":[{"id":1,"subnet":"198.18.0.0/15","pools":[{"pool":"198.18.1.0 - 198.19.255.250"}]}],
"loggers":[{"name":"kea-dhcp4","output_options":[{"output":%q}],"severity":"WARN"}]}}`,
		name, sockType, l.ctlPath(), mt, filepath.Join(l.dir, "kea.log"))
	if err := os.WriteFile(filepath.Join(l.dir, "kea.json"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	l.startKea()
	return l
}

func (l *keaLab) ctlPath() string { return filepath.Join(l.dir, "ctl.sock") }

func (l *keaLab) startKea() {
	l.t.Helper()
	os.Remove(l.ctlPath())
	cmd := exec.Command("ip", "netns", "exec", l.name+"s", "kea-dhcp4", "-c", filepath.Join(l.dir, "kea.json"))
	cmd.Env = append(os.Environ(), "KEA_PIDFILE_DIR="+l.dir, "KEA_LOCKFILE_DIR="+l.dir)
	out, _ := os.Create(filepath.Join(l.dir, "kea.out"))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		l.t.Fatalf("start kea: %v", err)
	}
	l.kea = cmd
	l.waited = make(chan struct{})
	go func() { cmd.Wait(); close(l.waited) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := l.stats(context.Background()); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b, _ := os.ReadFile(filepath.Join(l.dir, "kea.out"))
	l.t.Fatalf("kea did not answer on its control socket: %s", b)
}

// KeaPID is kea-dhcp4's PID (ip netns exec execs it in place).
func (l *keaLab) KeaPID() int { return l.kea.Process.Pid }

func (l *keaLab) KillKea() {
	l.kea.Process.Kill()
	<-l.waited
}

func (l *keaLab) close() {
	if l.kea != nil && l.kea.ProcessState == nil {
		l.kea.Process.Kill()
		<-l.waited
	}
	exec.Command("ip", "netns", "del", l.name+"s").Run()
	exec.Command("ip", "netns", "del", l.name+"c").Run()
}

// stats returns every Kea statistic's current value.
func (l *keaLab) stats(ctx context.Context) (map[string]int64, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", l.ctlPath())
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte(`{"command":"statistic-get-all"}`)); err != nil {
		return nil, err
	}
	var resp struct {
		Result    int                            `json:"result"`
		Arguments map[string][][]json.RawMessage `json:"arguments"`
	}
	if err := json.NewDecoder(c).Decode(&resp); err != nil {
		return nil, fmt.Errorf("decode statistics: %w", err)
	}
	out := map[string]int64{}
	for k, samples := range resp.Arguments {
		if len(samples) > 0 && len(samples[0]) > 0 {
			var v int64
			if json.Unmarshal(samples[0][0], &v) == nil {
				out[k] = v
			}
		}
	}
	return out, nil
}

type perfReport struct {
	Sent, Received int
	AvgDelay       time.Duration
	Output         string
}

// perfdhcp runs DORA exchanges at rate per second for secs seconds.
func (l *keaLab) perfdhcp(rate, clients, secs int) perfReport {
	l.t.Helper()
	args := []string{"netns", "exec", l.name + "c", "perfdhcp", "-4", "-l", l.name + "b",
		"-r", strconv.Itoa(rate), "-R", strconv.Itoa(clients), "-p", strconv.Itoa(secs)}
	if l.sockTyp == "udp" {
		args = append(args, "198.18.0.1")
	}
	out, _ := exec.Command("ip", args...).CombinedOutput() // exits 3 when packets were lost
	r := perfReport{Output: string(out)}
	if m := regexp.MustCompile(`(?m)^avg delay: ([0-9.]+) ms`).FindStringSubmatch(r.Output); m != nil {
		ms, _ := strconv.ParseFloat(m[1], 64)
		r.AvgDelay = time.Duration(ms * float64(time.Millisecond))
	}
	if m := regexp.MustCompile(`(?m)^sent packets: (\d+)`).FindStringSubmatch(r.Output); m != nil {
		r.Sent, _ = strconv.Atoi(m[1])
	}
	if r.AvgDelay == 0 {
		l.t.Fatalf("perfdhcp report without avg delay:\n%s", out)
	}
	return r
}

// send sends raw DHCP payloads from the client namespace to Kea's port 67.
func (l *keaLab) send(payloads ...[]byte) {
	l.t.Helper()
	errc := make(chan error, 1)
	go func() {
		// the namespace switch is per OS thread; this one is discarded after
		runtime.LockOSThread()
		ns, err := os.Open("/var/run/netns/" + l.name + "c")
		if err != nil {
			errc <- err
			return
		}
		defer ns.Close()
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- err
			return
		}
		c, err := net.DialUDP("udp4", &net.UDPAddr{IP: net.IPv4(198, 18, 0, 2), Port: 68}, &net.UDPAddr{IP: net.IPv4(198, 18, 0, 1), Port: 67})
		if err != nil {
			errc <- err
			return
		}
		defer c.Close()
		for _, p := range payloads {
			if _, err := c.Write(p); err != nil {
				errc <- err
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		errc <- nil
	}()
	if err := <-errc; err != nil {
		l.t.Fatalf("send crafted packets: %v", err)
	}
}

// dhcpMsg builds a DHCPv4 client message with the given options (code,
// value pairs), message type first unless msgType is 0.
func dhcpMsg(msgType byte, xid uint32, mac [6]byte, opts ...[]byte) []byte {
	b := make([]byte, 240)
	b[0], b[1], b[2] = 1, 1, 6
	b[4], b[5], b[6], b[7] = byte(xid>>24), byte(xid>>16), byte(xid>>8), byte(xid)
	copy(b[28:], mac[:])
	copy(b[236:], []byte{99, 130, 83, 99})
	if msgType != 0 {
		b = append(b, 53, 1, msgType)
	}
	for _, o := range opts {
		b = append(b, o...)
	}
	return append(b, 255)
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
