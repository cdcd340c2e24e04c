package linking_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

func TestService_CreateSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	p := e.mustProfile(t, "Jamf")
	n, two := 0, 2
	long := make([]byte, linkhub.MaxOwnerFieldLen+1)
	for i := range long {
		long[i] = 'x'
	}
	for _, tc := range []struct {
		name, field string
		req         linking.SessionRequest
	}{
		{"ErrOwnerRequired", "origin_owner_id", linking.SessionRequest{OriginOwnerName: "O"}},
		{"ErrOwnerTooLong", "origin_owner_name", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: string(long)}},
		{"ErrNUL", "label", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", Label: "a\x00b"}},
		{"ErrTwoTargets", "connector", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", ProfileIDs: []string{p.ID}, Connector: "jamf"}},
		{"ErrUnknownProfile", "profile_ids", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", ProfileIDs: []string{"8f9c1d1e-0000-4000-8000-00000000000a"}}},
		{"ErrUnknownConnector", "connector", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", Connector: "nope"}},
		{"ErrUnknownAccount", "account_id", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", AccountID: "8f9c1d1e-0000-4000-8000-00000000000a"}},
		{"ErrExpiry", "expires_in", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", ExpiresIn: &n}},
		{"ErrMaxLinks", "max_links", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", MaxLinks: &n}},
		{"ErrEmbedOrigin", "embed_origin", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", EmbedOrigin: "https://evil.example"}},
		{"ErrReturnURL", "return_url", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", ReturnURL: "https://evil.example/x"}},
		{"ErrMetadata", "metadata", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", Metadata: json.RawMessage(`[1]`)}},
		{"ErrLocale", "locale", linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", Locale: "klingon"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.svc.CreateSession(ctx, linkhub.SystemActor, tc.req)
			var le *linkhub.Error
			if !errors.As(err, &le) || le.Code != linkhub.EINVALID || le.Field != tc.field || le.Message == "" {
				t.Errorf("got %v, want EINVALID on %s", err, tc.field)
			}
		})
	}

	t.Run("ErrLocales", func(t *testing.T) {
		for _, bad := range []string{"xx", "de-DE", "pt", "english", "en-XA-x", strings.Repeat("a", 100)} {
			_, _, err := e.svc.CreateSession(ctx, linkhub.SystemActor, linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", Locale: bad})
			if linkhub.ErrorField(err) != "locale" || !strings.Contains(linkhub.ErrorMessage(err), "pt-BR") {
				t.Errorf("locale %q: got %v, want EINVALID on locale naming the languages", bad, err)
			}
		}
	})

	// The API's locale is read in any case, the pseudo-locale included, and
	// stored as the hub's language.
	t.Run("Locales", func(t *testing.T) {
		for tag, want := range map[string]string{"pt-br": "pt-BR", "JA": "ja", "en-XA": "en-XA"} {
			_, tok, err := e.svc.CreateSession(ctx, linkhub.SystemActor, linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", Locale: tag})
			if err != nil {
				t.Fatalf("locale %q: %v", tag, err)
			}
			_, cs, err := e.sessions.OpenHubSession(ctx, tok)
			if err != nil {
				t.Fatal(err)
			}
			if cs.Locale != want {
				t.Errorf("locale %q: stored %q, want %q", tag, cs.Locale, want)
			}
		}
	})

	t.Run("OK", func(t *testing.T) {
		cs, tok, err := e.svc.CreateSession(ctx, linkhub.SystemActor, linking.SessionRequest{
			OriginOwnerID: " o ", OriginOwnerName: "O", ProfileIDs: []string{p.ID, p.ID}, MaxLinks: &two,
			Metadata: json.RawMessage(`{"plan":"gold"}`), Locale: "PT-br"})
		if err != nil || tok == "" {
			t.Fatalf("got %v", err)
		}
		if cs.OriginOwnerID != "o" || len(cs.ProfileIDs) != 1 || cs.MaxLinks != 2 || cs.Metadata["plan"] != "gold" || cs.Locale != "pt-BR" {
			t.Errorf("got %+v", cs)
		}
		if d := time.Until(cs.ExpiresAt); d < linkhub.DefaultSessionExpiry-time.Minute || d > linkhub.DefaultSessionExpiry {
			t.Errorf("expires in %v, want the settings' lifetime", d)
		}
	})
}

// The admin's relink goes through the API's rules: a relink session for the
// account's owner, one link.
func TestService_Relink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	p, cs, handle := e.mustStart(t)
	out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "")
	if err != nil || out.Kind != linking.Linked {
		t.Fatalf("link: got %+v, %v", out, err)
	}
	rs, tok, err := e.svc.Relink(ctx, linkhub.SystemActor, out.Account.ID)
	if err != nil || tok == "" {
		t.Fatalf("relink: %v", err)
	}
	if !rs.Relink() || rs.AccountID != out.Account.ID || rs.OriginOwnerID != "org-1" || rs.Label != "Main" || rs.MaxLinks != 1 {
		t.Errorf("got %+v, want a relink of org-1's account", rs)
	}
	// An account stored through the API may have no owner name: the
	// API's rule that asks for one is about what a host sends.
	nameless := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "org-2", Values: map[string]string{"url": e.jamf.URL}}
	if err := e.accounts.CreateAccount(ctx, nameless, nil); err != nil {
		t.Fatal(err)
	}
	if rs, _, err := e.svc.Relink(ctx, linkhub.SystemActor, nameless.ID); err != nil || rs.OriginOwnerID != "org-2" {
		t.Errorf("nameless account: got %+v, %v", rs, err)
	}
	if _, _, err := e.svc.Relink(ctx, linkhub.SystemActor, "8f9c1d1e-0000-4000-8000-00000000000a"); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("unknown account: got %v, want ENOTFOUND", err)
	}
}
