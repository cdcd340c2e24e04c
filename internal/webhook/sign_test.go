package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/webhook"
)

const testSecret = "whsec_test-secret-0123456789"

func TestSign_DocumentedAlgorithm(t *testing.T) {
	body := []byte(`{"id":"e1","type":"account.created"}`)
	ts := int64(1767225600)
	// docs/webhooks.md: hex HMAC-SHA256 keyed with the whole secret over
	// "<timestamp>.<body>", sent as v1=<hex>.
	m := hmac.New(sha256.New, []byte(testSecret))
	m.Write([]byte(strconv.FormatInt(ts, 10) + "." + string(body)))
	want := "v1=" + hex.EncodeToString(m.Sum(nil))
	if got := webhook.Sign(testSecret, ts, body); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"id":"e1","type":"account.created"}`)
	now := time.Unix(1767225600, 0)
	ts := strconv.FormatInt(now.Unix(), 10)
	sig := webhook.Sign(testSecret, now.Unix(), body)
	tests := []struct {
		name       string
		secret, ts string
		sig        string
		body       []byte
		now        time.Time
		want       error
	}{
		{"OK", testSecret, ts, sig, body, now, nil},
		{"OKAmongSeveral", testSecret, ts, "v1=00ff," + sig, body, now, nil},
		{"TamperedBody", testSecret, ts, sig, []byte(`{"id":"e1","type":"account.deleted"}`), now, webhook.ErrBadSig},
		{"WrongSecret", "whsec_other", ts, sig, body, now, webhook.ErrBadSig},
		{"OtherTimestamp", testSecret, strconv.FormatInt(now.Unix()+1, 10), sig, body, now, webhook.ErrBadSig},
		{"Replayed", testSecret, ts, sig, body, now.Add(6 * time.Minute), webhook.ErrStale},
		{"FromTheFuture", testSecret, ts, sig, body, now.Add(-6 * time.Minute), webhook.ErrStale},
		{"NoTimestamp", testSecret, "", sig, body, now, webhook.ErrStale},
		{"NoV1", testSecret, ts, "v0=abc", body, now, webhook.ErrNoSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(tt.secret, tt.ts, tt.sig, tt.body, 5*time.Minute, tt.now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestSign_OpenSSLSnippet runs the shell snippet of docs/webhooks.md.
func TestSign_OpenSSLSnippet(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	body := `{"id":"e1","type":"account.created"}`
	ts := int64(1767225600)
	cmd := exec.Command("sh", "-c", `printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.*= //'`)
	cmd.Env = []string{"TS=" + strconv.FormatInt(ts, 10), "BODY=" + body, "SECRET=" + testSecret, "PATH=/usr/bin:/bin"}
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := "v1="+strings.TrimSpace(string(out)), webhook.Sign(testSecret, ts, []byte(body)); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}
