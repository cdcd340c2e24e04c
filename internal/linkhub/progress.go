package linkhub

import "context"

// StatusRunning is the state of a stage that has begun and not yet ended. It
// is only ever reported to a StageObserver; reports hold outcomes.
const StatusRunning StageStatus = "running"

// StageObserver hears a credential test's stages as they happen: each stage
// once with StatusRunning when it begins, then once with its outcome. It is
// called on the test's goroutine and must return quickly.
type StageObserver func(name StageName, status StageStatus)

type observerKey struct{}

// WithStageObserver returns a context whose credential tests report their
// stages to o as they run.
func WithStageObserver(ctx context.Context, o StageObserver) context.Context {
	return context.WithValue(ctx, observerKey{}, o)
}

// StageObserverFrom returns the context's observer, or one that ignores
// everything.
func StageObserverFrom(ctx context.Context) StageObserver {
	if o, ok := ctx.Value(observerKey{}).(StageObserver); ok && o != nil {
		return o
	}
	return func(StageName, StageStatus) {}
}
