package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// connectorJSON is one connector of GET /api/v1/connectors.
type connectorJSON struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Category string       `json:"category"`
	AuthType string       `json:"auth_type"`
	Summary  string       `json:"summary"`
	Fields   []fieldJSON  `json:"fields"`
	Actions  []actionJSON `json:"actions"`
	// Origin is built-in, file or runtime; Replaces, for a runtime one,
	// what it takes the place of.
	Origin   string `json:"origin,omitempty"`
	Replaces string `json:"replaces,omitempty"`
}

// origins is what a registry that knows where connectors come from offers.
type origins interface {
	Origin(id string) (origin, replaces string)
}

type fieldJSON struct {
	ID       string       `json:"id"`
	Label    string       `json:"label"`
	Scope    string       `json:"scope"`
	Kind     string       `json:"kind"`
	Secret   bool         `json:"secret"`
	Required bool         `json:"required"`
	Help     string       `json:"help,omitempty"`
	Options  []optionJSON `json:"options,omitempty"`
}

type optionJSON struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

type actionJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Privilege   string `json:"privilege"`
}

// handleConnectors handles GET /api/v1/connectors: the catalog.
func handleConnectors(connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		out := []connectorJSON{}
		for _, conn := range connectors.All() {
			s := conn.Spec()
			cj := connectorJSON{ID: s.ID, Name: s.Name, Category: s.Category, AuthType: s.AuthType, Summary: s.Summary,
				Fields: []fieldJSON{}, Actions: []actionJSON{}}
			if o, ok := connectors.(origins); ok {
				cj.Origin, cj.Replaces = o.Origin(s.ID)
			}
			for _, f := range s.Fields {
				fj := fieldJSON{ID: f.ID, Label: f.Label, Scope: string(f.Scope), Kind: string(f.Kind), Secret: f.Secret,
					Required: f.Required, Help: f.Help}
				for _, o := range f.Options {
					fj.Options = append(fj.Options, optionJSON(o))
				}
				cj.Fields = append(cj.Fields, fj)
			}
			for _, a := range s.Actions {
				cj.Actions = append(cj.Actions, actionJSON{ID: a.ID, Name: a.Name, Description: a.Description,
					Method: a.Method, Path: a.Path, Privilege: a.Privilege})
			}
			out = append(out, cj)
		}
		return c.JSON(http.StatusOK, map[string]any{"connectors": out})
	}
}

// profileJSON is one profile of GET /api/v1/profiles. Secrets says only
// whether each secret field holds a value.
type profileJSON struct {
	ID        string                     `json:"id"`
	Connector string                     `json:"connector"`
	Name      string                     `json:"name"`
	Enabled   bool                       `json:"enabled"`
	IsDefault bool                       `json:"is_default"`
	Featured  bool                       `json:"featured"`
	Actions   []string                   `json:"actions"`
	Values    map[string]string          `json:"values"`
	Secrets   map[string]secretStateJSON `json:"secrets"`
	CreatedAt time.Time                  `json:"created_at"`
	UpdatedAt time.Time                  `json:"updated_at"`
}

type secretStateJSON struct {
	Set bool `json:"set"`
}

// handleProfiles handles GET /api/v1/profiles.
func handleProfiles(profiles linkhub.ProfileService, connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		list, err := profiles.FindProfiles(c.Request().Context(), linkhub.ProfileFilter{})
		if err != nil {
			return err
		}
		out := make([]profileJSON, 0, len(list))
		for _, p := range list {
			pj := profileJSON{ID: p.ID, Connector: p.ConnectorID, Name: p.Name, Enabled: p.Enabled, IsDefault: p.IsDefault,
				Featured: p.Featured, Actions: nonNil(p.Actions), Values: nonNilMap(p.Values), Secrets: map[string]secretStateJSON{},
				CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
			if conn, ok := connectors.Get(p.ConnectorID); ok {
				for _, f := range conn.Spec().Fields {
					if f.Secret {
						pj.Secrets[f.ID] = secretStateJSON{Set: p.HasSecret(f.ID)}
					}
				}
			}
			out = append(out, pj)
		}
		return c.JSON(http.StatusOK, map[string]any{"profiles": out})
	}
}

// nonNil makes a nil list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// nonNilMap makes a nil map encode as {} rather than null.
func nonNilMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}
