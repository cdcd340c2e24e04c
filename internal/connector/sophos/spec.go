package sophos

import (
	_ "embed"
	"maps"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Field ids of the Sophos Central form.
const (
	FieldClientID     = "client_id"
	FieldClientSecret = "client_secret"
)

// Metadata keys the test stores on the account. A chosen tenant's Choice
// metadata (MetaTenantID, MetaAPIHost) is merged over them.
const (
	MetaID       = "sophos_id"
	MetaIDType   = "id_type"
	MetaAPIHost  = "api_host"
	MetaTenantID = "tenant_id"
)

// MetaLevel is the level an account is linked at: LevelTenant (a tenant
// credential, or a tenant picked under a partner or organization), or the
// partner's or organization's own level (its id type).
const MetaLevel = "level"

// LevelTenant is the MetaLevel of an account that works in one tenant.
const LevelTenant = "tenant"

// The id types whoami reports.
const (
	IDTypeTenant       = "tenant"
	IDTypePartner      = "partner"
	IDTypeOrganization = "organization"
)

// Action ids.
const (
	ActionListEndpoints = "list_endpoints"
	ActionListTenants   = "list_tenants"
)

var fields = []linkhub.Field{
	{ID: FieldClientID, Label: "Client ID", Scope: linkhub.ScopeAccount, Kind: linkhub.KindUUID, Required: true,
		Placeholder: "1a2b3c4d-0000-4000-8000-123456789abc",
		Help:        "The ID of the API credential, shown in Sophos Central after you add it.", GuideStep: "copy-credentials"},
	{ID: FieldClientSecret, Label: "Client secret", Scope: linkhub.ScopeAccount, Kind: linkhub.KindSecret, Secret: true, Required: true,
		Help: "Shown once, when you add the credential. Regenerate it if you did not copy it.", GuideStep: "copy-credentials"},
}

var actions = []linkhub.Action{
	{ID: ActionListEndpoints, Name: "List endpoints", Description: "Computers and servers protected in a tenant.",
		Method: "GET", Path: "/endpoint/v1/endpoints", Privilege: "Service Principal Read-only (tenant credential, or a tenant chosen under a partner)"},
	{ID: ActionListTenants, Name: "List tenants", Description: "The tenants under a partner or organization.",
		Method: "GET", Path: "/partner/v1/tenants", Privilege: "Service Principal Read-only on a partner or organization credential",
		// A tenant credential can never list tenants: ticked by default it
		// would fail every tenant's link.
		OptIn: true},
}

var rolesTable = linkhub.GuideTable{
	Caption: "Roles for the API credential",
	Header:  []string{"Role", "Enough for"},
	Rows: [][]string{
		{"Service Principal Read-only", "List endpoints, list tenants"},
		{"Service Principal Forensics", "Not needed by Linkhub"},
		{"Service Principal Management", "Not needed; avoid it unless an action asks for it"},
		{"Service Principal Super Admin", "Not needed; never give more than read-only for reading"},
	},
}

var adminGuide = linkhub.Guide{
	Title: "Set up Sophos Central for Linkhub",
	Sections: []linkhub.GuideSection{{
		ID:    "before",
		Title: "Before you start",
		Intro: "A credential can belong to one tenant, to a partner or to an enterprise organization. Partner and organization credentials see many tenants; after the test the user picks one, or links at partner or organization level (the account's level metadata says which). List tenants works only for partner and organization credentials, so it starts unticked: tick it only if every user links one. If your product uses one partner credential for everyone, fill the client ID and secret in on the profile.",
		Warnings: []string{
			"Super Admin role required in Sophos Central to create API credentials.",
			"Linkhub calls id.sophos.com, api.central.sophos.com and the tenant's data-region host (api-REGION.central.sophos.com).",
		},
		Tables: []linkhub.GuideTable{rolesTable},
	}},
}

var userGuide = linkhub.Guide{
	Title: "Link your Sophos Central",
	Sections: []linkhub.GuideSection{
		{
			ID:       "create",
			Title:    "1. Add an API credential",
			Warnings: []string{"Super Admin role required in Sophos Central."},
			Steps: []linkhub.GuideStep{
				{ID: "open-credentials", Text: "Sign in to Sophos Central (the partner dashboard if you are a partner). Open Global Settings, then API Credentials Management."},
				{ID: "add-credential", Text: "Choose Add Credential, give it a name and a description, and pick the role Service Principal Read-only.", Copy: "Linkhub"},
				{ID: "copy-credentials", Text: "Choose Add. Copy the Client ID and the Client Secret into the form here."},
			},
			Tables: []linkhub.GuideTable{rolesTable},
		},
		{
			ID:       "secret",
			Title:    "2. Keep the secret safe",
			Warnings: []string{"The client secret is shown only once. If you close the page without copying it, choose Regenerate secret and use the new one."},
		},
		{
			ID:    "tenant",
			Title: "3. Partners and organizations: pick a tenant",
			Intro: "If the credential belongs to a partner or organization, Linkhub lists its tenants after the test. Pick the one to link, or choose \"All tenants\" to link at partner or organization level: the product then sees your tenant list, but no tenant's endpoints.",
		},
	},
}

// hints are Sophos Central's own end-user texts by id, in English;
// translations.yaml words them, and the spec, in the other languages.
var hints = map[string]string{
	"sophos_tenant":              "Tenant credential; data region %s.",
	"sophos_partner":             "Partner credential with %d tenants: pick one, or link at partner level.",
	"sophos_organization":        "Organization credential with %d tenants: pick one, or link at organization level.",
	"sophos_choice_partner":      "All tenants: link at partner level",
	"sophos_choice_organization": "All tenants: link at organization level",
	"sophos_detail_partner":      "the partner's own API (e.g. its tenant list); tenant actions need a tenant picked",
	"sophos_detail_organization": "the organization's own API (e.g. its tenant list); tenant actions need a tenant picked",
	"sophos_no_whoami":           "Sophos Central did not say whose credential this is, or named a data region Linkhub does not know.",
	"sophos_no_tenants":          "Sophos Central did not answer with a list of tenants.",
	"sophos_unfit_tenant":        "List tenants needs a partner or organization credential, and this one is a tenant's.",
	"sophos_unfit_partner":       "This action runs in one tenant, and this account is linked at partner level: link it again and pick a tenant.",
	"sophos_unfit_organization":  "This action runs in one tenant, and this account is linked at organization level: link it again and pick a tenant.",
	"sophos_bad_tenant":          "Sophos Central listed a tenant without an id or a known data region.",
}

// Hints returns the connector's own hints by id, in English, for the test
// that lists what its translations leave out.
func Hints() map[string]string { return maps.Clone(hints) }

//go:embed translations.yaml
var translationsYAML []byte

func spec() linkhub.ConnectorSpec {
	s := linkhub.ConnectorSpec{
		ID: "sophos", Name: "Sophos Central", Logo: "/static/logos/sophos.svg", Category: "Endpoint security",
		AuthType:   linkhub.AuthOAuth2ClientCredentials,
		Summary:    "Endpoint protection: endpoints and tenants of a Sophos Central account.",
		Fields:     fields,
		AdminGuide: adminGuide,
		UserGuide:  userGuide,
		Identity:   []string{MetaID, MetaTenantID},
		Actions:    actions,
	}
	s.Text = definition.MustParseTranslations("sophos/translations.yaml", translationsYAML, definition.English{Spec: s, Hints: hints})
	return s
}
