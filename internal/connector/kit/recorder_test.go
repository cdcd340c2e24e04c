package kit

import (
	"context"
	"slices"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestRecorder_Observer: the context's observer hears each stage begin and
// end as it happens, in order, so the hub can show live progress.
func TestRecorder_Observer(t *testing.T) {
	var got []string
	ctx := linkhub.WithStageObserver(context.Background(), func(n linkhub.StageName, s linkhub.StageStatus) {
		got = append(got, string(n)+":"+string(s))
	})
	rec := NewRecorder(ctx)
	step := rec.Begin(linkhub.StageValidate)
	if want := []string{"validate:running"}; !slices.Equal(got, want) {
		t.Fatalf("after Begin got %v, want %v", got, want)
	}
	step.Pass(0, "", "")
	rec.Begin(linkhub.StageAddress).Fail(&Failure{Reason: linkhub.ReasonDNSNotFound})
	want := []string{"validate:running", "validate:passed", "address:running", "address:failed"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if r := rec.Report(); len(r.Stages) != 5 {
		t.Errorf("got %d stages in the report, want 5", len(r.Stages))
	}
}

// TestRecorder_NoObserver: without an observer the recorder works as before.
func TestRecorder_NoObserver(t *testing.T) {
	rec := NewRecorder(context.Background())
	rec.Begin(linkhub.StageValidate).Pass(0, "", "")
	if r := rec.Report(); r.Stages[0].Status != linkhub.StatusPassed {
		t.Errorf("got %s, want passed", r.Stages[0].Status)
	}
}
