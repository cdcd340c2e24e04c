package static_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/static"
)

// ownScripts are Linkhub's own scripts.
var ownScripts = []string{"js/hub.js", "js/linkhub.js", "js/admin.js", "js/picker.js"}

var (
	postMessageRE = regexp.MustCompile(`postMessage\s*\(([^;]*)\)`)
	htmlSinkRE    = regexp.MustCompile(`\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\s*\(`)
)

// TestScripts_PostMessage checks, at source level, the promises the hub's
// messages rest on: no script posts to "*" (a page that framed the hub could
// read the result), the hub posts only to the origin the server rendered,
// the embed SDK listens only to the hub's origin and frame, and our scripts
// build no HTML from strings (messages are JSON objects, not markup).
func TestScripts_PostMessage(t *testing.T) {
	err := fs.WalkDir(static.FS, "js", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(static.FS, path)
		if err != nil {
			return err
		}
		for _, m := range postMessageRE.FindAllStringSubmatch(string(src), -1) {
			args := m[1]
			if strings.Contains(args, `"*"`) || strings.Contains(args, `'*'`) || strings.Contains(args, "`*`") {
				t.Errorf("%s: postMessage to \"*\": %s", path, m[0])
			}
			if path == "js/hub.js" && strings.ReplaceAll(args, " ", "") != "msg,origin" {
				t.Errorf("%s: postMessage(%s), want postMessage(msg, origin) with the rendered target", path, args)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hub := read(t, "js/hub.js")
	if !strings.Contains(hub, `getAttribute("data-linkhub-target")`) || !strings.Contains(hub, "if (!origin || window.parent === window) return;") {
		t.Error("hub.js: the target origin no longer comes from data-linkhub-target, or an empty origin no longer stops the post")
	}
	if !strings.Contains(hub, `JSON.parse(m.getAttribute("data-linkhub-message"))`) {
		t.Error("hub.js: messages are no longer parsed from the server's JSON")
	}
	if sdk := read(t, "js/linkhub.js"); !strings.Contains(sdk, "if (e.origin !== hubOrigin || e.source !== frame.contentWindow) return;") {
		t.Error("linkhub.js: the message listener no longer checks the hub's origin and frame")
	}
	for _, p := range ownScripts {
		if m := htmlSinkRE.FindString(read(t, p)); m != "" {
			t.Errorf("%s: builds HTML or code from strings (%s)", p, m)
		}
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := fs.ReadFile(static.FS, path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
