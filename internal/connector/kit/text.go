package kit

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pseudo"
)

// textYAML is every end-user text the connectors share (generic hints by
// reason code, stage messages), in every hub language, in one place.
//
//go:embed text.yaml
var textYAML []byte

var catalog = sync.OnceValue(func() map[string]map[string]string {
	var c map[string]map[string]string
	if err := yaml.Unmarshal(textYAML, &c); err != nil {
		panic(err) // embedded; TestTextCatalog reads it
	}
	return c
})

// TextIDs returns the ids of the shared texts, for tests.
func TextIDs() []string {
	ids := make([]string, 0, len(catalog()))
	for id := range catalog() {
		ids = append(ids, id)
	}
	return ids
}

// Localizer is an argument worded differently per language, such as a
// duration.
type Localizer interface {
	In(tag string) string
}

// Text returns the shared text id in the language tag, its fmt verbs filled
// with args: English where the language has no text, the English made
// pseudo in the pseudo-locale. It panics on an unknown id, which a test
// would catch at once.
func Text(tag, id string, args ...any) string {
	texts, ok := catalog()[id]
	if !ok {
		panic("kit: no text " + id)
	}
	format := texts[tag]
	switch {
	case tag == linkhub.PseudoLocale:
		format = pseudo.Text(texts["en"])
	case format == "":
		format = texts["en"]
	}
	if len(args) == 0 || !strings.Contains(format, "%") {
		return format
	}
	args = slices.Clone(args) // a failure words its hint again later
	for i, a := range args {
		if l, ok := a.(Localizer); ok {
			args[i] = l.In(tag)
		}
	}
	return fmt.Sprintf(format, args...)
}

// TextIn is Text in the language ctx carries.
func TextIn(ctx context.Context, id string, args ...any) string {
	return Text(linkhub.LocaleFrom(ctx), id, args...)
}

// Hint returns a Go connector's own hint id in the language ctx carries,
// its fmt verbs filled with args: the spec's translation when it has one,
// else the English of en (the connector's hints by id), made pseudo in the
// pseudo-locale. It panics on an id en lacks, which a test would catch.
func Hint(ctx context.Context, spec linkhub.ConnectorSpec, en map[string]string, id string, args ...any) string {
	format, ok := en[id]
	if !ok {
		panic("kit: no hint " + id)
	}
	switch tag := linkhub.LocaleFrom(ctx); {
	case tag == linkhub.PseudoLocale:
		format = pseudo.Text(format)
	case spec.Text[tag].Hints[id] != "":
		format = spec.Text[tag].Hints[id]
	}
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// text is a failure's hint as a shared text, so that the recorder can word
// it in the user's language; en is the English it was made with.
type text struct {
	id   string
	args []any
	en   string
}

// failure returns a failure whose hint is the shared text id.
func failure(reason, id string, args ...any) *Failure {
	f := &Failure{Reason: reason}
	f.say(id, args...)
	return f
}

// say sets f's hint to the shared text id.
func (f *Failure) say(id string, args ...any) {
	f.Hint = Text("en", id, args...)
	f.text = &text{id: id, args: args, en: f.Hint}
}

// hintIn is f's hint in the language tag: the shared text, unless a
// connector has put its own hint in place since.
func (f *Failure) hintIn(tag string) string {
	if f.text == nil || f.Hint != f.text.en {
		return f.Hint
	}
	return Text(tag, f.text.id, f.text.args...)
}
