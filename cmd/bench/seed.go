package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// seeded is what seed made: an API key and a profile id per connector.
type seeded struct {
	apiKey   string
	profiles map[string]string
}

// seed gives a running Linkhub one profile per connector and an API key,
// straight through the services.
func seed(ctx context.Context, db *postgres.DB, keys *secret.Keyring) (seeded, error) {
	out := seeded{profiles: map[string]string{}}
	profiles := postgres.NewProfileService(db, keys)
	for _, c := range []struct{ id, name string }{{"sophos", "Sophos Central"}, {"jamf", "Jamf Pro"}, {"ninjaone", "NinjaOne"}} {
		p := &linkhub.Profile{ConnectorID: c.id, Name: c.name, Enabled: true}
		if err := profiles.CreateProfile(ctx, linkhub.SystemActor, p, nil); err != nil {
			return out, fmt.Errorf("seed profile: %w", err)
		}
		out.profiles[c.id] = p.ID
	}
	var err error
	_, out.apiKey, err = postgres.NewAPIKeyService(db).CreateAPIKey(ctx, linkhub.SystemActor, "bench")
	return out, err
}

// seedAccounts links n NinjaOne accounts with the fake's credentials through
// the account service (sealed secrets and all) and returns their ids.
func seedAccounts(ctx context.Context, db *postgres.DB, keys *secret.Keyring, profileID, clientID, clientSecret string, n int) ([]string, error) {
	accounts := postgres.NewAccountService(db, keys)
	ids := make([]string, n)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < n; i += 4 {
				a := &linkhub.Account{ProfileID: profileID, OriginOwnerID: fmt.Sprintf("token-owner-%d", i),
					OriginOwnerName: "Bench", Values: map[string]string{"region": "eu", "client_id": clientID}}
				if err := accounts.CreateAccount(ctx, a, map[string]secret.Value{"client_secret": secret.New(clientSecret)}); err != nil {
					select {
					case errs <- err:
					default:
					}
					return
				}
				ids[i] = a.ID
			}
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		return nil, fmt.Errorf("seed accounts: %w", err)
	default:
		return ids, nil
	}
}

// bulkAccounts inserts n accounts spread over owners origin owners
// ("owner-0"...) in one statement: the list scenario reads rows, not
// secrets, and linking 100,000 accounts one by one would take minutes. They
// were created over the last 2.8 hours, so none is due for its scheduled
// re-test (every 6 h) while the scenario runs.
func bulkAccounts(ctx context.Context, db *postgres.DB, profileID string, n, owners int) error {
	_, err := db.Pool.Exec(ctx, `INSERT INTO accounts (profile_id, connector_id, origin_owner_id, origin_owner_name, field_values, created_at)
		SELECT $1, 'ninjaone', 'owner-' || (i % $3), 'Owner ' || (i % $3), '{"region": "eu"}',
			now() - make_interval(secs => i / 10.0)
		FROM generate_series(1, $2) AS i`, profileID, n, owners)
	if err != nil {
		return fmt.Errorf("bulk accounts: %w", err)
	}
	// The steady state of a table that grew over time: vacuumed and
	// analysed, not autovacuum busy with a fresh bulk load.
	_, err = db.Pool.Exec(ctx, `VACUUM ANALYZE accounts`)
	return err
}

// hubPage creates a connect session through the API, opens its link, and
// returns the token-free hub address it redirects to: a live hub session.
// The session is owner's; profileIDs, when given, limit it to those profiles.
func hubPage(client *http.Client, base, apiKey, owner string, profileIDs ...string) (string, error) {
	req := map[string]any{"origin_owner_id": owner, "origin_owner_name": "Bench", "expires_in": 3600}
	if len(profileIDs) > 0 {
		req["profile_ids"] = profileIDs
	}
	body, _ := json.Marshal(req)
	r, _ := http.NewRequest(http.MethodPost, base+"/api/v1/connect_sessions", bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+apiKey)
	r.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(r)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ URL string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("create connect session: status %d", resp.StatusCode)
	}
	open, err := client.Get(out.URL)
	if err != nil {
		return "", err
	}
	open.Body.Close()
	if open.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("open hub link: status %d", open.StatusCode)
	}
	return base + open.Header.Get("Location"), nil
}

// hubPages opens n hub sessions limited to profileID, 16 at a time.
func hubPages(base, apiKey, profileID, ownerPrefix string, n int) ([]string, error) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	out := make([]string, n)
	errs := make(chan error, 16)
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			// An owner per session, as users linking their own accounts: one
			// owner linking the same vendor account again is asked first
			// whether to replace it.
			u, err := hubPage(client, base, apiKey, fmt.Sprintf("%s%d", ownerPrefix, i), profileID)
			if err != nil {
				select {
				case errs <- err:
				default:
				}
			}
			out[i] = u
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
		return out, nil
	}
}
