package views

// HubText holds every string the end user reads in the hub, in one place so a
// translation is one more value of this type.
type HubText struct {
	PickerTitle, PickerIntro, SearchLabel, SearchPlaceholder, NoProfiles    string
	Back, Cancel, Connect, Connecting, TryAgain, Close, Done, CopyLabel     string
	Copied, GuideTitle, FormTitle, Required, SecretKept, SecretPlaceholder  string
	StagesTitle, StagePassed, StageFailed, StageSkipped, StagePending       string
	SuccessTitle, SuccessIntro, FailureTitle, FailureIntro, VendorAnswered  string
	VendorSaid, HowToFix, KeptValues, ExpiredTitle, ExpiredIntro, SecuredBy string
	ChooseTitle, ChooseIntro, ChooseButton, StandaloneDone, RelinkTitle     string
	TooManyAttempts, ChoiceGone, NotAllowedIntro                            string
	Optional, StageRunning, ErrorSummaryTitle, ErrorPrefix, PasteAgain      string
	ITDetails, FailedStage, UnknownTitle, UnknownIntro, BackTo              string
	ConnectionLost, DuplicateTitle, DuplicateIntro, ReplaceOld              string
	ReplaceOldDetail, LinkAnother, LinkAnotherDetail, UsedTitle, UsedIntro  string
	// The picker's search and categories (ResultsMany has a %d).
	CategoryLabel, AllCategories, SearchButton, ResultsOne, ResultsMany string
	NoResults, ShowAll, FeaturedTitle, OthersTitle                      string
	QueryTooLong, QueryUnreadable, UnknownCategory                      string
	// FailureHeadline says in plain words what went wrong, by failed stage.
	FailureHeadline map[string]string
	Stage           map[string]string
	// Summary labels the discovered metadata shown on the success screen,
	// in this order; other metadata is not shown.
	Summary []KeyValue
}

// English is the hub's English text.
var English = HubText{
	PickerTitle:       "Connect an account",
	PickerIntro:       "Choose the service you want to link.",
	SearchLabel:       "Search services",
	SearchPlaceholder: "Search…",
	NoProfiles:        "There is nothing to connect here yet. Ask the product's administrator to set up a connection.",
	Back:              "Back",
	Cancel:            "Cancel",
	Connect:           "Connect",
	Connecting:        "Testing your credentials…",
	TryAgain:          "Edit and try again",
	Close:             "Close",
	Done:              "Done",
	CopyLabel:         "Copy",
	Copied:            "Copied",
	GuideTitle:        "How to get these details",
	FormTitle:         "Your details",
	Required:          "required",
	SecretKept:        "Leave blank to keep the stored value",
	SecretPlaceholder: "Paste the secret",
	StagesTitle:       "Checks",
	StagePassed:       "passed",
	StageFailed:       "failed",
	StageSkipped:      "skipped",
	StagePending:      "waiting",
	SuccessTitle:      "Account connected",
	SuccessIntro:      "Your credentials work and are stored encrypted.",
	FailureTitle:      "We could not connect",
	FailureIntro:      "Nothing was stored. Your other entries are kept; paste the secret again and retry.",
	VendorAnswered:    "The service answered with HTTP status",
	VendorSaid:        "What the service said",
	HowToFix:          "How to fix it",
	KeptValues:        "Your entries are kept below. Secrets must be pasted again.",
	ExpiredTitle:      "This link has expired",
	ExpiredIntro:      "For your security, connection links work only for a limited time. Go back to the product you came from and start again.",
	SecuredBy:         "Secured by Linkhub",
	UsedTitle:         "This link was already used",
	UsedIntro:         "An account was already connected with this link, and each link connects only once. To connect another account, go back to the product you came from and start again there.",
	ChooseTitle:       "Choose what to link",
	ChooseIntro:       "Your credentials give access to several tenants. Pick the one to link.",
	ChooseButton:      "Link this one",
	StandaloneDone:    "You can now leave this page and go back to where you started.",
	RelinkTitle:       "Update the connection",
	TooManyAttempts:   "Too many attempts in a short time. Wait a few minutes, then try again.",
	ChoiceGone:        "This choice is no longer available. Enter your details again.",
	NotAllowedIntro:   "This service is not part of this connection link.",
	Optional:          "optional",
	StageRunning:      "checking…",
	ErrorSummaryTitle: "There is a problem",
	ErrorPrefix:       "Error:",
	PasteAgain:        "Paste the %s again: secrets are never kept after a failed try.",
	ITDetails:         "Details for your IT team",
	FailedStage:       "Failed check",
	UnknownTitle:      "This link does not work",
	UnknownIntro:      "The address is incomplete or was never valid. Check that you opened the whole link, or go back to the product you came from and start again.",
	BackTo:            "Back to %s",
	ConnectionLost:    "The connection was lost before the answer came. Try again.",
	DuplicateTitle:    "You already linked this %s",
	DuplicateIntro:    "Your credentials work, and %s is already linked for you. Replace the old credentials with these, or keep both.",
	ReplaceOld:        "Replace the old credentials",
	ReplaceOldDetail:  "%s, linked %s, keeps its place in the product and uses these credentials from now on.",
	LinkAnother:       "Link it as another account",
	LinkAnotherDetail: "The product will then have two accounts for the same thing.",
	CategoryLabel:     "Category",
	AllCategories:     "All categories",
	SearchButton:      "Search",
	ResultsOne:        "1 service",
	ResultsMany:       "%d services",
	NoResults:         "No service matches. Try another word or category.",
	ShowAll:           "Show all services",
	FeaturedTitle:     "Suggested",
	OthersTitle:       "All other services",
	QueryTooLong:      "The search is too long: use at most 100 characters. Showing every service.",
	QueryUnreadable:   "The search holds characters that cannot be searched for. Showing every service.",
	UnknownCategory:   "There is no such category here. Showing every service.",
	FailureHeadline: map[string]string{
		"address":     "We could not reach that address",
		"token":       "Signing in with these credentials did not work",
		"verify":      "The service did not answer as expected",
		"permissions": "The API client is missing permissions",
	},
	Summary: []KeyValue{
		{Key: "jamf_version", Value: "Jamf Pro version"},
		{Key: "id_type", Value: "Sophos Central account"},
		{Key: "ninjaone_region", Value: "NinjaOne region"},
		{Key: "organization_count", Value: "Organizations"},
	},
	Stage: map[string]string{
		"validate":    "Your entries",
		"address":     "Address is reachable and allowed",
		"token":       "Sign-in with the client credentials",
		"verify":      "Test call to the service",
		"permissions": "Permissions for the enabled actions",
	},
}

// Picker returns the words of the picker's search and categories.
func (t HubText) Picker() PickerText {
	return PickerText{SearchLabel: t.SearchLabel, SearchPlaceholder: t.SearchPlaceholder, CategoryLabel: t.CategoryLabel,
		AllCategories: t.AllCategories, SearchButton: t.SearchButton, ResultsOne: t.ResultsOne, ResultsMany: t.ResultsMany,
		NoResults: t.NoResults, ShowAll: t.ShowAll}
}
