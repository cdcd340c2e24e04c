package kit

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/linkhub/linkhub/internal/linkhub"
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
	Token  secret.Value
}

// RunProbes runs the permission stage on step: skipped when no action is
// enabled, failed with the missing privileges listed when the vendor answers
// 401 or 403 to any probe.
func RunProbes(ctx context.Context, hc *http.Client, cfg Config, step *Step, p Probe) {
	var missing []string
	var status int
	var snippet string
	probed := 0
	for _, a := range p.Actions {
		if !slices.Contains(p.Enabled, a.ID) || (a.Method != "" && a.Method != http.MethodGet) {
			continue
		}
		probed++
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
			missing = append(missing, fmt.Sprintf("%s (needs %s)", a.Name, a.Privilege))
			snippet = Snippet(resp.Body)
		default:
			step.Fail(StatusFailure(resp.Status, resp.Body, p.Vendor))
			return
		}
	}
	switch {
	case probed == 0:
		step.Skip("No actions are enabled on this profile, so there is nothing to check.")
	case len(missing) > 0:
		step.Fail(&Failure{Reason: linkhub.ReasonPermissionMissing, HTTPStatus: status, Snippet: snippet,
			Hint: "The API client may not run these actions: " + strings.Join(missing, "; ") + ". Grant the privileges in the guide, or disable the actions."})
	default:
		step.Pass(status, fmt.Sprintf("All %d enabled actions are allowed.", probed), "")
	}
}
