package keaproc

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// stat is the part of /proc/PID/stat (or task/TID/stat) keascope reads.
type stat struct {
	comm         string
	state        byte
	utime, stime uint64 // clock ticks
	start        uint64 // clock ticks since boot
}

func readStat(path string) (stat, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return stat{}, fmt.Errorf("read stat: %w", err)
	}
	return parseStat(b)
}

// parseStat splits after the last ')' because comm may hold spaces and
// parentheses.
func parseStat(b []byte) (stat, error) {
	open := bytes.IndexByte(b, '(')
	end := bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return stat{}, fmt.Errorf("parse stat: no command name")
	}
	f := bytes.Fields(b[end+1:])
	// f[0] is field 3 (state); utime is field 14, stime 15, starttime 22
	if len(f) < 20 {
		return stat{}, fmt.Errorf("parse stat: %d fields", len(f)+2)
	}
	s := stat{comm: string(b[open+1 : end]), state: f[0][0]}
	var err error
	for _, x := range []struct {
		dst *uint64
		i   int
	}{{&s.utime, 11}, {&s.stime, 12}, {&s.start, 19}} {
		if *x.dst, err = strconv.ParseUint(string(f[x.i]), 10, 64); err != nil {
			return stat{}, fmt.Errorf("parse stat field %d: %w", x.i+3, err)
		}
	}
	return s, nil
}
