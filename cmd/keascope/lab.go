package main

import (
	"context"
	"fmt"
	"io"
)

func runLab(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "keascope lab: not built yet")
	return 1
}
