package main

import (
	"context"
	"fmt"
	"io"
)

func runMonitor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "keascope monitor: not built yet")
	return 1
}
