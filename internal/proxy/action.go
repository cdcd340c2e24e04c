package proxy

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// placeholder is a path parameter of an action, like {id}.
var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

// ActionRequest builds the request that runs act with the caller's params:
// path parameters ({id}) are filled in, escaped; the remaining params go in
// the query for GET, HEAD and DELETE and in a JSON body otherwise. Bad params
// are EINVALID errors naming "params.<name>".
func ActionRequest(act linkhub.Action, params map[string]any) (Request, error) {
	rest := maps.Clone(params)
	if rest == nil {
		rest = map[string]any{}
	}
	var firstErr error
	path := placeholder.ReplaceAllStringFunc(act.Path, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := rest[name]
		delete(rest, name)
		s, isScalar := scalar(v)
		switch {
		case firstErr != nil:
		case !ok || v == nil:
			firstErr = linkhub.FieldError("params."+name, fmt.Sprintf("This action needs params.%s.", name))
		case !isScalar || s == "" || s == "." || s == ".." || strings.ContainsAny(s, `/\`):
			// The path check in Forward refuses encoded slashes, so say it here.
			firstErr = linkhub.FieldError("params."+name, fmt.Sprintf("params.%s must be a non-empty string or number without / or \\, and not . or ..", name))
		}
		return url.PathEscape(s)
	})
	if firstErr != nil {
		return Request{}, firstErr
	}
	method := strings.ToUpper(act.Method)
	r := Request{Method: method, Path: path, Header: http.Header{"Accept": {"application/json"}}}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodDelete:
		q := url.Values{}
		for _, k := range slices.Sorted(maps.Keys(rest)) {
			vals, err := queryValues(k, rest[k])
			if err != nil {
				return Request{}, err
			}
			q[k] = vals
		}
		r.RawQuery = q.Encode()
	default:
		body, err := json.Marshal(rest)
		if err != nil {
			return Request{}, linkhub.FieldError("params", "params must be a JSON object.")
		}
		r.Body = body
		r.Header.Set("Content-Type", "application/json")
	}
	return r, nil
}

// scalar formats a JSON string, number or boolean.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// queryValues turns a param into query values: a scalar, or an array of them.
func queryValues(name string, v any) ([]string, error) {
	if s, ok := scalar(v); ok {
		return []string{s}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, linkhub.FieldError("params."+name, fmt.Sprintf("params.%s must be a string, number, boolean or a list of them.", name))
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := scalar(item)
		if !ok {
			return nil, linkhub.FieldError("params."+name, fmt.Sprintf("params.%s must be a string, number, boolean or a list of them.", name))
		}
		out = append(out, s)
	}
	return out, nil
}
