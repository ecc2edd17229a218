// Package web holds the dashboard's page: plain ES modules, a stylesheet and
// the vendored uPlot, embedded into the binary so `go build` alone yields a
// working dashboard with no CDN and no network. web/build.sh vendors uPlot
// from npm at a pinned version; `web/build.sh --check` verifies the
// committed copy (the test command runs it).
package web
