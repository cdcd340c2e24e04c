package engine_test

import (
	"cmp"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustMeraki starts a fake Meraki global region and a fake Canada region,
// and the meraki definition's connector pointed at them.
func MustMeraki(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Meraki, *fake.Meraki) {
	t.Helper()
	global, ca := fake.NewMeraki(t), fake.NewMeraki(t)
	c := MustConnector(t, "meraki", timeout, map[string]string{"api.global": global.URL, "api.ca": ca.URL},
		global.Server.Server, ca.Server.Server)
	return c, global, ca
}

func merakiInput(region, key, org string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"region": region, "organization_id": org},
		map[string]string{"api_key": key}), Actions: actions}
}

// mustFailStatus checks that the verify stage failed on Meraki's answer
// with status.
func mustFailStatus(t *testing.T, r linkhub.Report, status int, reason, hintPart, key string) {
	t.Helper()
	if s := mustFail(t, r, linkhub.StageVerify, reason, hintPart, key); s.HTTPStatus != status {
		t.Fatalf("got status %d, want %d", s.HTTPStatus, status)
	}
}

func TestMeraki_Test(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		f.Orgs = append(f.Orgs, [2]string{"1234567", "Acme Branches"})
		r := c.Test(ctx, merakiInput("global", f.ClientSecret, "", "list_devices", "device_statuses", "list_networks"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		want := map[string]string{"meraki_org_id": "549236", "meraki_org_name": "DevNet Sandbox", "meraki_org_count": "2"}
		for k, v := range want {
			if r.Metadata[k] != v {
				t.Fatalf("got metadata %v, want %v", r.Metadata, want)
			}
		}
		if tok, perm := stage(r, linkhub.StageToken), stage(r, linkhub.StagePermissions); tok.Status != linkhub.StatusSkipped || perm.Status != linkhub.StatusPassed {
			t.Fatalf("got token %s and permissions %s, want skipped (an API key needs no sign-in) and passed", tok.Status, perm.Status)
		}
		if n := len(f.Sightings("Bearer " + f.ClientSecret)); n != 5 {
			t.Fatalf("got the key in %d requests, want 5 (organizations, the organization, three probes)", n)
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("ChosenOrganization", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		f.Orgs = append(f.Orgs, [2]string{"1234567", "Acme Branches"})
		r := c.Test(ctx, merakiInput("global", f.ClientSecret, "1234567", "list_devices"))
		if !r.OK() || r.Metadata["meraki_org_name"] != "Acme Branches" {
			t.Fatalf("got %v %+v, want the organization entered", r.Metadata, r.Stages)
		}
		if reqs := f.Requests(); len(reqs) != 3 || reqs[2].Path != "/api/v1/organizations/1234567/devices" {
			t.Fatalf("got requests %+v, want the probe on the organization entered", f.Requests())
		}
	})
	t.Run("WrongKey", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		wrong := strings.Repeat("ab", 20)
		r := c.Test(ctx, merakiInput("global", wrong, ""))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "Meraki refused the API key", wrong); s.HTTPStatus != 401 || !strings.Contains(s.Snippet, "Invalid API key") {
			t.Fatalf("got %d %q, want 401 with Meraki's words", s.HTTPStatus, s.Snippet)
		}
		if len(f.Sightings(wrong)) != 1 {
			t.Fatal("the wrong key did not reach Meraki once")
		}
	})
	// Failures that need no more than a mode of the fake and one check.
	for name, tc := range map[string]struct {
		timeout  time.Duration
		mode     func(*fake.Meraki)
		org      string
		reason   string
		hintPart string
	}{
		"RevokedKey":          {mode: func(f *fake.Meraki) { f.SetSecretRevoked(true) }, reason: linkhub.ReasonBadCredentials, hintPart: "revoked"},
		"UnknownOrganization": {org: "999", reason: linkhub.ReasonPermissionMissing, hintPart: "Check the organization ID"},
		"VendorDown":          {mode: func(f *fake.Meraki) { f.SetDown(true) }, reason: linkhub.ReasonVendorUnavailable, hintPart: "Try again"},
		"Timeout":             {timeout: 500 * time.Millisecond, mode: func(f *fake.Meraki) { f.SetSlow(-1) }, reason: linkhub.ReasonTimeout, hintPart: "did not answer"},
	} {
		t.Run(name, func(t *testing.T) {
			c, f, _ := MustMeraki(t, cmp.Or(tc.timeout, 5*time.Second))
			if tc.mode != nil {
				tc.mode(f)
			}
			r := c.Test(ctx, merakiInput("global", f.ClientSecret, tc.org))
			mustFail(t, r, linkhub.StageVerify, tc.reason, tc.hintPart, f.ClientSecret)
		})
	}
	t.Run("NotAKey", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		r := c.Test(ctx, merakiInput("global", "Bearer 6bec40cf", "acme"))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if !strings.Contains(r.FieldErrors["api_key"], "40 letters") || !strings.Contains(r.FieldErrors["organization_id"], "digits only") || len(f.Requests()) != 0 {
			t.Fatalf("got field errors %v after %d requests, want both messages and no call", r.FieldErrors, len(f.Requests()))
		}
	})
	t.Run("WrongRegion", func(t *testing.T) {
		c, global, ca := MustMeraki(t, 5*time.Second)
		r := c.Test(ctx, merakiInput("global", ca.ClientSecret, ""))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "another region", ca.ClientSecret)
		if len(ca.Requests()) != 0 || len(global.Requests()) != 1 {
			t.Fatal("want one call, to the region picked")
		}
		if r := c.Test(ctx, merakiInput("ca", ca.ClientSecret, "")); !r.OK() {
			t.Fatalf("in the right region: got %+v", r.Stages)
		}
	})
	t.Run("RedirectToRegion", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		f.RedirectTo = "https://api.meraki.ca"
		r := c.Test(ctx, merakiInput("global", f.ClientSecret, ""))
		mustFailStatus(t, r, 307, linkhub.ReasonUnexpectedResponse, "pick Canada", f.ClientSecret)
	})
	t.Run("RedirectToShard", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		f.RedirectTo = "https://n149.meraki.com"
		r := c.Test(ctx, merakiInput("global", f.ClientSecret, ""))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonUnexpectedResponse, "only to the region's API host", f.ClientSecret)
	})
	t.Run("APIAccessOff", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		f.APIDisabled["549236"] = true
		r := c.Test(ctx, merakiInput("global", f.ClientSecret, ""))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "Turn on API access for it", f.ClientSecret); s.HTTPStatus != 404 || !strings.Contains(s.Hint, "549236") {
			t.Fatalf("got %d %q, want 404 naming the organization", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("MissingPermission", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		f.NetworkOnly = true
		r := c.Test(ctx, merakiInput("global", f.ClientSecret, "", "list_devices", "list_networks"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "Read-only", f.ClientSecret)
		if s.HTTPStatus != 403 || !strings.Contains(s.Hint, "List devices") || !strings.Contains(s.Hint, "List networks") {
			t.Fatalf("got %d %q, want 403 naming both actions", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, merakiInput("global", f.ClientSecret, ""))
		mustFailStatus(t, r, 429, linkhub.ReasonVendorUnavailable, "Try again in 2 seconds", f.ClientSecret)
	})
}

// TestMeraki_TokenAndAction checks that the token API hands out the key
// with its Bearer header for the region's host, and that an action answers
// through it.
func TestMeraki_TokenAndAction(t *testing.T) {
	c, _, ca := MustMeraki(t, 5*time.Second)
	in := merakiInput("ca", ca.ClientSecret, "")
	tok, err := c.Token(context.Background(), in.Credentials, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != ca.URL || tok.Headers["Authorization"] != "Bearer "+ca.ClientSecret {
		t.Fatalf("got base %s and %d headers, want the Canada host and a Bearer header", tok.BaseURL, len(tok.Headers))
	}
	if got := call(t, fake.Config(5*time.Second, ca.Server.Server), tok, "/api/v1/organizations/549236/devices?perPage=3"); got != 200 {
		t.Fatalf("action list_devices: got %d, want 200", got)
	}
}
