// Package host is an example host product: a page on its own origin whose
// backend creates a Linkhub connect session with an API key and embeds the
// hub with static/js/linkhub.js. `linkhub demo` serves it.
package host

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

//go:embed index.html
var files embed.FS

// Config is what the example backend needs.
type Config struct {
	LinkhubURL string // e.g. http://localhost:8080
	APIKey     string // a Linkhub API key; stays on the server, never in the page
	Origin     string // this host page's own origin, sent as embed_origin
	OwnerID    string
	OwnerName  string
	ProfileIDs []string
	Client     *http.Client
	SessionTTL time.Duration
}

// Handler serves the host page and POST /session.
func Handler(cfg Config) http.Handler {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page, _ := files.ReadFile("index.html")
		page = bytes.ReplaceAll(page, []byte("{{LINKHUB_URL}}"), []byte(cfg.LinkhubURL))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
	mux.HandleFunc("POST /session", func(w http.ResponseWriter, r *http.Request) {
		body, status, err := createSession(r.Context(), cfg)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
	return mux
}

// createSession is what a real host backend does: call Linkhub's API with
// its API key for the signed-in user, and hand only the hub URL to the page.
func createSession(ctx context.Context, cfg Config) ([]byte, int, error) {
	req := map[string]any{
		"origin_owner_id":   cfg.OwnerID,
		"origin_owner_name": cfg.OwnerName,
		"embed_origin":      cfg.Origin,
		"expires_in":        int(cfg.SessionTTL.Seconds()),
	}
	if len(cfg.ProfileIDs) > 0 {
		req["profile_ids"] = cfg.ProfileIDs
	}
	b, _ := json.Marshal(req)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost,
		strings.TrimRight(cfg.LinkhubURL, "/")+"/api/v1/connect_sessions", bytes.NewReader(b))
	if err != nil {
		return nil, 0, err
	}
	hr.Header.Set("Authorization", "Bearer "+cfg.APIKey)
	hr.Header.Set("Content-Type", "application/json")
	resp, err := cfg.Client.Do(hr)
	if err != nil {
		return nil, 0, fmt.Errorf("call Linkhub: %w", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return out, resp.StatusCode, err
}
