package views

import "github.com/linkhub/linkhub/internal/linkhub"

// Brand is how the hub looks for this installation.
type Brand struct {
	ProductName  string
	LogoURL      string
	PrimaryColor string // #rrggbb; empty keeps Linkhub's blue
}

// HubFrame is what every hub screen needs: the session handle (sent back in a
// hidden field, never a cookie), branding and text.
type HubFrame struct {
	Handle string
	Brand  Brand
	Text   HubText
	Relink bool
	// EmbedOrigin is the session's embed origin: the only target of the
	// hub's postMessage calls; empty when the hub is used standalone.
	EmbedOrigin string
	// ReturnURL is where "Back to <product>" leads a standalone user; empty
	// when the host product gave none.
	ReturnURL string
	// Here is the hub page the language switch comes back to.
	Here string
}

// HubProfile is one connectable profile on the picker.
type HubProfile struct {
	ID       string
	Name     string
	Vendor   string
	Logo     string
	Category string
	Summary  string
	Featured bool // the admin put it first
}

// HubPickerView is the connector picker.
type HubPickerView struct {
	HubFrame
	Profiles []HubProfile
	Hidden   map[string]bool // ids of the profiles the filter hides
	Filter   PickerFilter
}

// HubField is one input of the hub form with what the user typed.
type HubField struct {
	linkhub.Field
	Value     string
	Error     string
	SecretSet bool // a stored secret exists (relink): blank keeps it
}

// HubFormView is a profile's form beside the end-user guide.
type HubFormView struct {
	HubFrame
	Profile    HubProfile
	Fields     []HubField
	Guide      linkhub.Guide
	FormError  string
	CanGoBack  bool
	ReportView *HubReportView // set on a failed attempt, shown above the form
	// Submission identifies this form's submission: a retry of it finds
	// the earlier result instead of linking again.
	Submission string
}

// HubStage is one line of the staged report.
type HubStage struct {
	Name       string
	Title      string
	Status     string
	DurationMS int64
	HTTPStatus int
	Hint       string
	// AdminHint is for the admin console only; hub pages never show it.
	AdminHint string
	Snippet   string
}

// HubReportView is the outcome of a credential test.
type HubReportView struct {
	OK      bool
	Stages  []HubStage
	Failed  *HubStage
	Summary []KeyValue // what was linked: tenant, instance, version
	// Message is the postMessage payload (JSON) telling an embedding page
	// about a failure; empty when standalone.
	Message string
}

// KeyValue is a labelled value.
type KeyValue struct {
	Key, Value string
}

// HubChoiceView offers the choices a test found (e.g. Sophos tenants).
type HubChoiceView struct {
	HubFrame
	Profile   HubProfile
	AttemptID string
	Choices   []linkhub.Choice
	// Title and Intro replace the tenant choice's words, e.g. when the
	// user already linked this vendor identity.
	Title, Intro string
}

// HubDoneView is the success screen. Message is the postMessage payload for
// the parent window (JSON, no secret), TargetOrigin the session's embed
// origin; both empty when the hub is used standalone.
type HubDoneView struct {
	HubFrame
	Profile      HubProfile
	Report       HubReportView
	ReturnURL    string
	Message      string
	TargetOrigin string
}

// NewHubReportView turns a connector report into what the page shows, with
// stage titles from the text catalogue.
func NewHubReportView(r linkhub.Report, text HubText) HubReportView {
	v := HubReportView{OK: r.OK()}
	for _, s := range r.Stages {
		title := text.Stage[string(s.Name)]
		if title == "" {
			title = s.Title
		}
		hs := HubStage{Name: string(s.Name), Title: title, Status: string(s.Status),
			DurationMS: s.Duration.Milliseconds(), HTTPStatus: s.HTTPStatus, Hint: s.Hint, AdminHint: s.AdminHint, Snippet: s.Snippet}
		v.Stages = append(v.Stages, hs)
		if s.Status == linkhub.StatusFailed && v.Failed == nil {
			f := hs
			v.Failed = &f
		}
	}
	return v
}
