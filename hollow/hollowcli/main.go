package hollowcli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
)

// Command is one `keascope hollow` subcommand.
type Command struct {
	Summary string
	Run     func(args []string, stdout, stderr io.Writer) int
}

// Commands is the dispatch table; add entries to extend the tool.
var Commands = map[string]Command{
	"inspect": {"types, record counts and sizes of a blob or a store directory", runInspect},
	"dump":    {"records as JSON (--canonical: the test vectors' form)", runDump},
	"diff":    {"records added, removed and changed between two versions, by primary key", runDiff},
}

// Main runs `keascope hollow <command> args...` and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := Commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "keascope hollow: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd.Run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: keascope hollow <command> [flags] [args]")
	names := make([]string, 0, len(Commands))
	for n := range Commands {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, Commands[n].Summary)
	}
}

// newFlags makes a flag set that reports to stderr instead of exiting.
func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("keascope hollow "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: keascope hollow %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; ok is false when the command should exit with code
// (0 after -h, 2 on a bad flag).
func parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	return 0, true
}

func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "keascope hollow %s: %v\n", cmd, err)
	return 1
}
