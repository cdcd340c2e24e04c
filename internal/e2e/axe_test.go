package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Every screen a browser test shows, hub and admin, is checked by axe-core at
// the desktop width and at 375 px, and must not scroll sideways at 320 px.
// The checks run in the helpers every visit goes through (Browser.do, hub,
// waitText and the tab's cleanup), once per document, so a test cannot forget
// them.

// axeTags are the rule sets a screen must pass, every impact counted.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// phoneWidths: axe again at a phone's width, and the narrowest screen that
// must not scroll sideways.
const phoneWidth, narrowWidth = 375, 320

// checkedOrigins are the origins whose screens are checked: every Linkhub
// and demo host the tests start, never a test's own fixture page.
var checkedOrigins sync.Map

func checkOrigin(u string) { checkedOrigins.Store(u, true) }

var axeSource struct {
	once sync.Once
	src  string
	err  error
}

// axeScript reads axe-core from node_modules, where `npm install` (run by
// .ci/run) puts the version package.json pins. In CI a missing file fails
// the run, as a missing Chromium does; elsewhere the browser tests skip.
func axeScript(t *testing.T) string {
	t.Helper()
	axeSource.once.Do(func() {
		b, err := os.ReadFile(filepath.Join("..", "..", "node_modules", "axe-core", "axe.min.js"))
		axeSource.src, axeSource.err = string(b), err
	})
	if axeSource.err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core not found (%v): run `npm install` at the repository root (.ci/run does)", axeSource.err)
		}
		t.Skipf("axe-core not found (%v): run `npm install` at the repository root", axeSource.err)
	}
	return axeSource.src
}

// axeRun runs axe on the document it is evaluated in; frames are checked as
// documents of their own.
var axeRun = fmt.Sprintf(`(async () => {
	await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	const r = await axe.run(document, {runOnly: {type: "tag", values: %s}, iframes: false, resultTypes: ["violations"]});
	return r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").split("\n").slice(1).join(" ").trim())}));
})()`, mustJSON(axeTags))

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// widthJS measures the page after a layout at the current width, and names
// the outermost elements that reach past the window's right edge, or whose
// text does.
const widthJS = `new Promise(r => requestAnimationFrame(() => {
	const d = document.documentElement, past = [];
	for (const e of document.body.querySelectorAll("*")) {
		const r = e.getBoundingClientRect();
		const ownText = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && getComputedStyle(e).overflowX === "visible";
		const text = ownText ? r.left + e.scrollWidth : 0;
		if (past.length < 4 && Math.max(r.right, text) > d.clientWidth + 0.5 && !past.some(p => p.el.contains(e)))
			past.push({el: e, name: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && e.className.baseVal === undefined ? "." + e.className.trim().split(/\s+/).join(".") : "")});
	}
	r({Scroll: d.scrollWidth, Client: d.clientWidth, Past: past.map(p => p.name)});
}))`

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// screen is one loaded document of the tab: the top page or a frame.
type screen struct {
	frame cdp.FrameID
	key   string // frame and loader: a new document gets a new key
	url   string
}

// screens lists the tab's loaded documents on checked origins that are not
// checked yet.
func (b *Browser) screens(t *testing.T) []screen {
	t.Helper()
	tree, err := chromedp.Call(b.Ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil || tree.FrameTree == nil {
		return nil
	}
	var out []screen
	var walk func(ft *page.FrameTree)
	walk = func(ft *page.FrameTree) {
		f := ft.Frame
		key := string(f.ID) + "/" + string(f.LoaderID)
		if _, ok := checkedOrigins.Load(f.SecurityOrigin); ok && !b.checked[key] && f.UnreachableURL == "" {
			out = append(out, screen{frame: f.ID, key: key, url: f.URL})
		}
		for _, c := range ft.ChildFrames {
			walk(c)
		}
	}
	walk(tree.FrameTree)
	return out
}

// evalIn evaluates js in an isolated world of the frame (the page's CSP and
// scripts do not reach it; the DOM is the same) and decodes the result.
func (b *Browser) evalIn(frame cdp.FrameID, js string, out any) error {
	w, err := chromedp.Call(b.Ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: frame, WorldName: "linkhub-e2e-checks"})
	if err != nil {
		return err
	}
	yes := true
	r, err := chromedp.Call(b.Ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: js, ContextID: w.ExecutionContextID,
		ReturnByValue: &yes, AwaitPromise: &yes})
	if err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return &chromedp.ExceptionError{ExceptionDetails: r.ExceptionDetails}
	}
	if out == nil || r.Result == nil {
		return nil
	}
	return json.Unmarshal(r.Result.Value, out)
}

// axe runs axe-core in the frame's document and reports its violations.
func (b *Browser) axe(t *testing.T, s screen, width string) error {
	t.Helper()
	var loaded bool
	if err := b.evalIn(s.frame, `typeof axe === "object"`, &loaded); err != nil {
		return err
	}
	if !loaded {
		if err := b.evalIn(s.frame, axeScript(t)+";true", nil); err != nil {
			return err
		}
	}
	var vs []axeViolation
	if err := b.evalIn(s.frame, axeRun, &vs); err != nil {
		return err
	}
	t.Logf("axe: %s at %s: %d violations", screenName(s.url), width, len(vs))
	for _, v := range vs {
		t.Errorf("axe %s (%s) on %s at %s: %s\n\t%s", v.ID, v.Impact, screenName(s.url), width, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	return nil
}

// screenName is a screen's path, its hub handle and query left out.
func screenName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	return redactHandle(u.Path)
}

func redactHandle(p string) string {
	rest, ok := strings.CutPrefix(p, "/hub/")
	if !ok {
		return p
	}
	if _, tail, ok := strings.Cut(rest, "/"); ok {
		return "/hub/H/" + tail
	}
	return "/hub/H"
}

// checkScreens checks the tab's documents not checked yet: axe at the
// current width and at 375 px, and no sideways scrolling at 320 px. A
// document still loading, or navigating away, is left for the next visit;
// on the last visit (the tab's cleanup) a check that cannot run fails.
func (b *Browser) checkScreens(t *testing.T, last bool) {
	t.Helper()
	if b.Ctx.Err() != nil {
		return
	}
	var ready []screen
	for _, s := range b.screens(t) {
		var state string
		if err := b.evalIn(s.frame, `document.readyState`, &state); err == nil && state == "complete" {
			ready = append(ready, s)
		}
	}
	if len(ready) == 0 {
		return
	}
	done := map[string]bool{}
	for _, s := range ready {
		err := b.axe(t, s, "its width")
		done[s.key] = err == nil
		if err != nil && last {
			t.Errorf("axe on %s: %v", screenName(s.url), err)
		}
	}
	b.setWidth(t, phoneWidth)
	for _, s := range ready {
		if done[s.key] {
			if err := b.axe(t, s, fmt.Sprintf("%d px", phoneWidth)); err != nil {
				done[s.key] = false
				if last {
					t.Errorf("axe on %s at %d px: %v", screenName(s.url), phoneWidth, err)
				}
			}
		}
	}
	b.setWidth(t, narrowWidth)
	for _, s := range ready {
		if !done[s.key] {
			continue
		}
		var w struct {
			Scroll, Client int
			Past           []string
		}
		err := b.evalIn(s.frame, widthJS, &w)
		if err != nil {
			if last {
				t.Errorf("width of %s: %v", screenName(s.url), err)
			}
			continue
		}
		if w.Scroll > w.Client {
			t.Errorf("%s at %d px: the page is %d px wide in a %d px window: it scrolls sideways; past the edge: %s",
				screenName(s.url), narrowWidth, w.Scroll, w.Client, strings.Join(w.Past, ", "))
		}
		b.checked[s.key] = true
	}
	b.setWidth(t, 0)
}

// setWidth emulates a window of the given width (0: the test's own
// viewport again, as set with Browser.viewport).
func (b *Browser) setWidth(t *testing.T, width int64) {
	t.Helper()
	var err error
	switch {
	case width > 0:
		_, err = chromedp.Call(b.Ctx, emulation.SetDeviceMetricsOverride,
			emulation.SetDeviceMetricsOverrideParams{Width: width, Height: 800, DeviceScaleFactor: 1})
	case b.view != nil:
		err = chromedp.Do(b.Ctx, chromedp.EmulateViewport(b.view[0], b.view[1], chromedp.EmulateScale(2)))
	default:
		_, err = chromedp.Call(b.Ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("set the window width to %d: %v", width, err)
	}
}

// viewport emulates a phone-sized window for the rest of the test; the
// screen checks put it back after their own widths.
func (b *Browser) viewport(t *testing.T, width, height int64) {
	t.Helper()
	b.view = &[2]int64{width, height}
	b.setWidth(t, 0)
}

// recheck checks the tab's documents again: for a screen that changed in
// place, like a host page with the SDK's modal open over it.
func (b *Browser) recheck(t *testing.T) {
	t.Helper()
	clear(b.checked)
	b.checkScreens(t, true)
}
