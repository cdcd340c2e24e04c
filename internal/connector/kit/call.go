package kit

import (
	"context"
	"io"
	"net/http"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// Call is one authenticated vendor API request.
type Call struct {
	Method  string // GET when empty
	URL     string
	Token   secret.Value
	Headers map[string]string
}

// Response is a vendor API answer, body capped at MaxBody.
type Response struct {
	Status int
	Body   []byte
}

// Do sends c with the bearer token, if it has one. It fails only when no HTTP answer came
// back; the caller judges the status and the body's shape.
func Do(ctx context.Context, hc *http.Client, cfg Config, c Call) (Response, *Failure) {
	method := c.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL, nil)
	if err != nil {
		return Response{}, failure(linkhub.ReasonInvalidInput, "api_url_invalid")
	}
	if !c.Token.IsZero() { // a call without a token probes what answers
		req.Header.Set("Authorization", "Bearer "+c.Token.Reveal())
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range c.Headers {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Response{}, NetFailure(err, req.URL.Host, cfg)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, NetFailure(err, req.URL.Host, cfg)
	}
	return Response{Status: resp.StatusCode, Body: body}, nil
}
