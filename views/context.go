package views

import "context"

// CurrentAdmin is the signed-in admin, as the layout shows them.
type CurrentAdmin struct {
	ID    string
	Email string
}

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    string // "success" or "error"
	Message string
}

type ctxKey int

const (
	adminKey ctxKey = iota
	flashKey
)

// WithAdmin returns ctx carrying the signed-in admin, for the layout.
func WithAdmin(ctx context.Context, a CurrentAdmin) context.Context {
	return context.WithValue(ctx, adminKey, a)
}

// AdminFrom returns the signed-in admin, if any. It never panics.
func AdminFrom(ctx context.Context) (CurrentAdmin, bool) {
	a, ok := ctx.Value(adminKey).(CurrentAdmin)
	return a, ok
}

// WithFlash returns ctx carrying a flash message to show.
func WithFlash(ctx context.Context, f Flash) context.Context {
	return context.WithValue(ctx, flashKey, f)
}

// FlashFrom returns the flash message to show, if any. It never panics.
func FlashFrom(ctx context.Context) (Flash, bool) {
	f, ok := ctx.Value(flashKey).(Flash)
	return f, ok && f.Message != ""
}
