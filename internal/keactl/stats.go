package keactl

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Stats maps a statistic's name to its latest value.
type Stats = map[string]int64

// ParseStats decodes statistic-get-all's arguments:
//
//	{"pkt4-received": [[1499, "2026-01-02 03:04:05.678"], [1498, "..."]], ...}
//
// Kea lists samples newest first, so the first sample is the value. Kea
// keeps integer, float, duration and string statistics; DHCPv4's are all
// integers, a float is truncated and any other kind is skipped.
func ParseStats(args json.RawMessage) (Stats, error) {
	var raw map[string][][]json.RawMessage
	if len(args) == 0 {
		return Stats{}, nil
	}
	if err := json.Unmarshal(args, &raw); err != nil {
		return nil, err
	}
	out := make(Stats, len(raw))
	for name, samples := range raw {
		if len(samples) == 0 || len(samples[0]) == 0 {
			continue
		}
		v, err := sampleValue(samples[0][0])
		if err != nil {
			continue
		}
		out[name] = v
	}
	return out, nil
}

func sampleValue(b json.RawMessage) (int64, error) {
	s := string(b)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a number: %.20s", s)
	}
	return int64(f), nil
}

// SubnetStat splits a per-subnet statistic name such as
// "subnet[12].assigned-addresses" into 12 and "assigned-addresses".
// Pool-level names ("subnet[1].pool[0].total-addresses") return ok=false:
// they are not subnet totals and would be double counted.
func SubnetStat(name string) (id int64, field string, ok bool) {
	rest, found := strings.CutPrefix(name, "subnet[")
	if !found {
		return 0, "", false
	}
	idStr, field, found := strings.Cut(rest, "].")
	if !found || field == "" || strings.Contains(field, "[") {
		return 0, "", false
	}
	id, err := strconv.ParseInt(idStr, 10, 64)
	if err != nil || id < 0 {
		return 0, "", false
	}
	return id, field, true
}

// SubnetValues returns field (e.g. "total-addresses") per subnet ID.
func SubnetValues(s Stats, field string) map[int64]int64 {
	out := map[int64]int64{}
	for name, v := range s {
		if id, f, ok := SubnetStat(name); ok && f == field {
			out[id] = v
		}
	}
	return out
}
