package dashboard

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// maxListed caps the keys a diff lists per kind; the counts stay exact.
const maxListed = 500

// recordDiff compares two versions' records by their key, the end time.
type recordDiff struct {
	Added       int         `json:"added"`
	Removed     int         `json:"removed"`
	Changed     int         `json:"changed"`
	Unchanged   int         `json:"unchanged"`
	AddedKeys   []time.Time `json:"added_keys"`
	RemovedKeys []time.Time `json:"removed_keys"`
	ChangedKeys []time.Time `json:"changed_keys"`
}

func diffRecords(a, b []metrics.Interval) recordDiff {
	d := recordDiff{AddedKeys: []time.Time{}, RemovedKeys: []time.Time{}, ChangedKeys: []time.Time{}}
	old := make(map[int64]*metrics.Interval, len(a))
	for i := range a {
		old[a[i].End.UnixNano()] = &a[i]
	}
	for i := range b {
		k := b[i].End.UnixNano()
		o, ok := old[k]
		switch {
		case !ok:
			d.Added++
			d.AddedKeys = appendKey(d.AddedKeys, b[i].End)
		case !sameRecord(o, &b[i]):
			d.Changed++
			d.ChangedKeys = appendKey(d.ChangedKeys, b[i].End)
		default:
			d.Unchanged++
		}
		delete(old, k)
	}
	for i := range a {
		if _, gone := old[a[i].End.UnixNano()]; gone {
			d.Removed++
			d.RemovedKeys = appendKey(d.RemovedKeys, a[i].End)
		}
	}
	return d
}

func appendKey(keys []time.Time, t time.Time) []time.Time {
	if len(keys) >= maxListed {
		return keys
	}
	return append(keys, t.UTC())
}

// sameRecord compares the records' JSON forms: that is what a reader of
// the dataset sees, and it ignores in-memory details such as nil versus
// empty maps.
func sameRecord(a, b *metrics.Interval) bool {
	if a == b {
		return true
	}
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if badRequest(w, checkParams(q, "server", "a", "b")) {
		return
	}
	a, err := parseVersion(q, "a", true)
	if badRequest(w, err) {
		return
	}
	b, err := parseVersion(q, "b", true)
	if badRequest(w, err) {
		return
	}
	name, ok := s.serverName(w, r)
	if !ok {
		return
	}
	sa, err := s.src.At(r.Context(), name, a)
	if err != nil {
		sourceError(w, err)
		return
	}
	sb, err := s.src.At(r.Context(), name, b)
	if err != nil {
		sourceError(w, err)
		return
	}
	writeJSON(w, r, map[string]any{
		"server": name,
		"a":      VersionInfo{Version: sa.Version, Published: sa.Published},
		"b":      VersionInfo{Version: sb.Version, Published: sb.Published},
		"fine":   diffRecords(sa.Intervals, sb.Intervals),
		"minute": diffRecords(sa.Minutes, sb.Minutes),
	})
}
