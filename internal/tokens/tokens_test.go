package tokens_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/internal/tokens"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type env struct {
	svc      *tokens.Service
	fake     *fake.NinjaOne
	profiles *postgres.ProfileService
	accounts *postgres.AccountService
}

func newEnv(t *testing.T) env {
	t.Helper()
	key, err := secret.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	kr, err := secret.ParseKeyring("1:"+key, "1")
	if err != nil {
		t.Fatal(err)
	}
	db := pgtest.DB(t)
	f := fake.NewNinjaOne(t)
	cfg := fake.Config(2*time.Second, f.Server.Server)
	cfg.Hosts.Definitions = map[string]map[string]string{"ninjaone": {"instance.eu": f.URL}}
	e := env{fake: f, profiles: postgres.NewProfileService(db, kr), accounts: postgres.NewAccountService(db, kr)}
	e.svc = tokens.New(e.profiles, e.accounts, connector.NewRegistry(cfg), connector.NewTokenCache(100))
	return e
}

// link stores a NinjaOne account whose client secret sits at profile level
// (shared) or account level.
func (e env) link(t *testing.T, name string, sharedSecret bool) *linkhub.Account {
	t.Helper()
	ctx := context.Background()
	p := &linkhub.Profile{ConnectorID: "ninjaone", Name: name, Enabled: true, Values: map[string]string{}}
	psec := map[string]secret.Value{}
	asec := map[string]secret.Value{}
	if sharedSecret {
		psec["client_secret"] = secret.New(e.fake.ClientSecret)
	} else {
		asec["client_secret"] = secret.New(e.fake.ClientSecret)
	}
	if err := e.profiles.CreateProfile(ctx, linkhub.SystemActor, p, psec); err != nil {
		t.Fatal(err)
	}
	a := &linkhub.Account{ProfileID: p.ID, ConnectorID: "ninjaone", OriginOwnerID: "owner-1", OriginOwnerName: "Owner",
		Values:   map[string]string{"region": "eu", "client_id": e.fake.ClientID},
		Metadata: map[string]string{"ninjaone_region": "eu"}}
	if err := e.accounts.CreateAccount(ctx, a, asec); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestService_Token(t *testing.T) {
	ctx := context.Background()

	t.Run("OneUpstreamRequestFor50ConcurrentCallers", func(t *testing.T) {
		e := newEnv(t)
		a := e.link(t, "Ninja", false)
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				tok, err := e.svc.Token(ctx, a.ID)
				if err != nil {
					t.Error(err)
					return
				}
				if tok.AccessToken.IsZero() || tok.BaseURL != e.fake.URL {
					t.Errorf("got token %v base %q, want a token for %q", tok.AccessToken, tok.BaseURL, e.fake.URL)
				}
			})
		}
		wg.Wait()
		if got := e.fake.TokenRequests(); got != 1 {
			t.Errorf("got %d upstream token requests, want 1", got)
		}
	})

	t.Run("SharedProfileSecret", func(t *testing.T) {
		e := newEnv(t)
		a := e.link(t, "Shared", true)
		if _, err := e.svc.Token(ctx, a.ID); err != nil {
			t.Fatalf("token with the profile's shared secret: %v", err)
		}
	})

	t.Run("RelinkGetsANewToken", func(t *testing.T) {
		e := newEnv(t)
		a := e.link(t, "Relink", false)
		if _, err := e.svc.Token(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.accounts.ReplaceCredentials(ctx, a.ID, a.Values, a.Metadata,
			map[string]secret.Value{"client_secret": secret.New(e.fake.ClientSecret)}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Token(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if got := e.fake.TokenRequests(); got != 2 {
			t.Errorf("got %d upstream token requests across a relink, want 2", got)
		}
	})

	t.Run("FlakyVendorIsRetriedOnce", func(t *testing.T) {
		e := newEnv(t)
		a := e.link(t, "Flaky", false)
		e.fake.SetFlaky(true)
		if _, err := e.svc.Token(ctx, a.ID); err != nil {
			t.Fatalf("got %v, want the retry to succeed", err)
		}
		if got := e.fake.TokenRequests(); got != 2 {
			t.Errorf("got %d upstream token requests, want 2 (one failure, one retry)", got)
		}
	})

	t.Run("ShortRetryAfterIsWaitedFor", func(t *testing.T) {
		// The token API follows the staged test's retry policy: a 503 with
		// Retry-After: 1 is retried after that second, not before.
		e := newEnv(t)
		a := e.link(t, "Busy", false)
		e.fake.BusyNext(1, "1")
		start := time.Now()
		if _, err := e.svc.Token(ctx, a.ID); err != nil {
			t.Fatalf("got %v, want the retry to succeed", err)
		}
		if got := e.fake.TokenRequests(); got != 2 {
			t.Errorf("got %d upstream token requests, want 2 (one 503, one retry)", got)
		}
		if d := time.Since(start); d < time.Second {
			t.Errorf("retried after %v, want the 1s the vendor asked for", d)
		}
	})

	t.Run("VendorDownFailsAfterOneRetry", func(t *testing.T) {
		e := newEnv(t)
		a := e.link(t, "Down", false)
		e.fake.SetDown(true)
		start := time.Now()
		_, err := e.svc.Token(ctx, a.ID)
		if linkhub.ErrorCode(err) != linkhub.EUNAVAILABLE || !strings.Contains(linkhub.ErrorMessage(err), "Try again") {
			t.Fatalf("got %v, want EUNAVAILABLE telling to try again", err)
		}
		if got := e.fake.TokenRequests(); got != 2 {
			t.Errorf("got %d upstream token requests, want 2 (one failure, one retry)", got)
		}
		if d := time.Since(start); d < 300*time.Millisecond {
			t.Errorf("the retry came after %v, want a back-off of at least 300ms", d)
		}
	})

	t.Run("DisabledAndNeedsRelinkAreRefusedWithoutUpstreamCall", func(t *testing.T) {
		e := newEnv(t)
		for _, status := range []string{linkhub.AccountDisabled, linkhub.AccountNeedsRelink} {
			a := e.link(t, "Refused "+status, false)
			if _, err := e.accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, status, "test"); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.Token(ctx, a.ID)
			if code := linkhub.ErrorCode(err); code != linkhub.EFORBIDDEN {
				t.Errorf("%s: got %v (%s), want EFORBIDDEN", status, err, code)
			}
		}
		if got := e.fake.TokenRequests(); got != 0 {
			t.Errorf("got %d upstream token requests, want 0", got)
		}
	})

	t.Run("UnknownAccount", func(t *testing.T) {
		e := newEnv(t)
		_, err := e.svc.Token(ctx, "00000000-0000-0000-0000-000000000000")
		if code := linkhub.ErrorCode(err); code != linkhub.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND", err)
		}
	})
}
