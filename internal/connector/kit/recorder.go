package kit

import (
	"context"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// stageTitles are the user-facing names of the stages, in order.
var stageTitles = []struct {
	name  linkhub.StageName
	title string
}{
	{linkhub.StageValidate, "Check the form"},
	{linkhub.StageAddress, "Check the address"},
	{linkhub.StageToken, "Sign in with the API client"},
	{linkhub.StageVerify, "Read from the API"},
	{linkhub.StagePermissions, "Check permissions for enabled actions"},
}

// Recorder builds a staged-test report. Stages that never ran are added as
// skipped by Report, so every report lists all five stages in order.
type Recorder struct {
	report  linkhub.Report
	observe linkhub.StageObserver
	locale  string // the user's language, of the hints kit words
}

// NewRecorder returns an empty recorder that tells the context's stage
// observer (the hub's live progress) when each stage begins and ends.
func NewRecorder(ctx context.Context) *Recorder {
	return &Recorder{report: linkhub.Report{Values: map[string]string{}, Metadata: map[string]string{}},
		observe: linkhub.StageObserverFrom(ctx), locale: linkhub.LocaleFrom(ctx)}
}

// Step is a stage in progress.
type Step struct {
	rec   *Recorder
	name  linkhub.StageName
	start time.Time
}

// Begin starts timing stage name.
func (r *Recorder) Begin(name linkhub.StageName) *Step {
	r.observe(name, linkhub.StatusRunning)
	return &Step{rec: r, name: name, start: time.Now()}
}

// Pass records the stage as passed. hint may say what was found.
func (s *Step) Pass(httpStatus int, hint, snippet string) {
	s.rec.add(s, linkhub.Stage{Status: linkhub.StatusPassed, HTTPStatus: httpStatus, Hint: hint, Snippet: snippet})
}

// Skip records the stage as skipped, with the reason in hint.
func (s *Step) Skip(hint string) {
	s.rec.add(s, linkhub.Stage{Status: linkhub.StatusSkipped, Hint: hint})
}

// Fail records the stage as failed because of f.
func (s *Step) Fail(f *Failure) {
	s.rec.add(s, linkhub.Stage{Status: linkhub.StatusFailed, HTTPStatus: f.HTTPStatus,
		Reason: f.Reason, Hint: f.hintIn(s.rec.locale), AdminHint: f.AdminHint, Snippet: f.Snippet})
}

func (r *Recorder) add(s *Step, st linkhub.Stage) {
	st.Name, st.Title, st.Duration = s.name, title(s.name), time.Since(s.start)
	r.report.Stages = append(r.report.Stages, st)
	r.observe(s.name, st.Status)
}

// SetValue stores a normalised non-secret value.
func (r *Recorder) SetValue(id, v string) { r.report.Values[id] = v }

// SetMetadata stores something the test discovered.
func (r *Recorder) SetMetadata(k, v string) { r.report.Metadata[k] = v }

// SetFieldErrors stores the validation messages by field id.
func (r *Recorder) SetFieldErrors(errs map[string]string) { r.report.FieldErrors = errs }

// AddChoice offers the user a choice to make before linking.
func (r *Recorder) AddChoice(c linkhub.Choice) { r.report.Choices = append(r.report.Choices, c) }

// Report returns the report with every missing stage added as skipped.
func (r *Recorder) Report() linkhub.Report {
	done := map[linkhub.StageName]linkhub.Stage{}
	for _, s := range r.report.Stages {
		done[s.Name] = s
	}
	out := r.report
	out.Stages = nil
	for _, st := range stageTitles {
		if s, ok := done[st.name]; ok {
			out.Stages = append(out.Stages, s)
			continue
		}
		out.Stages = append(out.Stages, linkhub.Stage{Name: st.name, Title: st.title,
			Status: linkhub.StatusSkipped, Hint: Text(r.locale, "not_run")})
	}
	return out
}

func title(n linkhub.StageName) string {
	for _, st := range stageTitles {
		if st.name == n {
			return st.title
		}
	}
	return string(n)
}
