package ninjaone

import (
	_ "embed"
	"maps"
	"slices"
	"sync"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Field ids of the NinjaOne form.
const (
	FieldRegion       = "region"
	FieldClientID     = "client_id"
	FieldClientSecret = "client_secret"
)

// RegionAuto is the region value for "I don't know": the test tries every
// region and keeps the first that accepts the credentials.
const RegionAuto = "auto"

// Metadata keys the test stores on the account.
const (
	MetaRegion            = "ninjaone_region"
	MetaOrganizationCount = "organization_count"
	MetaScope             = "ninjaone_scope"
)

// Action ids.
const (
	ActionListOrganizations = "list_organizations"
	ActionListDevices       = "list_devices"
)

// regions are the NinjaOne instances, in the order "auto" tries them.
var regions = []struct{ id, label, url string }{
	{"app", "United States (app.ninjarmm.com)", "https://app.ninjarmm.com"},
	{"us2", "United States 2 (us2.ninjarmm.com)", "https://us2.ninjarmm.com"},
	{"eu", "Europe (eu.ninjarmm.com)", "https://eu.ninjarmm.com"},
	{"ca", "Canada (ca.ninjarmm.com)", "https://ca.ninjarmm.com"},
	{"oc", "Oceania (oc.ninjarmm.com)", "https://oc.ninjarmm.com"},
}

// RegionIDs are the ids of NinjaOne's regions, the ones a deployment may
// point elsewhere (LINKHUB_NINJAONE_URLS).
func RegionIDs() []string {
	ids := make([]string, len(regions))
	for i, r := range regions {
		ids[i] = r.id
	}
	return ids
}

// regionOptions are the choices of the region field: "I don't know" and the
// regions of ids, the ones this deployment can reach.
func regionOptions(ids []string) []linkhub.Option {
	opts := []linkhub.Option{{Value: RegionAuto, Label: "I don't know: try each region"}}
	for _, r := range regions {
		if slices.Contains(ids, r.id) {
			opts = append(opts, linkhub.Option{Value: r.id, Label: r.label})
		}
	}
	return opts
}

var fields = []linkhub.Field{
	{ID: FieldRegion, Label: "Region", Scope: linkhub.ScopeAccount, Kind: linkhub.KindSelect, Required: true,
		Options: regionOptions(RegionIDs()), Placeholder: RegionAuto,
		Help: "The address you sign in to NinjaOne at, e.g. eu.ninjarmm.com. Pick \"I don't know\" to let Linkhub find it.", GuideStep: "find-region"},
	{ID: FieldClientID, Label: "Client ID", Scope: linkhub.ScopeAccount, Kind: linkhub.KindText, Required: true,
		Help: "Shown in NinjaOne under the API client application.", GuideStep: "copy-credentials"},
	{ID: FieldClientSecret, Label: "Client secret", Scope: linkhub.ScopeAccount, Kind: linkhub.KindSecret, Secret: true, Required: true,
		Help: "Shown once, when you create the client application.", GuideStep: "copy-credentials"},
}

var actions = []linkhub.Action{
	{ID: ActionListOrganizations, Name: "List organizations", Description: "The organizations (customers) in NinjaOne.",
		Method: "GET", Path: "/v2/organizations", Privilege: "monitoring"},
	{ID: ActionListDevices, Name: "List devices", Description: "Devices with their organization and class.",
		Method: "GET", Path: "/v2/devices", Privilege: "monitoring"},
}

var scopesTable = linkhub.GuideTable{
	Caption: "Scopes for the client application",
	Header:  []string{"Scope", "Why"},
	Rows: [][]string{
		{"Monitoring", "Read organizations and devices (always needed)"},
		{"Management", "Linkhub asks for it so management actions can be enabled later"},
		{"Control", "Only when an enabled action controls devices; none does today"},
	},
}

var adminGuide = linkhub.Guide{
	Title: "Set up NinjaOne for Linkhub",
	Sections: []linkhub.GuideSection{{
		ID:    "before",
		Title: "Before you start",
		Intro: "Your customers create an API client application of type API Services (machine-to-machine) in their NinjaOne, with the client credentials grant.",
		Warnings: []string{
			"A NinjaOne administrator account is needed to create API client applications.",
			"Each region is a separate NinjaOne; credentials from one region do not work in another.",
		},
		Tables: []linkhub.GuideTable{scopesTable},
	}},
}

var userGuide = linkhub.Guide{
	Title: "Link your NinjaOne",
	Sections: []linkhub.GuideSection{
		{
			ID:    "create",
			Title: "1. Create an API client application",
			Steps: []linkhub.GuideStep{
				{ID: "find-region", Text: "Sign in to NinjaOne. The start of the address (app, us2, eu, ca or oc, before .ninjarmm.com) is your region."},
				{ID: "open-api", Text: "Open Administration, then Apps, then API, and the Client App IDs tab. Choose Add client app."},
				{ID: "configure", Text: "Application platform: API Services (machine-to-machine). Name it, tick the scopes from the table below, and allow the Client Credentials grant type.", Copy: "Linkhub"},
				{ID: "copy-credentials", Text: "Save. Copy the Client ID and the Client Secret into the form here."},
			},
			Warnings: []string{"The client secret is shown only once. If you lose it, create a new client app."},
			Tables:   []linkhub.GuideTable{scopesTable},
		},
	},
}

// spec is the connector's data with the region field offering only the
// regions of ids.
// hints are NinjaOne's own end-user texts by id, in English;
// translations.yaml words them, and the spec, in the other languages.
var hints = map[string]string{
	"ninjaone_region":    "Signed in to the %s region.",
	"ninjaone_orgs":      "%d organizations visible.",
	"ninjaone_no_orgs":   "NinjaOne issued a token but did not answer with a list of organizations.",
	"ninjaone_no_region": "No NinjaOne region accepted this client ID and secret. Check both, and that the client app allows the Client Credentials grant.",
}

// Hints returns the connector's own hints by id, in English, for the test
// that lists what its translations leave out.
func Hints() map[string]string { return maps.Clone(hints) }

//go:embed translations.yaml
var translationsYAML []byte

// translations are parsed against the spec with every region, so that a
// deployment offering fewer still gets the others' labels checked.
var translations = sync.OnceValue(func() map[string]linkhub.ConnectorText {
	return definition.MustParseTranslations("ninjaone/translations.yaml", translationsYAML,
		definition.English{Spec: englishSpec(RegionIDs()), Hints: hints})
})

func spec(ids []string) linkhub.ConnectorSpec {
	s := englishSpec(ids)
	s.Text = translations()
	return s
}

func englishSpec(ids []string) linkhub.ConnectorSpec {
	fs := slices.Clone(fields)
	for i := range fs {
		if fs[i].ID == FieldRegion {
			fs[i].Options = regionOptions(ids)
		}
	}
	s := linkhub.ConnectorSpec{
		ID: "ninjaone", Name: "NinjaOne", Logo: "/static/logos/ninjaone.svg", Category: "Remote monitoring and management",
		AuthType:   linkhub.AuthOAuth2ClientCredentials,
		Summary:    "IT management: organizations and devices of a NinjaOne instance.",
		Fields:     fs,
		AdminGuide: adminGuide,
		UserGuide:  userGuide,
		Identity:   []string{MetaRegion, FieldClientID},
		Actions:    actions,
	}
	return s
}
