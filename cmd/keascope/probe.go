package main

import (
	"context"
	"fmt"
	"io"
)

func runProbe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "keascope probe: not built yet")
	return 1
}
