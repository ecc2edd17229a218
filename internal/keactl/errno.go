package keactl

import "syscall"

// errConnRefused is what connecting to a socket file without a listener
// (Kea died and left its socket behind) fails with.
var errConnRefused error = syscall.ECONNREFUSED
