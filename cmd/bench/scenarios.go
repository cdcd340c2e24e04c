package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// scenarioEnv is what the scenarios share: the running Linkhub, its database, the
// seeded data and the fake vendor.
type scenarioEnv struct {
	base     string
	pid      int
	db       *postgres.DB
	keys     *secret.Keyring
	seeded   seeded
	vendor   *fake.NinjaOne
	duration time.Duration
	maxReq   int
}

func (e scenarioEnv) api(method, path string) *http.Request {
	r, _ := http.NewRequest(method, e.base+path, nil)
	r.Header.Set("Authorization", "Bearer "+e.seeded.apiKey)
	return r
}

// tokenScenarios links 10,000 accounts, asks each for a token once (every
// ask a cache miss: one vendor token request), then asks random accounts
// with every token cached.
func tokenScenarios(ctx context.Context, e scenarioEnv) ([]Result, error) {
	const n = 10000
	ids, err := seedAccounts(ctx, e.db, e.keys, e.seeded.profiles["ninjaone"], e.vendor.ClientID, e.vendor.ClientSecret, n)
	if err != nil {
		return nil, err
	}
	before := e.vendor.TokenRequests()
	var next atomic.Int64
	warm := run(ctx, Load{Name: "POST /api/v1/accounts/{id}/token, cache miss (vendor token request each), 10,000 accounts",
		Concurrency: 32, Duration: 2 * time.Minute, MaxRequests: n,
		Make: func(int, int) *http.Request {
			return e.api(http.MethodPost, "/api/v1/accounts/"+ids[next.Add(1)-1]+"/token")
		}}, e.pid)
	warm.Note = fmt.Sprintf("%d vendor token requests", e.vendor.TokenRequests()-before)
	before = e.vendor.TokenRequests()
	hot := run(ctx, Load{Name: "POST /api/v1/accounts/{id}/token, token cached, random of 10,000 accounts",
		Concurrency: 32, Duration: e.duration, MaxRequests: e.maxReq,
		Make: func(int, int) *http.Request {
			return e.api(http.MethodPost, "/api/v1/accounts/"+ids[rand.N(n)]+"/token")
		}}, e.pid)
	hot.Note = fmt.Sprintf("%d vendor token requests", e.vendor.TokenRequests()-before)
	return []Result{warm, hot}, nil
}

// linkScenario submits the hub's NinjaOne form in fresh hub sessions, one
// submission each, as users behind a proxy (each its own X-Forwarded-For,
// so the per-IP limit of the hub does not apply), and then checks that every
// success is an account in the database.
func linkScenario(ctx context.Context, e scenarioEnv, name string, concurrency, sessions int, duration time.Duration) (Result, error) {
	// Owners of their own per scenario: an owner who links the same vendor
	// account again is asked first whether to replace it.
	owners := fmt.Sprintf("bench-%d-", time.Now().UnixNano())
	pages, err := hubPages(e.base, e.seeded.apiKey, e.seeded.profiles["ninjaone"], owners, sessions)
	if err != nil {
		return Result{}, err
	}
	var before int
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE starts_with(origin_owner_id, $1)`, owners).Scan(&before); err != nil {
		return Result{}, err
	}
	form := url.Values{"region": {"eu"}, "client_id": {e.vendor.ClientID}, "client_secret": {e.vendor.ClientSecret}}.Encode()
	var next atomic.Int64
	r := run(ctx, Load{Name: name, Concurrency: concurrency, Duration: duration, MaxRequests: sessions,
		Make: func(int, int) *http.Request {
			i := next.Add(1) - 1
			req, _ := http.NewRequest(http.MethodPost, pages[i]+"/profiles/"+e.seeded.profiles["ninjaone"]+"/connect", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
			return req
		},
		OK: func(resp *http.Response, body []byte) bool {
			return resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte(`data-testid="success"`))
		}}, e.pid)
	var after int
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE starts_with(origin_owner_id, $1)`, owners).Scan(&after); err != nil {
		return r, err
	}
	r.Note = fmt.Sprintf("%d accounts stored for %d successes", after-before, r.Requests-r.Errors)
	return r, nil
}

// listScenario stores 100,000 more accounts over 10,000 origin owners and
// lists one random owner's accounts.
func listScenario(ctx context.Context, e scenarioEnv) (Result, error) {
	const n, owners = 100000, 10000
	if err := bulkAccounts(ctx, e.db, e.seeded.profiles["ninjaone"], n, owners); err != nil {
		return Result{}, err
	}
	r := run(ctx, Load{Name: "GET /api/v1/accounts?origin_owner_id=... (100,000 accounts stored, 10 per owner)",
		Concurrency: 32, Duration: e.duration, MaxRequests: e.maxReq,
		Make: func(int, int) *http.Request {
			return e.api(http.MethodGet, fmt.Sprintf("/api/v1/accounts?origin_owner_id=owner-%d&limit=50", rand.N(owners)))
		},
		OK: func(resp *http.Response, body []byte) bool {
			return resp.StatusCode == http.StatusOK && bytes.Count(body, []byte(`"origin_owner_id"`)) == n/owners
		}}, e.pid)
	return r, nil
}
