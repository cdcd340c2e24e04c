package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

const msgBadLogin = "Email or password is incorrect."

func TestAdmin_FirstRunSetup(t *testing.T) {
	env := newAdminEnv(t)
	ctx := context.Background()
	token, err := env.admins.IssueSetupToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env.secrets = append(env.secrets, token)
	b := env.browser()

	t.Run("WrongToken", func(t *testing.T) {
		for _, q := range []string{"", "?token=nope", "?token=" + token + "x"} {
			if resp, _ := b.get("/admin/setup" + q); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("GET /admin/setup%s: got %d, want 401", q, resp.StatusCode)
			}
		}
	})
	t.Run("ExpiredToken", func(t *testing.T) {
		old, _ := env.admins.IssueSetupToken(ctx)
		_, err := env.db.Pool.Exec(ctx, `UPDATE setup_tokens SET expires_at = now() - interval '1s'
			WHERE hash = sha256(convert_to($1, 'UTF8'))`, old)
		if err != nil {
			t.Fatal(err)
		}
		if resp, _ := b.get("/admin/setup?token=" + old); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("expired token: got %d, want 401", resp.StatusCode)
		}
	})
	t.Run("FieldErrors", func(t *testing.T) {
		resp, doc := b.get("/admin/setup?token=" + token)
		if resp.StatusCode != 200 || doc.Find(`[data-testid="setup-form"]`).Length() != 1 {
			t.Fatalf("setup page: got %d", resp.StatusCode)
		}
		resp, doc = b.post("/admin/setup", url.Values{"token": {token}, "email": {"not-an-email"},
			"password": {"short"}, "confirm": {"short"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("got %d, want 422", resp.StatusCode)
		}
		for _, id := range []string{"email", "password"} {
			if doc.Find(`[data-testid="`+id+`-error"]`).Text() == "" {
				t.Errorf("no %s error", id)
			}
			if d, _ := doc.Find("#" + id).Attr("aria-describedby"); !strings.Contains(d, id+"-error") {
				t.Errorf("#%s aria-describedby %q does not name its error", id, d)
			}
		}
		_, doc = b.post("/admin/setup", url.Values{"token": {token}, "email": {"root@example.com"},
			"password": {"a long password 1"}, "confirm": {"a long password 2"}})
		if doc.Find(`[data-testid="confirm-error"]`).Text() == "" {
			t.Error("no error for a confirmation that differs")
		}
	})
	t.Run("OK", func(t *testing.T) {
		pw := "the first admin password"
		env.secrets = append(env.secrets, pw)
		resp, _ := b.post("/admin/setup", url.Values{"token": {token}, "email": {"root@example.com"},
			"password": {pw}, "confirm": {pw}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/api-keys" {
			t.Fatalf("got %d to %q, want 303 to /admin/api-keys", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, doc := b.get("/admin/api-keys")
		if doc.Find(`[data-testid="admin-email"]`).Text() != "root@example.com" || doc.Find(`[data-testid="flash"]`).Text() == "" {
			t.Errorf("not signed in with a welcome after setup")
		}
	})
	t.Run("NeverAgain", func(t *testing.T) {
		if resp, _ := b.get("/admin/setup?token=" + token); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET after setup: got %d, want 404", resp.StatusCode)
		}
		resp, _ := env.browser().post("/admin/setup", url.Values{"token": {token}, "email": {"evil@example.com"},
			"password": {"another long password"}, "confirm": {"another long password"}})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST after setup: got %d, want 404", resp.StatusCode)
		}
		if _, err := env.admins.IssueSetupToken(ctx); err == nil {
			t.Error("IssueSetupToken with an admin: got nil, want conflict")
		}
	})
}

func TestAdmin_Login(t *testing.T) {
	env := newAdminEnv(t)
	env.mustAdmin("ada@example.com", "correct horse battery")

	t.Run("RequiresSession", func(t *testing.T) {
		resp, _ := env.browser().get("/admin/settings")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login" {
			t.Errorf("got %d to %q, want 303 to /admin/login", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("Headers", func(t *testing.T) {
		resp, doc := env.browser().get("/admin/login")
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control: got %q, want no-store", cc)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP: got %q", csp)
		}
		if doc.Find(`label[for="email"]`).Length() != 1 || doc.Find(`label[for="password"]`).Length() != 1 {
			t.Error("inputs without bound labels")
		}
	})
	t.Run("OK", func(t *testing.T) {
		b := env.browser()
		b.mustLogin("ADA@example.com", "correct horse battery")
		if !b.signedIn() {
			t.Fatal("not signed in")
		}
	})
	var wrong, unknown string
	t.Run("WrongPassword", func(t *testing.T) {
		resp, doc := env.browser().post("/admin/login", url.Values{"email": {"ada@example.com"}, "password": {"wrong horse battery"}})
		wrong = doc.Find(`[data-testid="form-error"]`).Text()
		if resp.StatusCode != http.StatusUnauthorized || wrong != msgBadLogin {
			t.Errorf("got %d %q, want 401 %q", resp.StatusCode, wrong, msgBadLogin)
		}
		if v, _ := doc.Find("#email").Attr("value"); v != "ada@example.com" {
			t.Errorf("email not kept: %q", v)
		}
	})
	t.Run("UnknownEmailSameMessage", func(t *testing.T) {
		_, doc := env.browser().post("/admin/login", url.Values{"email": {"bob@example.com"}, "password": {"correct horse battery"}})
		if unknown = doc.Find(`[data-testid="form-error"]`).Text(); unknown != wrong {
			t.Errorf("got %q, want the same message as a wrong password %q", unknown, wrong)
		}
	})
	t.Run("Lockout", func(t *testing.T) {
		b := env.browser()
		for range 4 { // one failure above already
			b.post("/admin/login", url.Values{"email": {"ada@example.com"}, "password": {"wrong horse battery"}})
		}
		resp, doc := b.post("/admin/login", url.Values{"email": {"ada@example.com"}, "password": {"correct horse battery"}})
		msg := doc.Find(`[data-testid="form-error"]`).Text()
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(msg, "Try again in 1 minute") {
			t.Errorf("after 5 failures: got %d %q, want 429 and a lockout message", resp.StatusCode, msg)
		}
	})
	actions := env.auditActions()
	if !slices.Contains(actions, "admin.login") || !slices.Contains(actions, "admin.login_failed") {
		t.Errorf("audit actions %v, want admin.login and admin.login_failed", actions)
	}
}

func TestAdmin_SessionFixation(t *testing.T) {
	env := newAdminEnv(t)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")
	earlier := b.cookie()
	b.post("/admin/logout", nil)
	before := b.cookie() // a cookie from before sign-in (it carries the sign-out flash)
	if before == "" {
		t.Fatal("no cookie before sign-in")
	}
	b.mustLogin("ada@example.com", "correct horse battery")
	after := b.cookie()
	if after == before || after == earlier {
		t.Fatal("cookie not renewed on sign-in")
	}
	if env.withCookie(before).signedIn() || env.withCookie(earlier).signedIn() {
		t.Error("a cookie from before the sign-in works after it")
	}
	// Signing in again on a signed-in browser ends the previous session.
	b.mustLogin("ada@example.com", "correct horse battery")
	if env.withCookie(after).signedIn() {
		t.Error("the previous session still works after a new sign-in")
	}
	if !b.signedIn() {
		t.Error("the new cookie does not work")
	}
}

func TestAdmin_SignInRateLimitPerIP(t *testing.T) {
	env := newAdminEnv(t)
	// The limit is a burst of 20, then one attempt every 3 s: however slow
	// each attempt (argon2id under -race on a busy machine), no more get
	// through than the burst and what the elapsed time refilled.
	const burst, every = 20, 3 * time.Second
	start := time.Now()
	for i := 0; ; i++ { // different emails: only the per-IP limit applies
		resp, doc := env.browser().post("/admin/login", url.Values{"email": {fmt.Sprintf("u%d@example.com", i)}, "password": {"wrong password!"}})
		msg := doc.Find(`[data-testid="form-error"]`).Text()
		if resp.StatusCode == http.StatusTooManyRequests {
			if !strings.Contains(msg, "Too many attempts from your network") {
				t.Errorf("attempt %d refused with %q, want it to name the network", i+1, msg)
			}
			return
		}
		if allowed := burst + 1 + int(time.Since(start)/every); i+1 > allowed {
			t.Fatalf("%d attempts from one IP in %v got through (last %d %q), want at most %d", i+1, time.Since(start), resp.StatusCode, msg, allowed)
		}
	}
}

func TestAdmin_NoSecretsInLogs(t *testing.T) {
	env := newAdminEnv(t)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	env.secrets = append(env.secrets, "wrong horse battery", "new admins password")
	b.post("/admin/login", url.Values{"email": {"ada@example.com"}, "password": {"wrong horse battery"}})
	b.post("/admin/login", url.Values{"email": {"wrong horse battery"}, "password": {"wrong horse battery"}})
	b.mustLogin("ada@example.com", "correct horse battery")
	b.post("/admin/admins", url.Values{"email": {"new@example.com"}, "password": {"new admins password"}})
	_, doc := b.post("/admin/api-keys", url.Values{"name": {"logs"}})
	key, _ := doc.Find(`[data-testid="new-key"]`).Attr("value")
	env.secrets = append(env.secrets, key)
	ping(t, env, "Bearer "+key)
	ping(t, env, "Bearer "+key+"tampered")
	if !strings.Contains(env.logs.String(), "/admin/login") {
		t.Fatal("nothing logged: the check would prove nothing")
	}
	// The check itself runs in newAdminEnv's cleanup, over every test's log;
	// the audit log must not hold them either.
	var details string
	_ = env.db.Pool.QueryRow(context.Background(), `SELECT string_agg(actor_label || details::text, ' ') FROM audit_log`).Scan(&details)
	for _, s := range env.secrets {
		if strings.Contains(details, s) {
			t.Errorf("the audit log holds the secret %q", s)
		}
	}
}

func TestAdmin_Logout(t *testing.T) {
	env := newAdminEnv(t)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")
	old := b.cookie()
	resp, _ := b.post("/admin/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login" {
		t.Fatalf("logout: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, doc := b.get("/admin/login"); doc.Find(`[data-testid="flash"]`).Text() != "You have signed out." {
		t.Error("no sign-out message")
	}
	if env.withCookie(old).signedIn() {
		t.Error("the old cookie still works after logout")
	}
	if !slices.Contains(env.auditActions(), "admin.logout") {
		t.Error("no admin.logout audit entry")
	}
}

func TestAdmin_DisableAdmin(t *testing.T) {
	env := newAdminEnv(t)
	ada := env.mustAdmin("ada@example.com", "correct horse battery")
	bob := env.mustAdmin("bob@example.com", "bobs long password")
	a, b := env.browser(), env.browser()
	a.mustLogin("ada@example.com", "correct horse battery")
	b.mustLogin("bob@example.com", "bobs long password")

	a.post("/admin/admins/"+ada.ID+"/disable", nil)
	if _, doc := a.get("/admin/admins"); !strings.Contains(doc.Find(`[data-testid="flash"]`).Text(), "cannot disable yourself") {
		t.Error("disabling yourself: no refusal")
	}
	resp, _ := a.post("/admin/admins/"+bob.ID+"/disable", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: got %d", resp.StatusCode)
	}
	if b.signedIn() {
		t.Error("a disabled admin's session still works")
	}
	if resp, doc := env.browser().post("/admin/login", url.Values{"email": {"bob@example.com"}, "password": {"bobs long password"}}); resp.StatusCode != http.StatusUnauthorized || doc.Find(`[data-testid="form-error"]`).Text() != msgBadLogin {
		t.Errorf("disabled admin sign-in: got %d", resp.StatusCode)
	}
	a.post("/admin/admins/"+bob.ID+"/enable", nil)
	b.mustLogin("bob@example.com", "bobs long password")

	// Adding an admin: field errors, then success.
	resp, doc := a.post("/admin/admins", url.Values{"email": {"bob@example.com"}, "password": {"x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="password-error"]`).Text() == "" {
		t.Errorf("short password: got %d", resp.StatusCode)
	}
	env.secrets = append(env.secrets, "carols long password")
	if resp, _ := a.post("/admin/admins", url.Values{"email": {"carol@example.com"}, "password": {"carols long password"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("add admin: got %d", resp.StatusCode)
	}
	if _, doc := a.get("/admin/admins"); doc.Find(`[data-testid="admin-row"]`).Length() != 3 {
		t.Errorf("got %d admins listed, want 3", doc.Find(`[data-testid="admin-row"]`).Length())
	}
	for _, want := range []string{"admin.disabled", "admin.enabled", "admin.created"} {
		if !slices.Contains(env.auditActions(), want) {
			t.Errorf("no %s audit entry", want)
		}
	}
}
