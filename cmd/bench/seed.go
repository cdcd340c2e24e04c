package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// seed gives a running Linkhub one profile per connector and an API key,
// straight through the services, and returns the key.
func seed(ctx context.Context, dbURL string, keys *secret.Keyring) (string, error) {
	db, err := postgres.Open(ctx, dbURL, 2)
	if err != nil {
		return "", err
	}
	defer db.Close()
	profiles := postgres.NewProfileService(db, keys)
	for _, c := range []struct{ id, name string }{{"sophos", "Sophos Central"}, {"jamf", "Jamf Pro"}, {"ninjaone", "NinjaOne"}} {
		if err := profiles.CreateProfile(ctx, &linkhub.Profile{ConnectorID: c.id, Name: c.name, Enabled: true}, nil); err != nil {
			return "", fmt.Errorf("seed profile: %w", err)
		}
	}
	_, key, err := postgres.NewAPIKeyService(db).CreateAPIKey(ctx, linkhub.SystemActor, "bench")
	return key, err
}

// hubPage creates a connect session through the API, opens its link, and
// returns the token-free hub address it redirects to: a live hub session.
func hubPage(base, apiKey string) (string, error) {
	body, _ := json.Marshal(map[string]any{"origin_owner_id": "bench", "origin_owner_name": "Bench", "expires_in": 3600})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/connect_sessions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ URL string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("create connect session: status %d", resp.StatusCode)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := noFollow.Get(out.URL)
	if err != nil {
		return "", err
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("open hub link: status %d", r.StatusCode)
	}
	return base + r.Header.Get("Location"), nil
}
