package lab

import (
	"os"
	"testing"
	"time"
)

func TestParsePerfdhcp(t *testing.T) {
	b, err := os.ReadFile("testdata/perfdhcp-drops.txt")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParsePerfdhcp(b)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rate != 441.5 || r.ExpectedRate != 500 || r.Drops() != 221 || r.DO.Orphans != 2 {
		t.Errorf("report %+v", r)
	}
	want := Exchange{Sent: 1309, Received: 1274, Drops: 35, MinDelay: 72 * time.Microsecond,
		AvgDelay: 1121 * time.Microsecond, MaxDelay: 62824 * time.Microsecond, StdDev: 4717 * time.Microsecond}
	if r.RA != want {
		t.Errorf("REQUEST-ACK %+v, want %+v", r.RA, want)
	}
	if _, err := ParsePerfdhcp([]byte("perfdhcp: unknown option -- z\n")); err == nil {
		t.Error("usage text parsed as a report")
	}
}
