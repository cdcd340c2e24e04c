package jamf

import (
	_ "embed"
	"maps"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Field ids of the Jamf Pro form.
const (
	FieldURL          = "url"
	FieldClientID     = "client_id"
	FieldClientSecret = "client_secret"
)

// Metadata keys the test stores on the account.
const (
	MetaVersion   = "jamf_version"
	MetaTokenPath = "jamf_token_path" // #nosec G101 -- a metadata key name, not a credential
)

// Action ids.
const (
	ActionListComputers   = "list_computers"
	ActionListDepartments = "list_departments"
	ActionGetVersion      = "get_version"
)

var fields = []linkhub.Field{
	{ID: FieldURL, Label: "Jamf Pro address", Scope: linkhub.ScopeAccount, Kind: linkhub.KindURL, Required: true,
		Placeholder: "https://yourcompany.jamfcloud.com",
		Help:        "The address you open Jamf Pro at. On-premises servers often use port 8443.", GuideStep: "find-url"},
	{ID: FieldClientID, Label: "Client ID", Scope: linkhub.ScopeAccount, Kind: linkhub.KindText, Required: true,
		Placeholder: "e.g. 2f0c6a7e-1b3d-4c5e-8f9a-0b1c2d3e4f5a",
		Help:        "Shown on the API client's page in Jamf Pro.", GuideStep: "create-client"},
	{ID: FieldClientSecret, Label: "Client secret", Scope: linkhub.ScopeAccount, Kind: linkhub.KindSecret, Secret: true, Required: true,
		Help: "Shown once, when you generate it. Generate a new one if you did not copy it.", GuideStep: "generate-secret"},
}

var actions = []linkhub.Action{
	{ID: ActionListComputers, Name: "List computers", Description: "Computer inventory: names, platforms, last IP address.",
		Method: "GET", Path: "/api/v1/computers-inventory", Privilege: "Read Computers"},
	{ID: ActionListDepartments, Name: "List departments", Description: "The departments defined in Jamf Pro.",
		Method: "GET", Path: "/api/v1/departments", Privilege: "Read Departments"},
	{ID: ActionGetVersion, Name: "Get Jamf Pro version", Description: "The server's Jamf Pro version.",
		Method: "GET", Path: "/api/v1/jamf-pro-version", Privilege: "none (any valid token)"},
}

var privilegesTable = linkhub.GuideTable{
	Caption: "Privileges for the API role",
	Header:  []string{"Action", "Privilege"},
	Rows: [][]string{
		{"List computers", "Read Computers"},
		{"List departments", "Read Departments"},
		{"Get Jamf Pro version", "none: every API client may read it"},
	},
}

var adminGuide = linkhub.Guide{
	Title: "Set up Jamf Pro for Linkhub",
	Sections: []linkhub.GuideSection{{
		ID:    "before",
		Title: "Before you start",
		Intro: "Your customers create an API role and an API client in their own Jamf Pro. Enable only the actions your product needs; each one needs a privilege on that role.",
		Warnings: []string{
			"Requires Jamf Pro 10.49.0 or later: older versions have no API clients.",
			"Linkhub only calls addresses on ports 443 and 8443 that resolve to public IP addresses.",
		},
		Tables: []linkhub.GuideTable{privilegesTable},
	}},
}

var userGuide = linkhub.Guide{
	Title: "Link your Jamf Pro",
	Sections: []linkhub.GuideSection{
		{
			ID:       "role",
			Title:    "1. Create an API role",
			Warnings: []string{"Requires Jamf Pro 10.49.0 or later.", "You need a Jamf Pro account that may manage API roles and clients."},
			Steps: []linkhub.GuideStep{
				{ID: "find-url", Text: "Sign in to Jamf Pro. The address in your browser, up to the first slash, is your Jamf Pro address (for example https://yourcompany.jamfcloud.com)."},
				{ID: "open-roles", Text: "Open Settings, then System, then API roles and clients."},
				{ID: "create-role", Text: "On the API Roles tab choose New, name the role, and add the privileges from the table below.", Copy: "Linkhub"},
			},
			Tables: []linkhub.GuideTable{privilegesTable},
		},
		{
			ID:    "client",
			Title: "2. Create an API client",
			Steps: []linkhub.GuideStep{
				{ID: "create-client", Text: "On the API Clients tab choose New, name the client, pick the role you just made, and enable it. Copy the Client ID.", Copy: "Linkhub"},
				{ID: "generate-secret", Text: "Choose Generate client secret and copy the secret into the form here."},
			},
			Warnings: []string{"The client secret is shown only once. If you lose it, generate a new one: the old one stops working."},
		},
	},
}

// hints are Jamf Pro's own end-user hints by id, in English;
// translations.yaml words them, and the spec, in the other languages.
var hints = map[string]string{
	"jamf_too_old":    "This is Jamf Pro older than 10.49, which has no API clients. Update Jamf Pro to 10.49 or later, then test again.",
	"jamf_not_jamf":   "This address is not a Jamf Pro server: it has neither the API client sign-in nor the Jamf Pro API. Check the address, e.g. https://yourname.jamfcloud.com.",
	"jamf_no_version": "The server issued a token but did not report a Jamf Pro version, so it does not behave like Jamf Pro.",
}

// Hints returns the connector's own hints by id, in English, for the test
// that lists what its translations leave out.
func Hints() map[string]string { return maps.Clone(hints) }

//go:embed translations.yaml
var translationsYAML []byte

func spec() linkhub.ConnectorSpec {
	s := linkhub.ConnectorSpec{
		ID: "jamf", Name: "Jamf Pro", Logo: "/static/logos/jamf.svg", Category: "Device management",
		AuthType:   linkhub.AuthOAuth2ClientCredentials,
		Summary:    "Apple device management: computers, departments and server information.",
		Fields:     fields,
		AdminGuide: adminGuide,
		UserGuide:  userGuide,
		Identity:   []string{FieldURL},
		Actions:    actions,
	}
	s.Text = definition.MustParseTranslations("jamf/translations.yaml", translationsYAML, definition.English{Spec: s, Hints: hints})
	return s
}
