package dashboard

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestBenchSSE200 measures the dashboard serving 200 event streams at one
// version per second: CPU of the dashboard process (getrusage, which here
// also includes the sample feed publishing the versions), its memory, and
// how late events reach the clients. The clients run in a child process so
// their CPU is not counted. KEASCOPE_BENCH=1 enables it;
// KEASCOPE_BENCH_SECONDS sets the measured window (default 60).
// docs/dashboard-benchmarks.md has the command and the numbers.
func TestBenchSSE200(t *testing.T) {
	if os.Getenv("KEASCOPE_BENCH") != "1" {
		t.Skip("benchmark: set KEASCOPE_BENCH=1")
	}
	const clients = 200
	window := 60 * time.Second
	if s, err := strconv.Atoi(os.Getenv("KEASCOPE_BENCH_SECONDS")); err == nil && s > 0 {
		window = time.Duration(s) * time.Second
	}
	src := NewMemorySource(600)
	feed := NewSampleFeed(src, "kea-a", 1, time.Now(), 24*time.Hour)
	feed.Publish()
	srv, _ := New(Options{Source: src})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.Serve(ctx, ln)
	go feed.Run(ctx, time.Second)
	runtime.GC()

	measure := func(d time.Duration) (cpu float64) {
		before, start := cpuTime(), time.Now()
		time.Sleep(d)
		return (cpuTime() - before).Seconds() / time.Since(start).Seconds() * 100
	}
	idle := measure(window / 3)
	runtime.GC()
	var idleMem runtime.MemStats
	runtime.ReadMemStats(&idleMem)
	idleRSS := procStatus("VmRSS")

	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchSSEClients$", "-test.v")
	cmd.Env = append(os.Environ(),
		"KEASCOPE_BENCH_ADDR="+ln.Addr().String(),
		fmt.Sprintf("KEASCOPE_BENCH_CLIENTS=%d", clients),
		fmt.Sprintf("KEASCOPE_BENCH_FOR=%s", window+10*time.Second))
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	var summary string
	ready := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for lines.Scan() {
			l := lines.Text()
			if l == "READY" {
				close(ready)
			}
			if s, ok := strings.CutPrefix(l, "SUMMARY "); ok {
				summary = s
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatal("clients did not connect")
	}
	time.Sleep(5 * time.Second) // warm-up
	busy := measure(window)
	rss, hwm := procStatus("VmRSS"), procStatus("VmHWM")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	goroutines := runtime.NumGoroutine()
	<-done
	cmd.Wait()

	t.Logf("machine: %d CPUs, %s", runtime.NumCPU(), cpuModel())
	t.Logf("dashboard process CPU: %.2f %% of a core with no clients, %.2f %% with %d SSE clients (window %v)", idle, busy, clients, window)
	t.Logf("memory with no clients: RSS %s, Go heap in use %.1f MiB (the retained versions' 1 h + 24 h windows)", idleRSS, float64(idleMem.HeapInuse)/(1<<20))
	t.Logf("memory with %d clients: RSS %s, peak RSS %s, Go heap in use %.1f MiB (+%.1f MiB), %d goroutines",
		clients, rss, hwm, float64(ms.HeapInuse)/(1<<20), (float64(ms.HeapInuse)-float64(idleMem.HeapInuse))/(1<<20), goroutines)
	t.Logf("clients: %s", summary)
	if busy-idle > 5 {
		t.Errorf("SSE fan-out costs %.2f %% of a core, target < 5 %%", busy-idle)
	}
}

// TestBenchSSEClients is the client side of TestBenchSSE200, run in a
// child process: it holds the streams open and reports what arrived.
func TestBenchSSEClients(t *testing.T) {
	addr := os.Getenv("KEASCOPE_BENCH_ADDR")
	if addr == "" {
		t.Skip("child of TestBenchSSE200")
	}
	n, _ := strconv.Atoi(os.Getenv("KEASCOPE_BENCH_CLIENTS"))
	d, _ := time.ParseDuration(os.Getenv("KEASCOPE_BENCH_FOR"))
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var (
		mu     sync.Mutex
		delays []time.Duration
		counts = make([]int, n)
		wg     sync.WaitGroup
		conn   sync.WaitGroup
	)
	conn.Add(n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/events?server=kea-a", nil)
			res, err := http.DefaultClient.Do(req)
			conn.Done()
			if err != nil {
				return
			}
			defer res.Body.Close()
			r := bufio.NewReader(res.Body)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				data, ok := strings.CutPrefix(line, "data: ")
				if !ok || !strings.Contains(data, `"fine"`) {
					continue
				}
				var ev struct{ Published time.Time }
				if json.Unmarshal([]byte(data), &ev) == nil {
					mu.Lock()
					delays = append(delays, time.Since(ev.Published))
					counts[i]++
					mu.Unlock()
				}
			}
		}()
	}
	conn.Wait()
	fmt.Println("READY")
	wg.Wait()
	slices.Sort(delays)
	slices.Sort(counts)
	q := func(p float64) time.Duration {
		if len(delays) == 0 {
			return 0
		}
		return delays[min(len(delays)-1, int(p*float64(len(delays))))]
	}
	fmt.Printf("SUMMARY %d clients, %d version events received (per client min %d, max %d); delivery delay after publication p50 %v, p99 %v, max %v\n",
		n, len(delays), counts[0], counts[n-1], q(0.5).Round(time.Microsecond), q(0.99).Round(time.Microsecond), q(1).Round(time.Microsecond))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func procStatus(key string) string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "unknown"
}
