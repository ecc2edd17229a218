package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

// Assets returns the page's files, index.html at the root.
func Assets() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic("web: embedded static directory missing: " + err.Error())
	}
	return sub
}
