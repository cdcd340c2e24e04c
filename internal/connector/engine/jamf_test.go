package engine_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/connector/kit/kittest"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// MustJamf starts a fake Jamf Pro and the jamf definition's connector that
// trusts it; the server's address is what the user types.
func MustJamf(t *testing.T) (*engine.Connector, *fake.Jamf) {
	t.Helper()
	f := fake.NewJamf(t)
	return jamfNew(t, fake.Config(2*time.Second, f.Server.Server)), f
}

func jamfNew(t *testing.T, cfg kit.Config) *engine.Connector {
	t.Helper()
	return engine.New(builtin(t, "jamf"), cfg)
}

func jamfInput(url, id, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: linkhub.Credentials{
		Values:  map[string]string{"url": url, "client_id": id},
		Secrets: map[string]secret.Value{"client_secret": secret.New(sec)},
	}, Actions: actions}
}

// jamfGoodInput is the fake's known good credentials, with the URL pasted the
// way users do.
func jamfGoodInput(f *fake.Jamf, actions ...string) linkhub.TestInput {
	return jamfInput("  "+strings.ToUpper(f.URL)+"/index.html ", f.ClientID, f.ClientSecret+"\n", actions...)
}

// jamfStage returns the stage named n of r.
func jamfStage(t *testing.T, r linkhub.Report, n linkhub.StageName) linkhub.Stage {
	t.Helper()
	for _, s := range r.Stages {
		if s.Name == n {
			return s
		}
	}
	t.Fatalf("no stage %s in %+v", n, r.Stages)
	return linkhub.Stage{}
}

// jamfMustFail checks that stage n failed with reason and that no later stage ran.
func jamfMustFail(t *testing.T, r linkhub.Report, n linkhub.StageName, reason string) linkhub.Stage {
	t.Helper()
	s := jamfStage(t, r, n)
	if s.Status != linkhub.StatusFailed || s.Reason != reason {
		t.Fatalf("stage %s: got %s/%s (%q), want failed/%s", n, s.Status, s.Reason, s.Hint, reason)
	}
	if s.Hint == "" {
		t.Fatalf("stage %s: got an empty hint", n)
	}
	for _, goText := range []string{"dial tcp", "x509:", "lookup ", "context deadline", "connect:", "Post \"", "Get \""} {
		if strings.Contains(s.Hint, goText) {
			t.Fatalf("stage %s: got Go error text %q in hint %q", n, goText, s.Hint)
		}
	}
	if r.OK() {
		t.Fatalf("got OK report with a failed stage")
	}
	return s
}

func TestJamf_Test(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, f := MustJamf(t)
		r := c.Test(context.Background(), jamfGoodInput(f))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got, want := r.Values["url"], f.URL; got != want {
			t.Fatalf("got URL %q, want %q", got, want)
		}
		if got, want := r.Metadata["jamf_version"], f.Version; got != want {
			t.Fatalf("got version %q, want %q", got, want)
		}
		if got := jamfStage(t, r, linkhub.StagePermissions).Status; got != linkhub.StatusSkipped {
			t.Fatalf("got permissions %s, want skipped with no actions", got)
		}
		if got, want := len(r.Stages), 5; got != want {
			t.Fatalf("got %d stages, want %d", got, want)
		}
	})
	t.Run("FallbackToV1TokenPath", func(t *testing.T) {
		c, f := MustJamf(t)
		f.OnlyV1Token = true
		r := c.Test(context.Background(), jamfGoodInput(f))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got, want := r.Metadata["jamf_token_path"], "/api/v1/oauth/token"; got != want {
			t.Fatalf("got token path %q, want %q", got, want)
		}
		if got, want := f.TokenRequests(), 2; got != want {
			t.Fatalf("got %d token requests, want %d", got, want)
		}
	})
	t.Run("ErrOlderThan1049", func(t *testing.T) {
		c, f := MustJamf(t)
		f.NoOAuth = true
		s := jamfMustFail(t, c.Test(context.Background(), jamfGoodInput(f)), linkhub.StageToken, linkhub.ReasonVendorTooOld)
		if s.HTTPStatus != 404 || !strings.Contains(s.Hint, "older than 10.49") || !strings.Contains(s.Hint, "Update Jamf Pro") {
			t.Fatalf("got %d %q, want 404 and a hint to update to 10.49", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("ErrWrongProductNotFound", func(t *testing.T) {
		c, f := MustJamf(t)
		f.SetNotFound(true)
		s := jamfMustFail(t, c.Test(context.Background(), jamfGoodInput(f)), linkhub.StageToken, linkhub.ReasonNotVendor)
		if s.HTTPStatus != 404 || strings.Contains(s.Hint, "10.49") || !strings.Contains(s.Hint, "not a Jamf Pro server") {
			t.Fatalf("got %d %q, want 404 and a hint about the address only", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		c, f := MustJamf(t)
		s := jamfMustFail(t, c.Test(context.Background(), jamfInput(f.URL, f.ClientID, "nope")), linkhub.StageToken, linkhub.ReasonBadCredentials)
		if s.HTTPStatus != 401 || !strings.Contains(s.Snippet, "invalid_client") {
			t.Fatalf("got %d %q, want 401 with the vendor's error", s.HTTPStatus, s.Snippet)
		}
	})
	t.Run("ErrWrongProduct", func(t *testing.T) {
		c, f := MustJamf(t)
		f.SetWrongProduct(true)
		s := jamfMustFail(t, c.Test(context.Background(), jamfGoodInput(f)), linkhub.StageToken, linkhub.ReasonNotVendor)
		if !strings.Contains(s.Snippet, "nginx") {
			t.Fatalf("got snippet %q, want the page's text", s.Snippet)
		}
	})
	t.Run("ErrInvalidInput", func(t *testing.T) {
		c, _ := MustJamf(t)
		r := c.Test(context.Background(), jamfInput("http://", "", ""))
		jamfMustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput)
		for _, id := range []string{"url", "client_id", "client_secret"} {
			if r.FieldErrors[id] == "" {
				t.Fatalf("got no error for %s in %v", id, r.FieldErrors)
			}
		}
		if got := jamfStage(t, r, linkhub.StageToken).Status; got != linkhub.StatusSkipped {
			t.Fatalf("got token stage %s, want skipped", got)
		}
	})
	t.Run("PermissionsOK", func(t *testing.T) {
		c, f := MustJamf(t)
		r := c.Test(context.Background(), jamfGoodInput(f, "list_computers", "list_departments", "get_version"))
		if got := jamfStage(t, r, linkhub.StagePermissions); got.Status != linkhub.StatusPassed {
			t.Fatalf("got %s %q, want passed", got.Status, got.Hint)
		}
	})
	t.Run("ErrPermissionMissing", func(t *testing.T) {
		c, f := MustJamf(t)
		f.Privileges = []string{"Read Departments"}
		r := c.Test(context.Background(), jamfGoodInput(f, "list_computers", "list_departments"))
		s := jamfMustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing)
		if !strings.Contains(s.Hint, "Read Computers") || strings.Contains(s.Hint, "Read Departments") {
			t.Fatalf("got hint %q, want only Read Computers named", s.Hint)
		}
	})
}

func TestJamf_Token(t *testing.T) {
	c, f := MustJamf(t)
	creds := jamfGoodInput(f).Credentials
	creds.Values["url"] = f.URL
	tok, err := c.Token(context.Background(), creds, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != f.URL || tok.AccessToken.IsZero() || time.Until(tok.Expiry) < time.Hour-time.Minute {
		t.Fatalf("got base %q, empty token %v, expiry %v; want the fake's URL, a token, an hour", tok.BaseURL, tok.AccessToken.IsZero(), tok.Expiry)
	}
	creds.Secrets["client_secret"] = secret.New("wrong")
	_, err = c.Token(context.Background(), creds, nil)
	if got, want := linkhub.ErrorCode(err), linkhub.EUNAUTHORIZED; got != want {
		t.Fatalf("got code %q, want %q", got, want)
	}
}

// TestConnector_Test_Network covers the failures of reaching a user-given
// address, through Jamf Pro because its address is the user's.
func TestJamf_Test_Network(t *testing.T) {
	t.Run("ErrDNSNotFound", func(t *testing.T) {
		c, f := MustJamf(t)
		jamfMustFail(t, c.Test(context.Background(), jamfInput("https://jamf.nothing.invalid", f.ClientID, f.ClientSecret)),
			linkhub.StageAddress, linkhub.ReasonDNSNotFound)
	})
	t.Run("ErrConnectionRefused", func(t *testing.T) {
		c, f := MustJamf(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		jamfMustFail(t, c.Test(context.Background(), jamfInput("https://"+addr, f.ClientID, f.ClientSecret)),
			linkhub.StageToken, linkhub.ReasonConnectionRefused)
	})
	t.Run("ErrTLSInvalid", func(t *testing.T) {
		f := fake.NewJamf(t)
		cfg := fake.Config(2*time.Second, f.Server.Server)
		cfg.RootCAs = nil // the system roots do not know the fake's certificate
		jamfMustFail(t, jamfNew(t, cfg).Test(context.Background(), jamfGoodInput(f)), linkhub.StageToken, linkhub.ReasonTLSInvalid)
		if got := f.TokenRequests(); got != 0 {
			t.Fatalf("got %d token requests, want 0: the secret must not be sent over an untrusted connection", got)
		}
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		f := fake.NewJamf(t)
		f.SetSlow(-1)
		c := jamfNew(t, fake.Config(200*time.Millisecond, f.Server.Server))
		start := time.Now()
		jamfMustFail(t, c.Test(context.Background(), jamfGoodInput(f)), linkhub.StageToken, linkhub.ReasonTimeout)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("got %v, want the 200ms timeout to end the test", d)
		}
	})
	t.Run("ErrVendorUnavailable", func(t *testing.T) {
		c, f := MustJamf(t)
		f.SetDown(true)
		s := jamfMustFail(t, c.Test(context.Background(), jamfGoodInput(f)), linkhub.StageToken, linkhub.ReasonVendorUnavailable)
		if s.HTTPStatus != 503 || !strings.Contains(s.Hint, "Try again") {
			t.Fatalf("got %d %q, want 503 and try again", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("ErrAddressNotAllowed", func(t *testing.T) {
		f := fake.NewJamf(t)
		cfg := fake.Config(2*time.Second, f.Server.Server)
		cfg.AllowCIDRs = nil
		jamfMustFail(t, jamfNew(t, cfg).Test(context.Background(), jamfGoodInput(f)), linkhub.StageAddress, linkhub.ReasonAddressNotAllowed)
		if got := f.TokenRequests(); got != 0 {
			t.Fatalf("got %d token requests, want 0", got)
		}
	})
	t.Run("ErrUnexpectedResponse", func(t *testing.T) {
		c, f := MustJamf(t)
		f.Version = ""
		jamfMustFail(t, c.Test(context.Background(), jamfGoodInput(f)), linkhub.StageVerify, linkhub.ReasonUnexpectedResponse)
	})
}

// TestConnector_Test_SSRF puts every SSRF trick into the Jamf Pro address,
// under a resolver an attacker controls: each is refused at the validate or
// address stage, before any credential could be sent.
func TestJamf_Test_SSRF(t *testing.T) {
	c := jamfNew(t, kit.Config{Timeout: time.Second, Resolver: kittest.Resolver{}})
	for _, tr := range kittest.Tricks {
		t.Run(tr.Name, func(t *testing.T) {
			r := c.Test(context.Background(), jamfInput(tr.URL, "client-id", "s3cret"))
			s, ok := r.Failed()
			if !ok {
				t.Fatalf("%s: got %+v, want refused", tr.URL, r.Stages)
			}
			switch {
			case s.Name == linkhub.StageValidate && s.Reason == linkhub.ReasonInvalidInput:
			case s.Name == linkhub.StageAddress && s.Reason == linkhub.ReasonAddressNotAllowed:
			case s.Name == linkhub.StageAddress && s.Reason == linkhub.ReasonInvalidInput:
			default:
				t.Fatalf("%s: got stage %s %s (%s), want validate/invalid_input or address/address_not_allowed",
					tr.URL, s.Name, s.Reason, s.Hint)
			}
		})
	}
}
