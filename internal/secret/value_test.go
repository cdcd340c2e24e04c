package secret_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/secret"
)

// content is a recognisable secret: any output holding it is a leak.
const content = "sk_live_TOPSECRET_1234"

func TestValue_Reveal(t *testing.T) {
	v := secret.New(content)
	if got := v.Reveal(); got != content {
		t.Errorf("got %q, want %q", got, content)
	}
	if v.IsZero() {
		t.Errorf("got IsZero true for %d-byte secret, want false", len(content))
	}
	if !secret.New("").IsZero() {
		t.Errorf("got IsZero false for empty secret, want true")
	}
	var zero secret.Value
	if !zero.IsZero() {
		t.Errorf("got IsZero false for zero Value, want true")
	}
}

func TestValue_Fmt(t *testing.T) {
	v := secret.New(content)
	type holder struct {
		Name  string
		Token secret.Value
	}
	h := holder{Name: "acme", Token: v}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"v", fmt.Sprintf("%v", v), "[redacted]"},
		{"s", fmt.Sprintf("%s", v), "[redacted]"},
		{"q", fmt.Sprintf("%q", v), "[redacted]"},
		{"#v", fmt.Sprintf("%#v", v), "[redacted]"},
		{"+v", fmt.Sprintf("%+v", v), "[redacted]"},
		{"x", fmt.Sprintf("%x", v), "[redacted]"},
		{"d", fmt.Sprintf("%d", v), "[redacted]"},
		{"pointer", fmt.Sprintf("%v", &v), "[redacted]"},
		{"String", v.String(), "[redacted]"},
		{"GoString", v.GoString(), "[redacted]"},
		{"Sprint", fmt.Sprint(v), "[redacted]"},
		{"struct v", fmt.Sprintf("%v", h), "{acme [redacted]}"},
		{"struct +v", fmt.Sprintf("%+v", h), "{Name:acme Token:[redacted]}"},
		{"struct #v", fmt.Sprintf("%#v", h), `secret_test.holder{Name:"acme", Token:[redacted]}`},
		{"error wrap", fmt.Errorf("call failed with %v", v).Error(), "call failed with [redacted]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestValue_Marshal(t *testing.T) {
	v := secret.New(content)
	t.Run("JSON struct", func(t *testing.T) {
		b, err := json.Marshal(struct {
			Name  string       `json:"name"`
			Token secret.Value `json:"token"`
			Ptr   *secret.Value
		}{"acme", v, &v})
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		want := `{"name":"acme","token":"[redacted]","Ptr":"[redacted]"}`
		if string(b) != want {
			t.Errorf("got %s, want %s", b, want)
		}
	})
	t.Run("JSON map key", func(t *testing.T) {
		// Map keys go through MarshalText, not MarshalJSON.
		b, err := json.Marshal(map[secret.Value]int{v: 1})
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		if want := `{"[redacted]":1}`; string(b) != want {
			t.Errorf("got %s, want %s", b, want)
		}
	})
	t.Run("MarshalText", func(t *testing.T) {
		b, err := v.MarshalText()
		if err != nil || string(b) != "[redacted]" {
			t.Errorf("got %q, %v, want %q, nil", b, err, "[redacted]")
		}
	})
}

func TestValue_Slog(t *testing.T) {
	v := secret.New(content)
	tests := []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
		want string
	}{
		{"JSON", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }, `"token":"[redacted]"`},
		{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }, `token=[redacted]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(tt.new(&buf))
			log.Info("attr", "token", v)
			log.Info("group", slog.Group("creds", slog.Any("token", v)))
			log.With("token", v).Info("with")
			log.Info("ptr", "token", &v)
			out := buf.String()
			if strings.Contains(out, content) {
				t.Fatalf("got log containing the secret:\n%s", out)
			}
			if got, want := strings.Count(out, tt.want), 4; got != want {
				t.Errorf("got %d lines with %s, want %d:\n%s", got, tt.want, want, out)
			}
		})
	}
}

func TestValue_Mask(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"short", "••••••••"},
		{"elevenchars", "••••••••"},
		{"twelve_chars", "••••••••hars"},
		{content, "••••••••1234"},
		{"ünïcödé_sécrét", "••••••••crét"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := secret.New(tt.in).Mask(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
