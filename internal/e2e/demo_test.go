package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestJourney_DemoHost runs `linkhub demo`, the example host product, on its
// own origin: its backend creates a connect session with the API key, the
// page opens the hub with static/js/linkhub.js, the hub says ready, and its
// Close button makes the SDK remove the frame and report close.
func TestJourney_DemoHost(t *testing.T) {
	lh := startLinkhub(t, "LINKHUB_ALLOW_PRIVATE_NETWORKS=true")
	port := freePort(t)
	origin := fmt.Sprintf("http://localhost:%d", port)
	key := seedHub(t, lh, origin)

	demo := exec.Command(binary, "demo", "--linkhub-url", lh.URL, "--port", fmt.Sprint(port))
	demo.Env = append(os.Environ(), "LINKHUB_API_KEY="+key)
	out := &syncBuffer{}
	demo.Stdout, demo.Stderr = out, out
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = demo.Process.Signal(syscall.SIGTERM); _ = demo.Wait() })
	for i := 0; ; i++ {
		if resp, err := http.Get(origin + "/"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 200 {
			t.Fatalf("demo host not up:\n%s", out)
		}
		time.Sleep(25 * time.Millisecond)
	}

	b := newBrowser(t, chromedp.Flag("disable-site-isolation-trials", true), chromedp.Flag("site-per-process", false))
	waitLog := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		var got string
		for time.Now().Before(deadline) {
			got, _ = chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(`[data-testid="host-log"]`)))
			if strings.Contains(got, want) {
				return got
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("host log has no %q; got %q\nlinkhub log:\n%s\ndemo log:\n%s", want, got, lh.Log, out)
		return ""
	}
	if err := chromedp.Do(b.Ctx,
		chromedp.Navigate(origin),
		chromedp.Click(chromedp.CSS(`[data-testid="host-connect"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitLog("ready")
	screenshot(t, b, "demo-host-modal")

	frames, err := chromedp.Run(b.Ctx, chromedp.Nodes(chromedp.CSS("iframe")))
	if err != nil || len(frames) != 1 {
		t.Fatalf("got %d frames (%v), want the hub's", len(frames), err)
	}
	ctx, cancel := context.WithTimeout(b.Ctx, 20*time.Second)
	defer cancel()
	in := chromedp.FromNode(frames[0])
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="close"]`), in),
		chromedp.Click(chromedp.CSS(`[data-testid="close"]`), in),
	); err != nil {
		t.Fatal(err)
	}
	waitLog("close")
	n, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll("iframe").length`))
	if err != nil || n != 0 {
		t.Errorf("got %d frames after close (%v), want the SDK to remove the hub", n, err)
	}
	if strings.Contains(out.String(), key) || strings.Contains(lh.Log.String(), key) {
		t.Error("the API key reached a log")
	}
}
