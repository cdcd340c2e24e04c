package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// progressType is the media type hub.js asks for when it posts the link form
// with fetch: newline-delimited JSON.
const progressType = "application/x-ndjson"

// streamHubProgress lets the hub show a credential test's stages live.
//
// Why a streamed answer on the same request, not SSE or polling: the request
// that runs the test is the one that reports on it, so there is no second
// channel to authorise, no state shared between replicas (a load balancer
// cannot send the progress to a process that does not run the test) and no
// cookie (the hub works in iframes with third-party cookies blocked).
//
// Only a post that asks for it (Accept: application/x-ndjson, from hub.js)
// is streamed: one {"stage","status"} line flushed as each stage begins and
// ends, then a last {"status","html"} line with the page a plain post gets.
// Nothing is sent before the first stage begins, so an answer that runs no
// test (too many attempts, an error page) goes out as it is. With JavaScript
// off the form posts as before and gets the page.
func streamHubProgress(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !strings.Contains(c.Request().Header.Get(echo.HeaderAccept), progressType) {
			return next(c)
		}
		res := c.Response()
		p := &progressWriter{w: res.Writer, rc: http.NewResponseController(res.Writer)}
		res.Writer = p
		ctx := linkhub.WithStageObserver(c.Request().Context(), func(n linkhub.StageName, s linkhub.StageStatus) {
			p.event(progressEvent{Stage: string(n), Status: string(s)})
		})
		c.SetRequest(c.Request().WithContext(ctx))
		if err := next(c); err != nil {
			c.Echo().HTTPErrorHandler(err, c) // into p, like any page
		}
		res.Writer = p.w
		p.finish()
		return nil
	}
}

// progressEvent is one line of the stream: a stage's state, or the page.
type progressEvent struct {
	Stage      string `json:"stage,omitempty"`
	Status     string `json:"status,omitempty"`
	HTTPStatus int    `json:"http_status,omitempty"`
	HTML       string `json:"html,omitempty"`
}

// progressWriter holds the page the handler renders while stage events go
// straight out, flushed one by one.
type progressWriter struct {
	w  http.ResponseWriter
	rc *http.ResponseController

	mu      sync.Mutex // stages may end on a test's other goroutines
	started bool
	status  int
	page    bytes.Buffer
}

func (p *progressWriter) Header() http.Header { return p.w.Header() }

func (p *progressWriter) WriteHeader(status int) { p.status = status }

func (p *progressWriter) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return p.page.Write(b)
}

// event sends one line, starting the stream with the first.
func (p *progressWriter) event(e progressEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.started {
		p.started = true
		h := p.w.Header()
		h.Set(echo.HeaderContentType, progressType)
		h.Set(echo.HeaderXContentTypeOptions, "nosniff")
		p.w.WriteHeader(http.StatusOK)
	}
	b, _ := json.Marshal(e)
	// A write error means the user went away; the test runs on and its
	// outcome is recorded as for a plain post.
	if _, err := p.w.Write(append(b, '\n')); err == nil {
		_ = p.rc.Flush()
	}
}

// finish sends the page: as the last line of a started stream, else as the
// plain answer it is.
func (p *progressWriter) finish() {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	p.mu.Lock()
	started := p.started
	p.mu.Unlock()
	if started {
		p.event(progressEvent{HTTPStatus: p.status, HTML: p.page.String()})
		return
	}
	p.w.WriteHeader(p.status)
	_, _ = p.w.Write(p.page.Bytes())
}
