package dashboard

import (
	"io/fs"
	"net/http"
)

// assetHandler serves the page. The files are embedded and change only
// with the binary, so browsers revalidate instead of caching blindly.
func assetHandler(assets fs.FS) http.Handler {
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
