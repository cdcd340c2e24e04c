package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.Vendor = (*Vendor)(nil)

// Vendor is a linkhub.Vendor whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type Vendor struct {
	ForwardFn       func(ctx context.Context, a *linkhub.Account, r linkhub.VendorRequest) (*linkhub.VendorResponse, error)
	ActionRequestFn func(act linkhub.Action, params map[string]any) (linkhub.VendorRequest, error)
}

// Forward calls ForwardFn.
func (m *Vendor) Forward(ctx context.Context, a *linkhub.Account, r linkhub.VendorRequest) (*linkhub.VendorResponse, error) {
	return m.ForwardFn(ctx, a, r)
}

// ActionRequest calls ActionRequestFn.
func (m *Vendor) ActionRequest(act linkhub.Action, params map[string]any) (linkhub.VendorRequest, error) {
	return m.ActionRequestFn(act, params)
}
