package hollow_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
	"github.com/keascope/keascope/hollow/write"
)

// The benchmark dataset is metrics-shaped: 10^6 interval records, each a
// LONG timestamp, a few INT counters, a DOUBLE and a reference to one of
// 1000 metric names.
const benchRecords = 1_000_000

var benchSchemas = []schema.Schema{
	{Kind: schema.Object, Name: "String", Fields: []schema.Field{{Name: "value", Type: schema.String}}},
	{Kind: schema.Object, Name: "Sample", Fields: []schema.Field{
		{Name: "ts", Type: schema.Long}, {Name: "acks", Type: schema.Int}, {Name: "naks", Type: schema.Int},
		{Name: "drops", Type: schema.Int}, {Name: "latency", Type: schema.Double},
		{Name: "name", Type: schema.Reference, Ref: "String"}}},
}

// sample is the same record for encoding/json.
type sample struct {
	Ts      int64   `json:"ts"`
	Acks    int32   `json:"acks"`
	Naks    int32   `json:"naks"`
	Drops   int32   `json:"drops"`
	Latency float64 `json:"latency"`
	Name    string  `json:"name"`
}

func benchSample(i int, gen int) sample {
	return sample{
		Ts:      1_700_000_000_000 + int64(i/1000)*60_000,
		Acks:    int32(i*7%5000 + gen),
		Naks:    int32(i % 13),
		Drops:   int32(i % 3),
		Latency: float64(i%997) / 7.0,
		Name:    fmt.Sprintf("kea.subnet%d.leases", i%1000),
	}
}

func addSample(w *write.StateEngine, s sample) error {
	n, err := w.Add(w.NewObject("String").SetString("value", s.Name))
	if err != nil {
		return err
	}
	_, err = w.Add(w.NewObject("Sample").SetLong("ts", s.Ts).SetInt("acks", s.Acks).SetInt("naks", s.Naks).
		SetInt("drops", s.Drops).SetDouble("latency", s.Latency).SetRef("name", n))
	return err
}

func newBenchEngine(b *testing.B) *write.StateEngine {
	w := write.NewStateEngine()
	for _, s := range benchSchemas {
		if err := w.AddType(s); err != nil {
			b.Fatal(err)
		}
	}
	return w
}

var benchData struct {
	once     sync.Once
	engine   *write.StateEngine
	snapshot []byte
	jsonSize int
}

// loadBench builds the dataset once for all benchmarks.
func loadBench(b *testing.B) {
	benchData.once.Do(func() {
		w := newBenchEngine(b)
		js := 0
		for i := 0; i < benchRecords; i++ {
			s := benchSample(i, 0)
			if err := addSample(w, s); err != nil {
				b.Fatal(err)
			}
			j, _ := json.Marshal(s)
			js += len(j) + 1 // one record per line
		}
		var buf bytes.Buffer
		if err := w.WriteSnapshot(&buf); err != nil {
			b.Fatal(err)
		}
		benchData.engine, benchData.snapshot, benchData.jsonSize = w, buf.Bytes(), js
	})
}

// BenchmarkAdd measures adding records to a write state engine.
func BenchmarkAdd(b *testing.B) {
	for b.Loop() {
		w := newBenchEngine(b)
		for i := 0; i < benchRecords; i++ {
			if err := addSample(w, benchSample(i, 0)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(benchRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkWriteSnapshot measures writing the snapshot and reports its size
// against encoding/json of the same records.
func BenchmarkWriteSnapshot(b *testing.B) {
	loadBench(b)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := benchData.engine.WriteSnapshot(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/benchRecords, "snapshot-B/record")
	b.ReportMetric(float64(benchData.jsonSize)/benchRecords, "json-B/record")
	b.ReportMetric(float64(benchData.jsonSize)/float64(buf.Len()), "json/snapshot")
	b.ReportMetric(float64(benchRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkLoadSnapshot measures loading the 10^6-record snapshot and the
// heap the loaded state holds.
func BenchmarkLoadSnapshot(b *testing.B) {
	loadBench(b)
	var s *read.State
	var before, after runtime.MemStats
	for b.Loop() {
		s = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		var err error
		if s, err = read.ParseSnapshot(bytes.Clone(benchData.snapshot)); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(len(benchData.snapshot))/(1<<20), "snapshot-MiB")
	runtime.KeepAlive(s)
}

// BenchmarkScan measures reading every field of every record generically.
func BenchmarkScan(b *testing.B) {
	loadBench(b)
	s, err := read.ParseSnapshot(benchData.snapshot)
	if err != nil {
		b.Fatal(err)
	}
	t, names := s.Type("Sample"), s.Type("String")
	var sum float64
	for b.Loop() {
		for o := range t.Ordinals() {
			ts, _ := t.Long(o, 0)
			a, _ := t.Int(o, 1)
			l, _ := t.Double(o, 4)
			n, _ := t.Ref(o, 5)
			name, _ := names.String(n, 0)
			sum += float64(ts) + float64(a) + l + float64(len(name))
		}
	}
	b.ReportMetric(float64(benchRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	_ = sum
}

// BenchmarkDelta changes 1% of the records: it measures the producer side
// (re-adding the dataset, writing the delta) and reports the delta's size;
// BenchmarkApplyDelta measures a consumer applying it.
func BenchmarkDelta(b *testing.B) {
	w, base := deltaEngine(b)
	var delta bytes.Buffer
	var writing time.Duration
	round := 0
	for b.Loop() {
		round++
		w.PrepareForNextCycle()
		for i := 0; i < benchRecords; i++ {
			gen := 0
			if i%100 == 0 {
				gen = round // a new value each round
			}
			if err := addSample(w, benchSample(i, gen)); err != nil {
				b.Fatal(err)
			}
		}
		delta.Reset()
		start := time.Now()
		if err := w.WriteDelta(&delta); err != nil {
			b.Fatal(err)
		}
		writing += time.Since(start)
	}
	b.ReportMetric(float64(writing.Milliseconds())/float64(round), "write-delta-ms")
	b.ReportMetric(float64(delta.Len()), "delta-B")
	b.ReportMetric(float64(delta.Len())/(benchRecords/100), "delta-B/changed-record")
	b.ReportMetric(float64(delta.Len())/float64(len(base)), "delta/snapshot")
}

func deltaEngine(b *testing.B) (*write.StateEngine, []byte) {
	w := newBenchEngine(b)
	for i := 0; i < benchRecords; i++ {
		if err := addSample(w, benchSample(i, 0)); err != nil {
			b.Fatal(err)
		}
	}
	var snap bytes.Buffer
	if err := w.WriteSnapshot(&snap); err != nil {
		b.Fatal(err)
	}
	return w, snap.Bytes()
}

func BenchmarkApplyDelta(b *testing.B) {
	w, base := deltaEngine(b)
	s, err := read.ParseSnapshot(base)
	if err != nil {
		b.Fatal(err)
	}
	w.PrepareForNextCycle()
	for i := 0; i < benchRecords; i++ {
		gen := 0
		if i%100 == 0 {
			gen = 1
		}
		addSample(w, benchSample(i, gen))
	}
	var delta bytes.Buffer
	if err := w.WriteDelta(&delta); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.ApplyDeltaBytes(delta.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(delta.Len()), "delta-B")
}
