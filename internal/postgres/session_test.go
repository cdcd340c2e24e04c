package postgres_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

func TestConnectSessionService(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	svc := postgres.NewConnectSessionService(db)
	newSession := func(expires time.Duration) *linkhub.ConnectSession {
		return &linkhub.ConnectSession{OriginOwnerID: "o1", OriginOwnerName: "Owner", Metadata: map[string]any{"k": "v"},
			EmbedOrigin: "https://app.example.test", ExpiresAt: time.Now().Add(expires)}
	}

	t.Run("OK", func(t *testing.T) {
		cs := newSession(time.Hour)
		tok, err := svc.CreateConnectSession(ctx, linkhub.SystemActor, cs)
		if err != nil || len(tok) != 43 || cs.ID == "" {
			t.Fatalf("got %q, %v, want a 43-character token and an id", tok, err)
		}
		var hash []byte
		if err := db.Pool.QueryRow(ctx, `SELECT token_hash FROM connect_sessions WHERE id = $1`, cs.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if len(hash) != 32 || bytes.Contains(hash, []byte(tok)) {
			t.Errorf("got token_hash of %d bytes, want a 32-byte SHA-256, not the token", len(hash))
		}
		got, err := svc.FindConnectSessionByToken(ctx, tok)
		if err != nil || got.ID != cs.ID || got.Metadata["k"] != "v" || got.EmbedOrigin != cs.EmbedOrigin {
			t.Fatalf("find by token: got %+v, %v", got, err)
		}
		h1, _, err := svc.OpenHubSession(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		h2, _, _ := svc.OpenHubSession(ctx, tok)
		if h1 == h2 || h1 == tok {
			t.Error("want a fresh handle per open, different from the token")
		}
		if got, err := svc.FindHubSession(ctx, h1); err != nil || got.ID != cs.ID {
			t.Errorf("find hub session: got %v, %v", got, err)
		}
		var exp time.Time
		_ = db.Pool.QueryRow(ctx, `SELECT expires_at FROM hub_sessions LIMIT 1`).Scan(&exp)
		if !exp.Equal(got.ExpiresAt) {
			t.Errorf("hub session expires %v, want the connect session's %v", exp, got.ExpiresAt)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		tok, err := svc.CreateConnectSession(ctx, linkhub.SystemActor, newSession(-time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.FindConnectSessionByToken(ctx, tok); linkhub.ErrorCode(err) != linkhub.EEXPIRED {
			t.Errorf("got %v, want EEXPIRED", err)
		}
		if _, _, err := svc.OpenHubSession(ctx, tok); linkhub.ErrorCode(err) != linkhub.EEXPIRED {
			t.Errorf("open: got %v, want EEXPIRED", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, tok := range []string{"", "nope", string(make([]byte, 500))} {
			if _, err := svc.FindConnectSessionByToken(ctx, tok); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
				t.Errorf("%q: got %v, want ENOTFOUND", tok, err)
			}
			if _, err := svc.FindHubSession(ctx, tok); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
				t.Errorf("hub %q: got %v, want ENOTFOUND", tok, err)
			}
		}
	})
	t.Run("ErrAccountNotFound", func(t *testing.T) {
		cs := newSession(time.Hour)
		cs.AccountID = "8f9c1d1e-0000-4000-8000-000000000000"
		if _, err := svc.CreateConnectSession(ctx, linkhub.SystemActor, cs); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND", err)
		}
	})
}

// TestConnectSessionService_HubSessionEnds: a hub session ends with its
// connect session: once that has expired, its token and the hub sessions
// opened with it are EEXPIRED, and once it is spent too, ESPENT. (The
// service side of web's former TestHub_OpenToken/ErrExpired.)
func TestConnectSessionService_HubSessionEnds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	svc := postgres.NewConnectSessionService(db)
	cs := &linkhub.ConnectSession{OriginOwnerID: "o1", OriginOwnerName: "Owner", MaxLinks: 1, ExpiresAt: time.Now().Add(time.Hour)}
	tok, handles := mustHubSessions(t, svc, cs, 1)
	handle := handles[0]
	if _, err := db.Pool.Exec(ctx, `UPDATE connect_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, cs.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE hub_sessions SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.OpenHubSession(ctx, tok); linkhub.ErrorCode(err) != linkhub.EEXPIRED {
		t.Errorf("open: got %v, want %s", err, linkhub.EEXPIRED)
	}
	if _, err := svc.FindHubSession(ctx, handle); linkhub.ErrorCode(err) != linkhub.EEXPIRED {
		t.Errorf("hub session: got %v, want %s", err, linkhub.EEXPIRED)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE connect_sessions SET links = max_links WHERE id = $1`, cs.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.FindHubSession(ctx, handle); linkhub.ErrorCode(err) != linkhub.ESPENT {
		t.Errorf("hub session, spent and expired: got %v, want %s", err, linkhub.ESPENT)
	}
}

// TestConnectSessionService_SetHubLocale: the language a user picks in the
// hub is stored with that hub session only: the connect session's own
// locale stays, another hub session of the same link keeps no pick, and an
// unknown handle is ENOTFOUND.
func TestConnectSessionService_SetHubLocale(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := postgres.NewConnectSessionService(pgtest.DB(t))
	cs := &linkhub.ConnectSession{OriginOwnerID: "o1", OriginOwnerName: "Owner", Locale: "fr", ExpiresAt: time.Now().Add(time.Hour)}
	_, handles := mustHubSessions(t, svc, cs, 2)
	h1, h2 := handles[0], handles[1]
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

// mustHubSessions stores cs and opens n hub sessions with its token, as
// the hub's /connect does; it returns the token and the handles.
func mustHubSessions(t *testing.T, svc *postgres.ConnectSessionService, cs *linkhub.ConnectSession, n int) (string, []string) {
	t.Helper()
	ctx := context.Background()
	tok, err := svc.CreateConnectSession(ctx, linkhub.SystemActor, cs)
	if err != nil {
		t.Fatal(err)
	}
	var handles []string
	for range n {
		h, _, err := svc.OpenHubSession(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		handles = append(handles, h)
	}
	return tok, handles
}

func TestAttemptService_HoldAndTake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, _ := Services(t, db, kr)
	p := MustProfile(t, profiles, "p", nil)
	sessions := postgres.NewConnectSessionService(db)
	cs := &linkhub.ConnectSession{OriginOwnerID: "o", OriginOwnerName: "O", ExpiresAt: time.Now().Add(time.Hour)}
	if _, err := sessions.CreateConnectSession(ctx, linkhub.SystemActor, cs); err != nil {
		t.Fatal(err)
	}
	svc := postgres.NewAttemptService(db, kr)
	a := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: p.ID, IP: "203.0.113.1"}
	if err := svc.CreateAttempt(ctx, a); err != nil || a.ID == "" || a.Kind != linkhub.AttemptLink {
		t.Fatalf("create: %+v, %v", a, err)
	}
	h := &linkhub.HeldAttempt{Attempt: *a, Values: map[string]string{"client_id": "c"}, Metadata: map[string]string{"id_type": "partner"},
		Choices: []linkhub.Choice{{ID: "t1", Name: "Tenant", Metadata: map[string]string{"tenant_id": "t1"}}},
		Secrets: map[string]secret.Value{"client_secret": secret.New("s3cr3t-value")}}
	if err := svc.HoldAttempt(ctx, h); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TakeHeldAttempt(ctx, a.ID, "8f9c1d1e-0000-4000-8000-000000000000"); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("another session's take: got %v, want ENOTFOUND", err)
	}
	got, err := svc.TakeHeldAttempt(ctx, a.ID, cs.ID)
	if err != nil || got.Secrets["client_secret"].Reveal() != "s3cr3t-value" || got.Choices[0].Metadata["tenant_id"] != "t1" ||
		got.Values["client_id"] != "c" || got.Metadata["id_type"] != "partner" || got.Status != linkhub.AttemptSucceeded {
		t.Fatalf("take: got %+v, %v", got, err)
	}
	if _, err := svc.TakeHeldAttempt(ctx, a.ID, cs.ID); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("second take: got %v, want ENOTFOUND", err)
	}
	var n int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM secrets WHERE owner_kind = 'attempt'`).Scan(&n)
	if n != 0 {
		t.Errorf("got %d held secrets after the take, want 0", n)
	}
	list, err := svc.FindAttempts(ctx, cs.ID)
	if err != nil || len(list) != 1 || list[0].IP != "203.0.113.1" {
		t.Errorf("find attempts: got %v, %v", list, err)
	}
}

func TestAttemptService_OneRunningPerSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, _ := Services(t, db, kr)
	p := MustProfile(t, profiles, "p", nil)
	sessions := postgres.NewConnectSessionService(db)
	cs := &linkhub.ConnectSession{OriginOwnerID: "o", OriginOwnerName: "O", ExpiresAt: time.Now().Add(time.Hour)}
	if _, err := sessions.CreateConnectSession(ctx, linkhub.SystemActor, cs); err != nil {
		t.Fatal(err)
	}
	svc := postgres.NewAttemptService(db, kr)
	first := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: p.ID}
	if err := svc.CreateAttempt(ctx, first); err != nil {
		t.Fatal(err)
	}
	second := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: p.ID}
	if err := svc.CreateAttempt(ctx, second); linkhub.ErrorCode(err) != linkhub.ECONFLICT {
		t.Fatalf("second test while the first runs: got %v, want ECONFLICT", err)
	}
	// Once the first is finished, the next may run.
	if err := svc.FinishAttempt(ctx, first.ID, linkhub.AttemptFailed, "", linkhub.AttemptReport{}); err != nil {
		t.Fatal(err)
	}
	if err := svc.CreateAttempt(ctx, second); err != nil {
		t.Fatalf("after the first finished: %v", err)
	}
	// A test left pending by a dead process stops blocking after a while.
	if _, err := db.Pool.Exec(ctx, `UPDATE attempts SET created_at = now() - interval '10 minutes' WHERE id = $1`, second.ID); err != nil {
		t.Fatal(err)
	}
	third := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: p.ID}
	if err := svc.CreateAttempt(ctx, third); err != nil {
		t.Fatalf("after a stale pending test: %v", err)
	}
	var status string
	_ = db.Pool.QueryRow(ctx, `SELECT status FROM attempts WHERE id = $1`, second.ID).Scan(&status)
	if status != linkhub.AttemptExpired {
		t.Errorf("stale attempt: got status %q, want expired", status)
	}
}

func TestAttemptService_ExpireAttempts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, _ := Services(t, db, kr)
	p := MustProfile(t, profiles, "p", nil)
	sessions := postgres.NewConnectSessionService(db)
	svc := postgres.NewAttemptService(db, kr)
	held := func(expires time.Duration) string {
		cs := &linkhub.ConnectSession{OriginOwnerID: "o", OriginOwnerName: "O", ExpiresAt: time.Now().Add(expires)}
		tok, err := sessions.CreateConnectSession(ctx, linkhub.SystemActor, cs)
		if err != nil {
			t.Fatal(err)
		}
		if expires > 0 {
			if _, _, err := sessions.OpenHubSession(ctx, tok); err != nil {
				t.Fatal(err)
			}
		} else if _, err := db.Pool.Exec(ctx, `INSERT INTO hub_sessions (handle_hash, connect_session_id, expires_at) VALUES ('\x00', $1, $2)`, cs.ID, cs.ExpiresAt); err != nil {
			t.Fatal(err)
		}
		a := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: p.ID}
		if err := svc.CreateAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := svc.HoldAttempt(ctx, &linkhub.HeldAttempt{Attempt: *a, Secrets: map[string]secret.Value{"s": secret.New("v")}}); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	live, gone := held(time.Hour), held(-time.Minute)
	n, err := svc.ExpireAttempts(ctx)
	if err != nil || n != 1 {
		t.Fatalf("got %d, %v, want 1 expired", n, err)
	}
	var secrets, hubs int
	_ = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM secrets WHERE owner_kind = 'attempt' AND owner_id = $1),
		(SELECT count(*) FROM hub_sessions)`, gone).Scan(&secrets, &hubs)
	var status string
	_ = db.Pool.QueryRow(ctx, `SELECT status FROM attempts WHERE id = $1`, gone).Scan(&status)
	if secrets != 0 || hubs != 1 || status != "expired" {
		t.Errorf("got %d held secrets, %d hub sessions, status %s; want 0, 1 (the live one), expired", secrets, hubs, status)
	}
	if _, err := svc.TakeHeldAttempt(ctx, live, ""); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("got %v, want ENOTFOUND for a missing session id", err)
	}

	// A day after expiry the connect session goes; its attempt stays.
	if _, err := db.Pool.Exec(ctx, `UPDATE connect_sessions SET expires_at = now() - $1::interval - interval '1 second'
		WHERE id = (SELECT connect_session_id FROM attempts WHERE id = $2)`, postgres.KeepExpiredSessions, gone); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ExpireAttempts(ctx); err != nil {
		t.Fatal(err)
	}
	var sessionsLeft, attemptsLeft int
	_ = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM connect_sessions), (SELECT count(*) FROM attempts)`).Scan(&sessionsLeft, &attemptsLeft)
	if sessionsLeft != 1 || attemptsLeft != 2 {
		t.Errorf("got %d connect sessions and %d attempts, want 1 (the live one) and 2", sessionsLeft, attemptsLeft)
	}
}
