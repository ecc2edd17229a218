package main

import (
	"context"
	"fmt"
	"io"
)

func runDashboard(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "keascope dashboard: not built yet")
	return 1
}
