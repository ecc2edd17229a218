package dashboard

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// column is one field of the flat table: the CSV download and the page's
// table view show the same columns.
type column struct {
	name string
	get  func(iv *metrics.Interval) string
}

func u(n uint64) string  { return strconv.FormatUint(n, 10) }
func f(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func sumCounts(cs []metrics.Count) uint64 {
	var n uint64
	for _, c := range cs {
		n += c.Count
	}
	return n
}

var columns = func() []column {
	cols := []column{
		{"end", func(iv *metrics.Interval) string { return iv.End.UTC().Format(time.RFC3339Nano) }},
		{"seconds", func(iv *metrics.Interval) string { return f(iv.Seconds) }},
		{"source", func(iv *metrics.Interval) string { return string(iv.Source) }},
	}
	for _, t := range metrics.QueryTypes {
		name := t.String()
		cols = append(cols, column{"rx_" + name, func(iv *metrics.Interval) string { return u(iv.Packets.Received[name]) }})
	}
	for _, t := range metrics.ResponseTypes {
		name := t.String()
		cols = append(cols, column{"tx_" + name, func(iv *metrics.Interval) string { return u(iv.Packets.Sent[name]) }})
	}
	return append(cols,
		column{"answered", func(iv *metrics.Interval) string { return u(iv.Packets.Answered) }},
		column{"dropped", func(iv *metrics.Interval) string { return u(iv.Packets.Dropped) }},
		column{"unanswered", func(iv *metrics.Interval) string { return u(iv.Packets.Unanswered) }},
		column{"kernel_dropped", func(iv *metrics.Interval) string { return u(iv.Packets.KernelDropped) }},
		column{"parse_failed", func(iv *metrics.Interval) string { return u(iv.Errors.ParseFailed) }},
		column{"nak", func(iv *metrics.Interval) string { return u(iv.Errors.Naks) }},
		column{"alloc_failed", func(iv *metrics.Interval) string { return u(iv.Errors.AllocFailed) }},
		column{"exceptions", func(iv *metrics.Interval) string { return u(sumCounts(iv.Errors.Exceptions)) }},
		column{"log_messages", func(iv *metrics.Interval) string { return u(sumCounts(iv.Errors.LogMessages)) }},
		column{"latency_count", func(iv *metrics.Interval) string { return u(iv.Latency.Count()) }},
		column{"latency_p50_us", func(iv *metrics.Interval) string { return f(round(iv.Latency.Summary().P50, 1)) }},
		column{"latency_p90_us", func(iv *metrics.Interval) string { return f(round(iv.Latency.Summary().P90, 1)) }},
		column{"latency_p99_us", func(iv *metrics.Interval) string { return f(round(iv.Latency.Summary().P99, 1)) }},
		column{"latency_max_us", func(iv *metrics.Interval) string { return f(round(iv.Latency.Summary().Max, 1)) }},
		column{"cpu_percent", func(iv *metrics.Interval) string { return f(round(iv.Process.CPUPercent, 2)) }},
		column{"rss_bytes", func(iv *metrics.Interval) string { return u(iv.Process.RSSBytes) }},
		column{"kea_up", func(iv *metrics.Interval) string { return strconv.FormatBool(iv.Kea.Up) }},
		column{"kea_pid", func(iv *metrics.Interval) string { return strconv.Itoa(iv.Kea.PID) }},
	)
}()

// tableRequest parses the table endpoints' parameters and returns the
// records; it answers the request itself when that fails.
func (s *Server) tableRequest(w http.ResponseWriter, r *http.Request, extra ...string) (*Snapshot, []metrics.Interval, bool) {
	q := r.URL.Query()
	if badRequest(w, checkParams(q, append([]string{"server", "range", "version", "download"}, extra...)...)) {
		return nil, nil, false
	}
	sp, err := parseSpan(q)
	if badRequest(w, err) {
		return nil, nil, false
	}
	version, err := parseVersion(q, "version", false)
	if badRequest(w, err) {
		return nil, nil, false
	}
	if d := q.Get("download"); d != "" && d != "0" && d != "1" {
		writeError(w, http.StatusBadRequest, "download must be 0 or 1")
		return nil, nil, false
	}
	name, ok := s.serverName(w, r)
	if !ok {
		return nil, nil, false
	}
	snap, _, err := s.snapshot(r.Context(), name, version)
	if err != nil {
		sourceError(w, err)
		return nil, nil, false
	}
	ivs, _ := records(snap, sp)
	if q.Get("download") == "1" {
		ext := ".json"
		if r.URL.Path == "/api/table.csv" {
			ext = ".csv"
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="keascope-v%d-%s%s"`, snap.Version, sp.name, ext))
	}
	return snap, ivs, true
}

func (s *Server) handleTableCSV(w http.ResponseWriter, r *http.Request) {
	_, ivs, ok := s.tableRequest(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	head := make([]string, len(columns))
	for i, c := range columns {
		head[i] = c.name
	}
	cw.Write(head)
	row := make([]string, len(columns))
	for i := range ivs {
		for j, c := range columns {
			row[j] = c.get(&ivs[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	writeBody(w, r, "text/csv; charset=utf-8", buf.Bytes())
}

// handleTableJSON sends the raw interval records, or with format=rows the
// flat columns the CSV has, which is what the page's table shows.
func (s *Server) handleTableJSON(w http.ResponseWriter, r *http.Request) {
	snap, ivs, ok := s.tableRequest(w, r, "format")
	if !ok {
		return
	}
	switch r.URL.Query().Get("format") {
	case "":
		writeJSON(w, r, ivs)
	case "rows":
		head := make([]string, len(columns))
		for i, c := range columns {
			head[i] = c.name
		}
		rows := make([][]string, len(ivs))
		for i := range ivs {
			rows[i] = make([]string, len(columns))
			for j, c := range columns {
				rows[i][j] = c.get(&ivs[i])
			}
		}
		writeJSON(w, r, map[string]any{"version": snap.Version, "columns": head, "rows": rows})
	default:
		writeError(w, http.StatusBadRequest, "format must be rows or empty")
	}
}
