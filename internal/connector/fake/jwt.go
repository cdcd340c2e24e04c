package fake

import (
	"encoding/base64"
	"encoding/json"
	"time"
)

// newJWT returns an unsigned-looking JWT like the ones Sophos and Jamf issue,
// so tests see that snippets never show one.
func newJWT(sub string) string {
	enc := base64.RawURLEncoding
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	body, _ := json.Marshal(map[string]any{"sub": sub, "iat": time.Now().Unix(), "jti": randomString(16)})
	return enc.EncodeToString(head) + "." + enc.EncodeToString(body) + "." + randomString(43)
}
