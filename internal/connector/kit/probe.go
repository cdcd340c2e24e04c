package kit

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pseudo"
	"github.com/linkhub/linkhub/internal/secret"
)

// Probe describes the permission stage: one cheap read per enabled action.
type Probe struct {
	Vendor  string
	Actions []linkhub.Action // the connector's actions
	Enabled []string         // ids from TestInput.Actions
	// Target returns the probe request for an action: a cheap read that needs
	// the action's privilege.
	Target func(linkhub.Action) (url string, headers map[string]string)
	// Unfit, when set, says why this credential can never run an action
	// (wrong kind of credential, which no role fixes), or "" when it can.
	// Unfit actions are not probed.
	Unfit func(linkhub.Action) string
	Token secret.Value
	// Text is the connector's translations (ConnectorSpec.Text): the end
	// user reads the actions' names in their language, the admin in English.
	Text map[string]linkhub.ConnectorText
}

// RunProbes runs the permission stage on step: skipped when no action is
// enabled, failed when the credential cannot run an enabled action or the
// vendor answers 401 or 403 to any probe. The end user's hint says what they
// can do (give the API client a role, or ask the admin); turning actions off
// is the admin hint.
func RunProbes(ctx context.Context, hc *http.Client, cfg Config, step *Step, p Probe) {
	var missing, unfit []string
	var names []string // of the failing actions, for the admin
	var status int
	var snippet string
	probed := 0
	for _, a := range p.Actions {
		if !slices.Contains(p.Enabled, a.ID) || (a.Method != "" && a.Method != http.MethodGet) {
			continue
		}
		probed++
		if p.Unfit != nil {
			if why := p.Unfit(a); why != "" {
				unfit, names = append(unfit, why), append(names, a.Name)
				continue
			}
		}
		url, headers := p.Target(a)
		resp, fail := Do(ctx, hc, cfg, Call{URL: url, Token: p.Token, Headers: headers})
		if fail != nil {
			step.Fail(fail)
			return
		}
		status = resp.Status
		switch {
		case resp.Status >= 200 && resp.Status < 300:
		case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
			missing = append(missing, TextIn(ctx, "probe_needs", p.actionName(ctx, a), a.Privilege))
			names = append(names, a.Name)
			snippet = Snippet(resp.Body)
		default:
			step.Fail(StatusFailure(resp.Status, resp.Body, p.Vendor))
			return
		}
	}
	switch {
	case probed == 0:
		step.Skip(TextIn(ctx, "probe_none"))
	case len(missing)+len(unfit) > 0:
		step.Fail(probeFailure(linkhub.LocaleFrom(ctx), p.Vendor, missing, unfit, names, status, snippet))
	default:
		step.Pass(status, TextIn(ctx, "probe_all", probed), "")
	}
}

// actionName is a's name in the language ctx carries.
func (p Probe) actionName(ctx context.Context, a linkhub.Action) string {
	switch tag := linkhub.LocaleFrom(ctx); {
	case tag == linkhub.PseudoLocale:
		return pseudo.Text(a.Name)
	case p.Text[tag].Actions[a.ID].Name != "":
		return p.Text[tag].Actions[a.ID].Name
	}
	return a.Name
}

// probeFailure words a failed permission stage: for the end user, the roles
// to give the API client at the vendor, or, for what no role fixes, to ask
// the admin; for the admin, the actions to turn off on the profile.
func probeFailure(tag, vendor string, missing, unfit, names []string, status int, snippet string) *Failure {
	var hint []string
	if len(missing) > 0 {
		hint = append(hint, Text(tag, "probe_missing", strings.Join(missing, "; "), vendor))
	}
	if len(unfit) > 0 {
		hint = append(hint, Text(tag, "probe_unfit", strings.Join(unfit, " ")))
	}
	f := &Failure{Reason: linkhub.ReasonPermissionMissing, Hint: strings.Join(hint, " "),
		AdminHint: fmt.Sprintf("The profile enables %s, which this credential may not run. If your product does not need it, turn it off on the profile (admin console, Profiles) so such credentials link.",
			strings.Join(names, ", "))}
	if len(missing) > 0 {
		f.HTTPStatus, f.Snippet = status, snippet
	}
	return f
}
