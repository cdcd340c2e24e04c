package engine_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// MustSophos starts a fake Sophos Central and the sophos definition's
// connector pointed at it (LINKHUB_CONNECTOR_SOPHOS_HOSTS=id=...,api=...).
func MustSophos(t *testing.T) (engine.Routed, *fake.Sophos) {
	t.Helper()
	f := fake.NewSophos(t)
	cfg := fake.Config(2*time.Second, f.Server.Server)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"sophos": {"id": f.URL, "api": f.URL}}}
	c, ok := engine.Connect(builtin(t, "sophos"), cfg).(engine.Routed)
	if !ok {
		t.Fatal("got a sophos connector that does not route its calls")
	}
	return c, f
}

func sophosInput(id, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: linkhub.Credentials{
		Values:  map[string]string{"client_id": id},
		Secrets: map[string]secret.Value{"client_secret": secret.New(sec)},
	}, Actions: actions}
}

func sophosMustFail(t *testing.T, r linkhub.Report, n linkhub.StageName, reason string) linkhub.Stage {
	t.Helper()
	s := stage(r, n)
	if s.Status != linkhub.StatusFailed || s.Reason != reason || s.Hint == "" {
		t.Fatalf("stage %s: got %s/%s (%q), want failed/%s with a hint", n, s.Status, s.Reason, s.Hint, reason)
	}
	return s
}

func TestSophos_Test(t *testing.T) {
	t.Run("OKTenant", func(t *testing.T) {
		c, f := MustSophos(t)
		r := c.Test(context.Background(), sophosInput(" "+strings.ToUpper(f.ClientID)+" ", f.ClientSecret, "list_endpoints"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		for k, want := range map[string]string{"sophos_id": f.ID, "id_type": "tenant", "api_host": f.URL} {
			if got := r.Metadata[k]; got != want {
				t.Fatalf("got metadata %s=%q, want %q", k, got, want)
			}
		}
		if got, want := r.Values["client_id"], f.ClientID; got != want {
			t.Fatalf("got client id %q, want normalised %q", got, want)
		}
		if len(r.Choices) != 0 {
			t.Fatalf("got %d choices, want none for a tenant", len(r.Choices))
		}
		if got := stage(r, linkhub.StagePermissions).Status; got != linkhub.StatusPassed {
			t.Fatalf("got permissions %s, want passed", got)
		}
	})
	t.Run("OKPartnerChoices", func(t *testing.T) {
		c, f := MustSophos(t)
		f.AsPartner()
		r := c.Test(context.Background(), sophosInput(f.ClientID, f.ClientSecret, "list_tenants", "list_endpoints"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got, want := len(r.Choices), len(f.Tenants)+1; got != want {
			t.Fatalf("got %d choices, want %d (the tenants and partner level)", got, want)
		}
		if lv := r.Choices[2]; lv.ID != "partner" || lv.Metadata["level"] != "partner" || !strings.Contains(lv.Name, "partner level") {
			t.Fatalf("got last choice %+v, want partner level", lv)
		}
		ch := r.Choices[1]
		if ch.ID != f.Tenants[1].ID || ch.Name != f.Tenants[1].Name || ch.Detail != "us01" ||
			ch.Metadata["tenant_id"] != f.Tenants[1].ID || ch.Metadata["api_host"] != f.URL {
			t.Fatalf("got choice %+v, want tenant %+v", ch, f.Tenants[1])
		}
		if got := r.Metadata["id_type"]; got != "partner" {
			t.Fatalf("got id type %q, want partner", got)
		}
	})
	t.Run("ErrInvalidClientID", func(t *testing.T) {
		c, f := MustSophos(t)
		r := c.Test(context.Background(), sophosInput("not-a-uuid", f.ClientSecret))
		sophosMustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput)
		if r.FieldErrors["client_id"] == "" || f.TokenRequests() != 0 {
			t.Fatalf("got errors %v and %d token requests, want a client_id error and none", r.FieldErrors, f.TokenRequests())
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		c, f := MustSophos(t)
		s := sophosMustFail(t, c.Test(context.Background(), sophosInput(f.ClientID, "wrong")), linkhub.StageToken, linkhub.ReasonBadCredentials)
		if s.HTTPStatus != 401 || !strings.Contains(s.Snippet, "oauth.invalid_client_secret") {
			t.Fatalf("got %d %q, want 401 and the vendor's code", s.HTTPStatus, s.Snippet)
		}
	})
	t.Run("ErrUnknownClient", func(t *testing.T) {
		c, f := MustSophos(t)
		sophosMustFail(t, c.Test(context.Background(), sophosInput("00000000-0000-4000-8000-000000000000", f.ClientSecret)),
			linkhub.StageToken, linkhub.ReasonUnknownClient)
	})
	t.Run("ErrPermissionMissing", func(t *testing.T) {
		c, f := MustSophos(t)
		f.Denied = []string{"/endpoint/v1/endpoints"}
		s := sophosMustFail(t, c.Test(context.Background(), sophosInput(f.ClientID, f.ClientSecret, "list_endpoints")),
			linkhub.StagePermissions, linkhub.ReasonPermissionMissing)
		if !strings.Contains(s.Hint, "List endpoints needs Service Principal Read-only") || !strings.Contains(s.Hint, "Give it that in Sophos Central") ||
			strings.Contains(s.Hint, "disable") || s.HTTPStatus != 403 {
			t.Fatalf("got %d %q, want 403 naming List endpoints and the role to give", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("ErrTenantCannotListTenants", func(t *testing.T) {
		// No role fixes this: the end user is told to ask, the admin to
		// turn the action off.
		c, f := MustSophos(t)
		s := sophosMustFail(t, c.Test(context.Background(), sophosInput(f.ClientID, f.ClientSecret, "list_tenants")),
			linkhub.StagePermissions, linkhub.ReasonPermissionMissing)
		if !strings.Contains(s.Hint, "List tenants needs a partner or organization credential") ||
			!strings.Contains(s.Hint, "ask whoever sent you this link") || strings.Contains(s.Hint, "disable") {
			t.Fatalf("got hint %q, want why and whom to ask", s.Hint)
		}
		if !strings.Contains(s.AdminHint, "turn it off on the profile") {
			t.Fatalf("got admin hint %q, want the profile fix", s.AdminHint)
		}
	})
	t.Run("ErrUnexpectedResponse", func(t *testing.T) {
		c, f := MustSophos(t)
		f.IDType = "robot"
		sophosMustFail(t, c.Test(context.Background(), sophosInput(f.ClientID, f.ClientSecret)), linkhub.StageVerify, linkhub.ReasonUnexpectedResponse)
	})
	t.Run("ErrWrongProduct", func(t *testing.T) {
		c, f := MustSophos(t)
		f.SetWrongProduct(true)
		sophosMustFail(t, c.Test(context.Background(), sophosInput(f.ClientID, f.ClientSecret)), linkhub.StageToken, linkhub.ReasonNotVendor)
	})
	t.Run("OKVendorAsksToRetrySoon", func(t *testing.T) {
		c, f := MustSophos(t)
		f.BusyNext(1, "1")
		r := c.Test(context.Background(), sophosInput(f.ClientID, f.ClientSecret))
		if !r.OK() {
			t.Fatalf("got failed report %+v, want the retry after Retry-After: 1 to pass", r.Stages)
		}
		if got := f.TokenRequests(); got != 2 {
			t.Fatalf("got %d token requests, want 2 (one 503, one retry)", got)
		}
	})
	t.Run("ErrVendorUnavailable", func(t *testing.T) {
		c, f := MustSophos(t)
		f.SetDown(true)
		sophosMustFail(t, c.Test(context.Background(), sophosInput(f.ClientID, f.ClientSecret)), linkhub.StageToken, linkhub.ReasonVendorUnavailable)
		if got := f.TokenRequests(); got != 2 {
			t.Fatalf("got %d token requests, want 2 (one retry)", got)
		}
	})
}

func TestSophos_Token(t *testing.T) {
	t.Run("Tenant", func(t *testing.T) {
		c, f := MustSophos(t)
		in := sophosInput(f.ClientID, f.ClientSecret)
		r := c.Test(context.Background(), in)
		tok, err := c.Token(context.Background(), in.Credentials, r.Metadata)
		if err != nil {
			t.Fatal(err)
		}
		if tok.BaseURL != f.URL || tok.Headers["X-Tenant-ID"] != f.ID || tok.AccessToken.IsZero() {
			t.Fatalf("got base %q headers %v, want %q and X-Tenant-ID %q", tok.BaseURL, tok.Headers, f.URL, f.ID)
		}
	})
	t.Run("ChosenTenantUnderPartner", func(t *testing.T) {
		c, f := MustSophos(t)
		f.AsPartner()
		in := sophosInput(f.ClientID, f.ClientSecret)
		r := c.Test(context.Background(), in)
		meta := map[string]string{}
		for k, v := range r.Metadata {
			meta[k] = v
		}
		for k, v := range r.Choices[0].Metadata {
			meta[k] = v
		}
		tok, err := c.Token(context.Background(), in.Credentials, meta)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tok.Headers["X-Tenant-ID"], f.Tenants[0].ID; got != want {
			t.Fatalf("got X-Tenant-ID %q, want %q", got, want)
		}
	})
	t.Run("PartnerLevel", func(t *testing.T) {
		c, f := MustSophos(t)
		f.AsPartner()
		in := sophosInput(f.ClientID, f.ClientSecret)
		r := c.Test(context.Background(), in)
		tok, err := c.Token(context.Background(), in.Credentials, r.Metadata)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tok.Headers["X-Partner-ID"], f.ID; got != want {
			t.Fatalf("got X-Partner-ID %q, want %q", got, want)
		}
	})
	t.Run("ErrForeignAPIHost", func(t *testing.T) {
		c, f := MustSophos(t)
		meta := map[string]string{"sophos_id": f.ID, "id_type": "tenant", "api_host": "https://evil.example"}
		_, err := c.Token(context.Background(), sophosInput(f.ClientID, f.ClientSecret).Credentials, meta)
		if got := linkhub.ErrorCode(err); got != linkhub.EINVALID || !strings.Contains(linkhub.ErrorMessage(err), "no valid data region") {
			t.Fatalf("got code %q (%v), want %q saying the data region is not valid", got, err, linkhub.EINVALID)
		}
		if got := f.TokenRequests(); got != 0 {
			t.Fatalf("got %d token requests, want 0", got)
		}
	})
}

// TestSophos_Route: the tenant list is the partner's or organization's own
// call, on the global host with its id header and path, whatever tenant was
// picked; tenant calls go to the tenant's data region with X-Tenant-ID.
func TestSophos_Route(t *testing.T) {
	c, f := MustSophos(t)
	const partner, org, tenant = "p-1", "o-1", "t-1"
	tenantMeta := func(idType, id string) map[string]string {
		return map[string]string{"sophos_id": id, "id_type": idType, "level": "tenant",
			"tenant_id": tenant, "api_host": f.URL}
	}
	for _, tc := range []struct {
		name, action, path string
		meta               map[string]string
		want               string // path header=value
	}{
		{"PartnerTenantList", "list_tenants", "/partner/v1/tenants", tenantMeta("partner", partner), "/partner/v1/tenants X-Partner-ID=" + partner},
		{"OrganizationTenantList", "list_tenants", "/partner/v1/tenants", tenantMeta("organization", org), "/organization/v1/tenants X-Organization-ID=" + org},
		{"OrganizationLevelList", "list_tenants", "/partner/v1/tenants",
			map[string]string{"sophos_id": org, "id_type": "organization", "level": "organization"}, "/organization/v1/tenants X-Organization-ID=" + org},
		{"TenantUnderPartnerEndpoints", "list_endpoints", "/endpoint/v1/endpoints", tenantMeta("partner", partner), "/endpoint/v1/endpoints X-Tenant-ID=" + tenant},
		{"ProxyPartnerPath", "", "/partner/v1/tenants/x", tenantMeta("partner", partner), "/partner/v1/tenants/x X-Partner-ID=" + partner},
		{"OldAccountWithoutLevel", "list_endpoints", "/endpoint/v1/endpoints",
			map[string]string{"sophos_id": partner, "id_type": "partner", "tenant_id": tenant, "api_host": f.URL}, "/endpoint/v1/endpoints X-Tenant-ID=" + tenant},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Route(tc.meta, tc.action, tc.path)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for k, v := range r.Headers {
				got = append(got, k+"="+v)
			}
			if s := r.Path + " " + strings.Join(got, ","); s != tc.want || r.BaseURL != f.URL {
				t.Fatalf("got %s %s, want %s %s", r.BaseURL, s, f.URL, tc.want)
			}
		})
	}
	t.Run("ErrOrganizationOnPartnerPath", func(t *testing.T) {
		_, err := c.Route(tenantMeta("organization", org), "", "/partner/v1/tenants")
		if linkhub.ErrorCode(err) != linkhub.EINVALID || !strings.Contains(linkhub.ErrorMessage(err), "only to partner credentials") {
			t.Fatalf("got %v, want EINVALID naming partner credentials", err)
		}
	})
}

// TestSophos_ActionsByLevel: a partner's or organization's credential
// offers its tenants and its own level; the picked choice's metadata (with
// the test's) routes the actions: the tenant list always on the global
// host with the partner's or organization's id header, endpoints in the
// picked tenant with X-Tenant-ID and never the partner header, and refused,
// saying to pick a tenant, at partner or organization level. (Moved from
// the host API's web test, which now checks that the route is applied.)
func TestSophos_ActionsByLevel(t *testing.T) {
	for _, tc := range []struct {
		name, idType string
		pickTenant   bool
	}{
		{"PartnerTenant", "partner", true},
		{"PartnerLevel", "partner", false},
		{"OrganizationTenant", "organization", true},
		{"OrganizationLevel", "organization", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, f := MustSophos(t)
			header := "X-Partner-ID"
			if tc.idType == "partner" {
				f.AsPartner()
			} else {
				f.AsOrganization()
				header = "X-Organization-ID"
			}
			r := c.Test(context.Background(), sophosInput(f.ClientID, f.ClientSecret, "list_tenants", "list_endpoints"))
			if !r.OK() || len(r.Choices) != len(f.Tenants)+1 {
				t.Fatalf("got %+v with %d choices, want passed with the tenants and the %s level", r.Stages, len(r.Choices), tc.idType)
			}
			choice, level := r.Choices[len(r.Choices)-1], tc.idType
			if tc.pickTenant {
				choice, level = r.Choices[1], "tenant"
			}
			meta := maps.Clone(r.Metadata)
			maps.Copy(meta, choice.Metadata)
			if meta["level"] != level || meta["id_type"] != tc.idType {
				t.Fatalf("got metadata %v, want level %s of a %s", meta, level, tc.idType)
			}
			list, err := c.Route(meta, "list_tenants", "/partner/v1/tenants")
			if err != nil || list.Path != "/"+tc.idType+"/v1/tenants" || list.Headers[header] != f.ID || len(list.Headers) != 1 {
				t.Errorf("list_tenants: got %+v, %v, want /%s/v1/tenants with %s", list, err, tc.idType, header)
			}
			eps, err := c.Route(meta, "list_endpoints", "/endpoint/v1/endpoints")
			switch {
			case tc.pickTenant && (err != nil || eps.Headers["X-Tenant-ID"] != f.Tenants[1].ID || eps.Headers[header] != "" ||
				eps.Path != "/endpoint/v1/endpoints"):
				t.Errorf("list_endpoints in a tenant: got %+v, %v, want the tenant's X-Tenant-ID only", eps, err)
			case !tc.pickTenant && (linkhub.ErrorCode(err) != linkhub.EINVALID || !strings.Contains(linkhub.ErrorMessage(err), "pick a tenant")):
				t.Errorf("list_endpoints at %s level: got %v, want EINVALID saying to pick a tenant", level, err)
			}
		})
	}
}
