package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestShutdown_InFlightLinks sends SIGTERM to the linkhub binary while 100
// link submissions wait on a slow Jamf Pro: each submission either
// completes and its account is stored, or fails and nothing is stored for
// its owner; the process exits within the shutdown bound.
func TestShutdown_InFlightLinks(t *testing.T) {
	const n, shutdownBound = 100, 10 * time.Second
	v := startVendors(t)
	f := v.Jamf
	f.SetSlow(500 * time.Millisecond)
	lh := startLinkhub(t, append(v.Env(), "LINKHUB_VENDOR_TIMEOUT=10s", "LINKHUB_SHUTDOWN_TIMEOUT="+shutdownBound.String(),
		"LINKHUB_TRUSTED_PROXIES=127.0.0.1/32", "LINKHUB_DB_MAX_CONNS=20")...)
	seed := newSeed(t, lh)
	profileID := seed.JamfProfile().ID
	seed.EmbedOrigins("https://host.example")
	key := seed.APIKey()
	db := seed.db
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	actions := make([]string, n)
	for i := range actions {
		req, _ := http.NewRequest(http.MethodPost, lh.URL+"/api/v1/connect_sessions",
			strings.NewReader(fmt.Sprintf(`{"origin_owner_id":"owner-%d","origin_owner_name":"Owner"}`, i)))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		tok, _, _ := strings.Cut(strings.TrimPrefix(string(b), `{"token":"`), `"`)
		resp, err = noRedirect.Get(lh.URL + "/connect?token=" + url.QueryEscape(tok))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		hub := resp.Header.Get("Location")
		if !strings.HasPrefix(hub, "/hub/") {
			t.Fatalf("session %d: got %d to %q", i, resp.StatusCode, hub)
		}
		actions[i] = hub + "/profiles/" + profileID + "/connect"
	}

	stored := make([]bool, n) // the user saw the success screen
	var wg sync.WaitGroup
	for i, action := range actions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"url": {f.URL}, "client_id": {f.ClientID}, "client_secret": {f.ClientSecret}}
			req, _ := http.NewRequest(http.MethodPost, lh.URL+action, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1)) // one end user each
			resp, err := noRedirect.Do(req)
			if err != nil {
				return // cut off: the user sees a failed request
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			stored[i] = resp.StatusCode == http.StatusOK && strings.Contains(string(b), `data-testid="success"`)
		}()
	}
	// Wait until every submission has reached the vendor, then stop.
	deadline := time.Now().Add(20 * time.Second)
	for f.TokenRequests() < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := f.TokenRequests(); got < n {
		t.Fatalf("only %d of %d submissions reached the vendor", got, n)
	}
	start := time.Now()
	if err := lh.proc.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-lh.done:
	case <-time.After(shutdownBound + 5*time.Second):
		t.Fatalf("linkhub still running %v after SIGTERM (bound %v)", time.Since(start), shutdownBound)
	}
	t.Logf("exited %v after SIGTERM", time.Since(start).Round(time.Millisecond))
	wg.Wait()

	succeeded := 0
	for i := range n {
		var accounts int
		if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE origin_owner_id = $1`,
			fmt.Sprintf("owner-%d", i)).Scan(&accounts); err != nil {
			t.Fatal(err)
		}
		var sealed int
		_ = db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM secrets s JOIN accounts a ON s.owner_id = a.id
			WHERE a.origin_owner_id = $1`, fmt.Sprintf("owner-%d", i)).Scan(&sealed)
		switch {
		case stored[i] && (accounts != 1 || sealed != 1):
			t.Errorf("owner-%d saw success but has %d accounts with %d sealed secrets", i, accounts, sealed)
		case !stored[i] && accounts != 0:
			t.Errorf("owner-%d saw a failure but has %d accounts stored", i, accounts)
		}
		if stored[i] {
			succeeded++
		}
	}
	t.Logf("%d of %d in-flight submissions completed and were stored", succeeded, n)
}
