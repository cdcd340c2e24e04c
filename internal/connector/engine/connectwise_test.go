package engine_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustConnectWise starts a fake ConnectWise PSA site and the connectwise
// definition's connector; the site is what the user types, so no host
// override is needed.
func MustConnectWise(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.ConnectWise) {
	t.Helper()
	f := fake.NewConnectWise(t)
	return MustConnector(t, "connectwise", timeout, nil, f.Server.Server), f
}

// cwInput is the form with f's good values, changed by the pairs in kv
// (field id, value; "private_key" sets the secret).
func cwInput(f *fake.ConnectWise, actions []string, kv ...string) linkhub.TestInput {
	values := map[string]string{"client_id": f.Integration, "site": f.URL, "company_id": f.Company, "public_key": f.ClientID}
	secrets := map[string]string{"private_key": f.ClientSecret}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == "private_key" {
			secrets[kv[i]] = kv[i+1]
		} else {
			values[kv[i]] = kv[i+1]
		}
	}
	return linkhub.TestInput{Credentials: creds(values, secrets), Actions: actions}
}

func TestConnectWise_Test(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		c, f := MustConnectWise(t, 5*time.Second)
		r := c.Test(ctx, cwInput(f, []string{"list_companies", "list_configurations", "list_tickets"}))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		want := map[string]string{"codebase": "v4_6_release/", "connectwise_version": "v2025.1.99999", "connectwise_region": "NA"}
		for k, v := range want {
			if r.Metadata[k] != v {
				t.Fatalf("got metadata %v, want %v", r.Metadata, want)
			}
		}
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(f.Company+"+"+f.ClientID+":"+f.ClientSecret))
		if n := len(f.Sightings(basic)); n != 5 {
			t.Fatalf("got company+public:private in %d requests, want 5 (companyinfo, system/info, three probes)", n)
		}
		if n := len(f.Sightings("Clientid: " + f.Integration)); n != 5 {
			t.Fatalf("got the clientId in %d requests, want every one of 5", n)
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("NewerCodebase", func(t *testing.T) {
		c, f := MustConnectWise(t, 5*time.Second)
		f.Codebase = "v2025_1/"
		if r := c.Test(ctx, cwInput(f, nil)); !r.OK() || r.Metadata["codebase"] != "v2025_1/" {
			t.Fatalf("got %v %+v, want the codebase companyinfo names used", r.Metadata, r.Stages)
		}
	})
	// Failures that need no more than a mode of the fake, or one wrong
	// value, and one check.
	for name, tc := range map[string]struct {
		timeout  time.Duration
		mode     func(*fake.ConnectWise)
		kv       []string
		reason   string
		hintPart string
		status   int
	}{
		"WrongPrivateKey":  {kv: []string{"private_key", strings.Repeat("x", 16)}, reason: linkhub.ReasonBadCredentials, hintPart: "refused the keys", status: 401},
		"WrongPublicKey":   {kv: []string{"public_key", strings.Repeat("Y", 16)}, reason: linkhub.ReasonBadCredentials, hintPart: "refused the keys", status: 401},
		"UnknownCompany":   {kv: []string{"company_id", "globex"}, reason: linkhub.ReasonUnknownClient, hintPart: "does not know the company ID globex", status: 404},
		"UnregisteredApp":  {kv: []string{"client_id", "11111111-2222-4333-8444-555555555555"}, reason: linkhub.ReasonBadCredentials, hintPart: "client ID is not registered", status: 401},
		"RevokedKey":       {mode: func(f *fake.ConnectWise) { f.SetSecretRevoked(true) }, reason: linkhub.ReasonBadCredentials, hintPart: "API member is active", status: 401},
		"NotConnectWise":   {mode: func(f *fake.ConnectWise) { f.SetWrongProduct(true) }, reason: linkhub.ReasonNotVendor, hintPart: "not like ConnectWise PSA", status: 200},
		"VendorDown":       {mode: func(f *fake.ConnectWise) { f.SetDown(true) }, reason: linkhub.ReasonVendorUnavailable, hintPart: "Try again", status: 503},
		"RateLimited":      {mode: func(f *fake.ConnectWise) { f.RateLimited = true }, reason: linkhub.ReasonVendorUnavailable, hintPart: "Try again in 3 seconds", status: 429},
		"Timeout":          {timeout: 500 * time.Millisecond, mode: func(f *fake.ConnectWise) { f.SetSlow(-1) }, reason: linkhub.ReasonTimeout, hintPart: "did not answer"},
		"WrongSiteAddress": {mode: func(f *fake.ConnectWise) { f.SetNotFound(true) }, reason: linkhub.ReasonUnknownClient, hintPart: "Check the company ID you sign in with, and the API site", status: 404},
	} {
		t.Run(name, func(t *testing.T) {
			c, f := MustConnectWise(t, cmp.Or(tc.timeout, 5*time.Second))
			if tc.mode != nil {
				tc.mode(f)
			}
			r := c.Test(ctx, cwInput(f, nil, tc.kv...))
			if s := mustFail(t, r, linkhub.StageVerify, tc.reason, tc.hintPart, f.ClientSecret); s.HTTPStatus != tc.status {
				t.Fatalf("got status %d, want %d", s.HTTPStatus, tc.status)
			}
		})
	}
	t.Run("BadInput", func(t *testing.T) {
		c, f := MustConnectWise(t, 5*time.Second)
		r := c.Test(ctx, cwInput(f, nil, "public_key", "short", "company_id", "acme corp", "private_key", "with spaces in it"))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		for _, id := range []string{"public_key", "company_id", "private_key"} {
			if r.FieldErrors[id] == "" {
				t.Fatalf("got field errors %v, want one for %s", r.FieldErrors, id)
			}
		}
		if len(f.Requests()) != 0 {
			t.Fatal("a call went out with bad input")
		}
	})
	t.Run("MissingPermission", func(t *testing.T) {
		c, f := MustConnectWise(t, 5*time.Second)
		f.Inquire["configurations"], f.Inquire["tickets"] = false, false
		r := c.Test(ctx, cwInput(f, []string{"list_companies", "list_configurations", "list_tickets"}))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "Inquire", f.ClientSecret)
		if s.HTTPStatus != 403 || strings.Contains(s.Hint, "List companies") || !strings.Contains(s.Hint, "List configurations") || !strings.Contains(s.Hint, "List service tickets") {
			t.Fatalf("got %d %q, want 403 naming the two refused actions only", s.HTTPStatus, s.Hint)
		}
	})
}

// TestConnectWise_TokenAndAction checks that the token API hands out the
// Basic header and the clientId at the discovered API root, and that an
// action answers through them.
func TestConnectWise_TokenAndAction(t *testing.T) {
	c, f := MustConnectWise(t, 5*time.Second)
	in := cwInput(f, nil)
	r := c.Test(context.Background(), in)
	tok, err := c.Token(context.Background(), in.Credentials, r.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != f.URL+"/v4_6_release/apis/3.0" || tok.Headers["clientId"] != f.Integration || !strings.HasPrefix(tok.Headers["Authorization"], "Basic ") {
		t.Fatalf("got base %s and %d headers, want the API root with Basic and clientId", tok.BaseURL, len(tok.Headers))
	}
	if got := call(t, fake.Config(5*time.Second, f.Server.Server), tok, "/company/companies?pageSize=1"); got != 200 {
		t.Fatalf("action list_companies: got %d, want 200", got)
	}
}
