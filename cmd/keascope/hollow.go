package main

import (
	"context"
	"fmt"
	"io"
)

func runHollow(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "keascope hollow: not built yet")
	return 1
}
