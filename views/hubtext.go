package views

// HubText holds every string the end user reads in the hub, in one place so a
// translation is one more value of this type (hubtext_<lang>.go, one file per
// language; Text picks one). Fields tagged pseudo:"keep" are codes, not words.
type HubText struct {
	// Lang is the BCP 47 tag of this text, as <html lang> says it.
	Lang string `pseudo:"keep"`
	// DateFormat is a Go time layout, numeric where month names would stay
	// English.
	DateFormat string `pseudo:"keep"`
	// LowerLabels lower-cases a field's label inside a sentence (English
	// "paste the client secret"); languages that keep a label's case, or
	// quote it, leave it false.
	LowerLabels                                                                 bool
	LanguageLabel, LanguageButton, RelinkHeading, StageAnnounce, DurationMS     string
	FieldRequired, FieldUUID, FieldOption, ErrorTitle, ErrorIntro, FormOutdated string
	UnavailableTitle, UnavailableIntro                                          string
	PickerTitle, PickerIntro, SearchLabel, SearchPlaceholder, NoProfiles        string
	Back, Cancel, Connect, Connecting, TryAgain, Close, Done, CopyLabel         string
	Copied, GuideTitle, FormTitle, Required, SecretKept, SecretPlaceholder      string
	StagesTitle, StagePassed, StageFailed, StageSkipped, StagePending           string
	SuccessTitle, SuccessIntro, FailureTitle, FailureIntro, VendorAnswered      string
	VendorSaid, HowToFix, KeptValues, ExpiredTitle, ExpiredIntro, SecuredBy     string
	ChooseTitle, ChooseIntro, ChooseButton, StandaloneDone, RelinkTitle         string
	TooManyAttempts, ChoiceGone, NotAllowedIntro                                string
	Optional, StageRunning, ErrorSummaryTitle, ErrorPrefix, PasteAgain          string
	ITDetails, FailedStage, UnknownTitle, UnknownIntro, BackTo                  string
	ConnectionLost, DuplicateTitle, DuplicateIntro, ReplaceOld                  string
	ReplaceOldDetail, LinkAnother, LinkAnotherDetail, UsedTitle, UsedIntro      string
	// The picker's search and categories (ResultsMany has a %d).
	CategoryLabel, AllCategories, SearchButton, ResultsOne, ResultsMany string
	NoResults, ShowAll, FeaturedTitle, OthersTitle                      string
	QueryTooLong, QueryUnreadable, UnknownCategory                      string
	// FailureHeadline says in plain words what went wrong, by failed stage.
	FailureHeadline map[string]string
	Stage           map[string]string
	// Category names a connector's category, by its English name; a
	// category missing here is shown in English.
	Category map[string]string
	// Summary labels the discovered metadata shown on the success screen,
	// in this order; other metadata is not shown.
	Summary []KeyValue
}

// English is the hub's English text.
var English = HubText{
	Lang:              "en",
	DateFormat:        "2 January 2006",
	LowerLabels:       true,
	LanguageLabel:     "Language",
	LanguageButton:    "Change",
	RelinkHeading:     "Update the connection: %s",
	StageAnnounce:     "%s: %s",
	DurationMS:        "%d ms",
	FieldRequired:     "%s is required.",
	FieldUUID:         "%s must be a UUID like 1a2b3c4d-0000-4000-8000-123456789abc.",
	FieldOption:       "Choose one of the listed options for %s.",
	ErrorTitle:        "That did not work",
	ErrorIntro:        "Something went wrong on our side. Nothing was stored. Try again in a minute.",
	UnavailableTitle:  "Temporarily unavailable",
	UnavailableIntro:  "The service is temporarily unavailable. Nothing was stored. Try again in a minute.",
	FormOutdated:      "This form is out of date. Reload the page and fill it in again.",
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
	Required:          "(required)",
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
	Optional:          "(optional)",
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
	Category: map[string]string{
		"Collaboration":                    "Collaboration",
		"Device management":                "Device management",
		"Endpoint security":                "Endpoint security",
		"Identity":                         "Identity",
		"Identity and device management":   "Identity and device management",
		"Network":                          "Network",
		"PSA":                              "PSA",
		"Patch management":                 "Patch management",
		"Remote monitoring and management": "Remote monitoring and management",
		"Vulnerability management":         "Vulnerability management",
	},
}

// Picker returns the words of the picker's search and categories.
func (t HubText) Picker() PickerText {
	return PickerText{SearchLabel: t.SearchLabel, SearchPlaceholder: t.SearchPlaceholder, CategoryLabel: t.CategoryLabel,
		AllCategories: t.AllCategories, SearchButton: t.SearchButton, ResultsOne: t.ResultsOne, ResultsMany: t.ResultsMany,
		NoResults: t.NoResults, ShowAll: t.ShowAll}
}
