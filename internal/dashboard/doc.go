// Package dashboard serves keascope's live web dashboard: the embedded page
// (package web), a read-only JSON API over a Source's versions, and a
// Server-Sent Events stream that pushes each new version as it is
// published. It keeps the last good state when the Source fails and says so
// in the data, so the page can show "data stale since …" instead of going
// blank.
//
// The package never logs on its own; a Logger passed in Options is the only
// place it writes to.
package dashboard
