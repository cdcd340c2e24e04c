package linking_test

import (
	"context"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/mock"
)

// TestService_CreateSession_ReturnURL checks that return_url, which the
// success page links to, accepts only addresses on an allowed embed origin:
// each trick a browser would resolve elsewhere, or run as script, is refused
// naming the field, and nothing is stored (the store is a mock that fails
// the test if asked). No database.
func TestService_CreateSession_ReturnURL(t *testing.T) {
	t.Parallel()
	const origin = "https://app.example.test"
	host := strings.TrimPrefix(origin, "https://")
	stored := 0
	sessions := &mock.ConnectSessionService{CreateConnectSessionFn: func(context.Context, linkhub.Actor, *linkhub.ConnectSession) (string, error) {
		stored++
		return "tok", nil
	}}
	settings := &mock.SettingsService{FindSettingsFn: func(context.Context) (*linkhub.Settings, error) {
		s := linkhub.DefaultSettings()
		s.EmbedOrigins = []string{origin}
		return &s, nil
	}}
	svc := linking.New(linking.Services{ConnectSessions: sessions, Settings: settings, Connectors: connector.NewRegistry(connector.Config{})})
	for _, trick := range []string{
		"//evil.example/x", "///evil.example", "/\\evil.example", "\\\\evil.example", "/local/path",
		"https:evil.example", "https:/evil.example", "https:" + host,
		"javascript:alert(1)", "JavaScript:alert(document.domain)", "javascript://" + host + "/%0aalert(1)",
		"data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "http://" + host + "/downgrade",
		"https://" + host + "@evil.example/", "https://" + host + ":443@evil.example/", "https://" + host + "%40evil.example/",
		"https://" + host + ".evil.example/", "https://" + host + "\\@evil.example/", "https://" + host + "%2F@evil.example/",
		"https://evil.example/" + origin, "https://evil.example/?" + origin, "https://evil.example#" + origin,
		"https://" + host + ":8443/other-port", "https://" + host + "\t.evil.example/", "https://" + host + "\n.evil.example/",
		"%2F%2Fevil.example", "%2f%2fevil.example", "https://evil。example/", " https://evil.example", "\t//evil.example",
		"/\t/evil.example", "/\r\n/evil.example", "java\tscript:alert(1)", "JAVASCRIPT:alert(1)", "HTTPS://evil.example/",
		"HTTPS://" + host + ".evil.example/", "https:\\\\evil.example", "https:/\\evil.example", "\\/evil.example", "evil.example",
		"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "https://" + strings.ToUpper(host) + "@evil.example/",
	} {
		_, _, err := svc.CreateSession(context.Background(), linkhub.SystemActor,
			linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", ReturnURL: trick})
		if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != "return_url" {
			t.Errorf("return_url %q: got %v, want EINVALID naming return_url", trick, err)
		}
	}
	if stored != 0 {
		t.Fatalf("stored %d refused sessions", stored)
	}
	if _, _, err := svc.CreateSession(context.Background(), linkhub.SystemActor, linking.SessionRequest{OriginOwnerID: "o",
		OriginOwnerName: "O", ReturnURL: origin + "/integrations?done=1"}); err != nil || stored != 1 {
		t.Fatalf("control: got %v, stored %d, want one session", err, stored)
	}
}
