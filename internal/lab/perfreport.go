package lab

import (
	"bufio"
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"
)

// PerfReport is perfdhcp's final report.
type PerfReport struct {
	Rate         float64 `json:"rate"`          // achieved exchanges/s
	ExpectedRate float64 `json:"expected_rate"` // -r
	Malformed    int     `json:"malformed"`
	// DO is DISCOVER-OFFER, RA REQUEST-ACK.
	DO       Exchange `json:"discover_offer"`
	RA       Exchange `json:"request_ack"`
	ExitCode int      `json:"exit_code"`
	Output   string   `json:"-"`
}

// Exchange is one exchange's statistics. Delays are zero when perfdhcp
// received nothing.
type Exchange struct {
	Sent           int           `json:"sent"`
	Received       int           `json:"received"`
	Drops          int           `json:"drops"`
	Orphans        int           `json:"orphans"`
	RejectedLeases int           `json:"rejected_leases"`
	NonUnique      int           `json:"non_unique_addresses"`
	MinDelay       time.Duration `json:"min_delay_ns"`
	AvgDelay       time.Duration `json:"avg_delay_ns"`
	MaxDelay       time.Duration `json:"max_delay_ns"`
	StdDev         time.Duration `json:"std_dev_ns"`
}

// Drops is the lost packets over both exchanges.
func (r *PerfReport) Drops() int { return r.DO.Drops + r.RA.Drops }

var errNoReport = errors.New("no perfdhcp report in output")

// ParsePerfdhcp parses perfdhcp -4's text report (Kea 2.2's format).
func ParsePerfdhcp(out []byte) (*PerfReport, error) {
	r := &PerfReport{Output: string(out)}
	var cur *Exchange
	seen := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "Rate:"):
			// Rate: 499.479 4-way exchanges/second, expected rate: 500
			f := strings.Fields(line)
			if len(f) > 1 {
				r.Rate, _ = strconv.ParseFloat(f[1], 64)
				seen = true
			}
			if _, exp, ok := strings.Cut(line, "expected rate:"); ok {
				r.ExpectedRate, _ = strconv.ParseFloat(strings.TrimSpace(exp), 64)
			}
			continue
		case strings.HasPrefix(line, "***Statistics for: DISCOVER-OFFER"):
			cur = &r.DO
			continue
		case strings.HasPrefix(line, "***Statistics for: REQUEST-ACK"):
			cur = &r.RA
			continue
		case strings.HasPrefix(line, "***"):
			cur = nil
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		if key == "Malformed packets" {
			r.Malformed, _ = strconv.Atoi(val)
			continue
		}
		if cur == nil {
			continue
		}
		n, _ := strconv.Atoi(val)
		switch key {
		case "sent packets":
			cur.Sent = n
		case "received packets":
			cur.Received = n
		case "drops":
			cur.Drops = n
		case "orphans":
			cur.Orphans = n
		case "rejected leases":
			cur.RejectedLeases = n
		case "non unique addresses":
			cur.NonUnique = n
		case "min delay":
			cur.MinDelay = millis(val)
		case "avg delay":
			cur.AvgDelay = millis(val)
		case "max delay":
			cur.MaxDelay = millis(val)
		case "std deviation":
			cur.StdDev = millis(val)
		}
	}
	if !seen {
		return nil, errNoReport
	}
	return r, nil
}

// millis parses "0.201 ms" (or "n/a" when nothing was received).
func millis(s string) time.Duration {
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, " ms"), 64)
	if err != nil {
		return 0
	}
	return time.Duration(v * float64(time.Millisecond))
}
