package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestConnectSessionService_SetHubLocale: the language a user picks in the
// hub is stored with that hub session only: the connect session's own
// locale stays, another hub session of the same link keeps no pick, and an
// unknown handle is ENOTFOUND.
func TestConnectSessionService_SetHubLocale(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := postgres.NewConnectSessionService(pgtest.DB(t))
	cs := &linkhub.ConnectSession{OriginOwnerID: "o1", OriginOwnerName: "Owner", Locale: "fr", ExpiresAt: time.Now().Add(time.Hour)}
	tok, err := svc.CreateConnectSession(ctx, linkhub.SystemActor, cs)
	if err != nil {
		t.Fatal(err)
	}
	h1, _, err := svc.OpenHubSession(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	h2, _, err := svc.OpenHubSession(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetHubLocale(ctx, h1, "ja"); err != nil {
		t.Fatal(err)
	}
	if got, err := svc.FindHubSession(ctx, h1); err != nil || got.HubLocale != "ja" || got.Locale != "fr" {
		t.Fatalf("picked: got %+v, %v, want hub locale ja beside the session's fr", got, err)
	}
	if got, err := svc.FindHubSession(ctx, h2); err != nil || got.HubLocale != "" || got.Locale != "fr" {
		t.Errorf("another hub session of the link: got hub locale %q (%v), want none", got.HubLocale, err)
	}
	if err := svc.SetHubLocale(ctx, h1, "de"); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.FindHubSession(ctx, h1); got.HubLocale != "de" {
		t.Errorf("a second pick: got %q, want de", got.HubLocale)
	}
	if err := svc.SetHubLocale(ctx, "nope", "ja"); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("unknown handle: got %v, want ENOTFOUND", err)
	}
}
