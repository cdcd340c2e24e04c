// Package static embeds the built CSS, the hub and admin scripts, the embed SDK and the
// connector logos. Paths carry a content hash so browsers may cache them for
// a year and still never see a stale file after an upgrade.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
	"sync"
)

//go:embed css/app.css js logos img
var files embed.FS

// FS is the embedded static tree.
var FS fs.FS = files

var (
	hashOnce sync.Once
	hashes   map[string]string
)

func computeHashes() {
	hashes = map[string]string{}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hashes[p] = hex.EncodeToString(sum[:4])
		return nil
	})
}

// Path returns the URL of a static file, e.g. Path("css/app.css") is
// "/static/css/app.css?v=1a2b3c4d".
func Path(name string) string {
	hashOnce.Do(computeHashes)
	name = strings.TrimPrefix(name, "/")
	if h, ok := hashes[name]; ok {
		return "/static/" + name + "?v=" + h
	}
	return "/static/" + name
}

// Handler serves the files under /static/. A request carrying the current
// hash is cached as immutable; any other only briefly.
func Handler() http.Handler {
	hashOnce.Do(computeHashes)
	fileServer := http.StripPrefix("/static/", http.FileServerFS(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if v := r.URL.Query().Get("v"); v != "" && v == hashes[name] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fileServer.ServeHTTP(w, r)
	})
}
