package dashboard

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// span is a time range the page offers. The 24 h one reads the per-minute
// roll-ups, the others the fine intervals.
type span struct {
	name    string
	dur     time.Duration
	minutes bool
}

var spans = map[string]span{
	"5m":  {"5m", 5 * time.Minute, false},
	"1h":  {"1h", time.Hour, false},
	"24h": {"24h", 24 * time.Hour, true},
}

// badParam is a client mistake in the query string, sent back as a 400.
type badParam struct{ msg string }

func (e badParam) Error() string { return e.msg }

// checkParams rejects parameters an endpoint does not know, so a typo
// ("rnage=1h") is an error rather than a silently different answer.
func checkParams(q url.Values, allowed ...string) error {
	for k := range q {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			return badParam{fmt.Sprintf("unknown parameter %q", k)}
		}
	}
	for _, a := range allowed {
		if len(q[a]) > 1 {
			return badParam{fmt.Sprintf("parameter %q given more than once", a)}
		}
	}
	return nil
}

func parseSpan(q url.Values) (span, error) {
	v := q.Get("range")
	if v == "" {
		return spans["5m"], nil
	}
	sp, ok := spans[v]
	if !ok {
		return span{}, badParam{"range must be 5m, 1h or 24h"}
	}
	return sp, nil
}

// parseVersion reads a positive version; 0 means "not given".
func parseVersion(q url.Values, name string, required bool) (int64, error) {
	v := q.Get(name)
	if v == "" {
		if required {
			return 0, badParam{fmt.Sprintf("parameter %q is required", name)}
		}
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, badParam{fmt.Sprintf("%s must be a positive integer version", name)}
	}
	return n, nil
}

// records returns the snapshot's records within sp, measured back from its
// newest record so an old version shows the range it had then.
func records(snap *Snapshot, sp span) (ivs []metrics.Interval, resolution string) {
	ivs, resolution = snap.Intervals, "fine"
	if sp.minutes {
		ivs, resolution = snap.Minutes, "minute"
	}
	if len(ivs) == 0 {
		return ivs, resolution
	}
	return after(ivs, lastEnd(ivs).Add(-sp.dur)), resolution
}
