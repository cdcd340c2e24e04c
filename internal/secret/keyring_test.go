package secret_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/secret"
)

// MustGenerateKey returns a new base64 key or fails the test.
func MustGenerateKey(t testing.TB) string {
	t.Helper()
	k, err := secret.GenerateKey()
	if err != nil {
		t.Fatalf("GenerateKey: got error %v, want nil", err)
	}
	return k
}

// MustKeyring parses keys and active or fails the test.
func MustKeyring(t testing.TB, keys, active string) *secret.Keyring {
	t.Helper()
	kr, err := secret.ParseKeyring(keys, active)
	if err != nil {
		t.Fatalf("ParseKeyring: got error %v, want nil", err)
	}
	return kr
}

func TestGenerateKey(t *testing.T) {
	a, b := MustGenerateKey(t), MustGenerateKey(t)
	raw, err := base64.StdEncoding.DecodeString(a)
	if err != nil {
		t.Fatalf("got undecodable key: %v", err)
	}
	if len(raw) != secret.KeySize {
		t.Errorf("got %d bytes, want %d", len(raw), secret.KeySize)
	}
	if a == b {
		t.Errorf("got the same key twice, want distinct keys")
	}
}

func TestParseKeyring_OK(t *testing.T) {
	k1, k2 := MustGenerateKey(t), MustGenerateKey(t)
	tests := []struct {
		name, keys, active string
		wantActive         int
		wantIDs            []int
	}{
		{"one", "1:" + k1, "1", 1, []int{1}},
		{"two", fmt.Sprintf("2:%s,1:%s", k2, k1), "2", 2, []int{2, 1}},
		{"old active", fmt.Sprintf("2:%s,1:%s", k2, k1), "1", 1, []int{2, 1}},
		{"spaces", fmt.Sprintf("  2 : %s ,\n 1:%s ", k2, k1), " 2 ", 2, []int{2, 1}},
		{"order", fmt.Sprintf("1:%s,7:%s", k1, k2), "7", 7, []int{7, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := MustKeyring(t, tt.keys, tt.active)
			if got := kr.ActiveID(); got != tt.wantActive {
				t.Errorf("ActiveID: got %d, want %d", got, tt.wantActive)
			}
			if got := kr.IDs(); !slices.Equal(got, tt.wantIDs) {
				t.Errorf("IDs: got %v, want %v", got, tt.wantIDs)
			}
			for _, id := range tt.wantIDs {
				if !kr.Has(id) {
					t.Errorf("Has(%d): got false, want true", id)
				}
			}
			if kr.Has(99) {
				t.Errorf("Has(99): got true, want false")
			}
		})
	}
}

func TestParseKeyring_Err(t *testing.T) {
	k := MustGenerateKey(t)
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	tests := []struct {
		name, keys, active string
		want               string // substring of the error
	}{
		{"empty", "", "1", "key list is empty"},
		{"blank", "  ", "1", "key list is empty"},
		{"no colon", k, "1", "entry 1 is not in ID:BASE64 form"},
		{"empty entry", "1:" + k + ",", "1", "entry 2 is not in ID:BASE64 form"},
		{"id not number", "a:" + k, "1", `entry 1: key id "a" is not a positive integer`},
		{"id zero", "0:" + k, "0", `key id "0" is not a positive integer`},
		{"id negative", "-1:" + k, "1", `key id "-1" is not a positive integer`},
		{"id too big", "4294967296:" + k, "1", `key id "4294967296" is not a positive integer`},
		{"id empty", ":" + k, "1", "key id is empty"},
		{"bad base64", "1:!!!notbase64", "1", "key 1 is not valid standard base64"},
		{"url base64", "1:" + strings.NewReplacer("+", "-", "/", "_").Replace(k) + "-_", "1", "key 1 is not valid standard base64"},
		{"short key", "1:" + short, "1", "key 1 is 16 bytes after base64 decoding, want 32"},
		{"empty key", "1:", "1", "key 1 is 0 bytes after base64 decoding, want 32"},
		{"duplicate", "1:" + k + ",1:" + k, "1", "key id 1 appears more than once"},
		{"active empty", "1:" + k, "", "active encryption key: key id is empty"},
		{"active not number", "1:" + k, "one", `active encryption key: key id "one" is not a positive integer`},
		{"active missing", "1:" + k, "2", "active encryption key id 2 is not in the key list (ids [1])"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := secret.ParseKeyring(tt.keys, tt.active)
			if err == nil {
				t.Fatalf("got keyring %v, want error containing %q", kr, tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("got error %q, want it to contain %q", msg, tt.want)
			}
			if strings.Contains(msg, k) || strings.Contains(msg, short) || strings.Contains(msg, "\n") {
				t.Errorf("got error %q, want one line without key material", msg)
			}
		})
	}
}

func TestKeyring_String(t *testing.T) {
	k1, k2 := MustGenerateKey(t), MustGenerateKey(t)
	kr := MustKeyring(t, fmt.Sprintf("2:%s,1:%s", k2, k1), "2")
	want := "secret.Keyring{active: 2, ids: [2 1]}"
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		if got := fmt.Sprintf(verb, kr); got != want {
			t.Errorf("%s: got %q, want %q", verb, got, want)
		}
	}
}
