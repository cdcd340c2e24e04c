package linkhub

import (
	"context"
	"net/http"
)

// VendorRequest is one host API call to forward to a linked account's vendor.
type VendorRequest struct {
	Method string
	// Path is the escaped path below the vendor's base URL; Forward checks it.
	Path     string
	RawQuery string
	// Header is the caller's; hop-by-hop headers and the caller's own
	// credentials are dropped before sending.
	Header http.Header
	Body   []byte
	// Route, when set, is where the account's connector sends this call
	// (Router): its base URL and headers replace the token's, and Path
	// should be its Path.
	Route *Route
}

// VendorResponse is the vendor's answer to a forwarded call.
type VendorResponse struct {
	Status int
	// Header holds only the headers worth passing on (content type, caching
	// and paging hints), never cookies.
	Header http.Header
	Body   []byte
}

// Vendor sends host API calls to a linked account's vendor; *proxy.Forwarder
// is one.
type Vendor interface {
	// Forward sends r with the account's access token. Errors are *Error
	// values: EFORBIDDEN for an account that cannot be used, EUNAVAILABLE
	// when the vendor cannot be reached, EVENDOR for an oversized answer.
	Forward(ctx context.Context, a *Account, r VendorRequest) (*VendorResponse, error)
	// ActionRequest builds the call that runs act with the caller's params;
	// bad params are EINVALID naming "params.<name>".
	ActionRequest(act Action, params map[string]any) (VendorRequest, error)
}
