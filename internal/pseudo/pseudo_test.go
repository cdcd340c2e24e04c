package pseudo

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	in := "Paste the %s again for {client_id}."
	got := Text(in)
	if strings.Contains(got, "Paste") || !strings.Contains(got, "Þášţé") {
		t.Errorf("Text(%q) = %q: letters not accented", in, got)
	}
	if !strings.Contains(got, "%s") || !strings.Contains(got, "{client_id}") {
		t.Errorf("Text(%q) = %q: a placeholder was changed", in, got)
	}
	if want := fmt.Sprintf(got, "secret"); !strings.Contains(want, "secret") {
		t.Errorf("the pseudo string no longer formats: %q", want)
	}
	if n, m := utf8.RuneCountInString(got), utf8.RuneCountInString(in); n < m*135/100 {
		t.Errorf("Text(%q) has %d characters, want at least 35 %% more than %d", in, n, m)
	}
	if Text("") != "" {
		t.Error(`Text("") is not empty`)
	}
}
