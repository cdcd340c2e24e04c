package web

// RouteList returns the method and path of every route the server has, for
// the test that keeps the OpenAPI document in step with them.
func RouteList(cfg Config, deps Deps) [][2]string {
	e := newEcho(cfg, deps)
	var out [][2]string
	for _, r := range e.Routes() {
		out = append(out, [2]string{r.Method, r.Path})
	}
	return out
}
