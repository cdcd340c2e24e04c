package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// TestAdmin_FirstRunSetup: the setup page opens only for a token the
// service accepts (401 otherwise, 404 once setup is over); the form's own
// checks and the service's field errors are shown beside their inputs
// without creating anyone; a good form creates the first admin with what
// was typed, signs them in and welcomes them. The token's rules (expiry,
// one use, never again) are TestAdminService_SetupToken's. No database.
func TestAdmin_FirstRunSetup(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	const token, pw = "setup-token-1", "the first admin password"
	e.hidden = append(e.hidden, pw)
	root := &linkhub.Admin{ID: "00000000-0000-4000-8000-0000000000f1", Email: "root@example.com"}
	var mu sync.Mutex
	var done bool
	var checked []string
	e.admins.CheckSetupTokenFn = func(_ context.Context, got string) error {
		mu.Lock()
		defer mu.Unlock()
		checked = append(checked, got)
		switch {
		case done:
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is nothing at this address.")
		case got != token:
			return linkhub.Errorf(linkhub.EUNAUTHORIZED, "This setup link is invalid or has expired. Restart Linkhub to print a new one in its log.")
		}
		return nil
	}
	var created []string
	e.admins.CreateFirstAdminFn = func(_ context.Context, tok, email, password, ip string) (*linkhub.Admin, error) {
		mu.Lock()
		defer mu.Unlock()
		created = append(created, strings.Join([]string{tok, email, password, ip}, " "))
		if email == "taken@example.com" {
			return nil, &linkhub.Error{Code: linkhub.ECONFLICT, Field: "email", Message: "An admin with this email exists already."}
		}
		done = true
		return root, nil
	}
	e.admins.AuthenticateFn = func(_ context.Context, email, password, _ string) (*linkhub.Admin, string, error) {
		if email != "root@example.com" || password != pw {
			return nil, "", linkhub.Errorf(linkhub.EUNAUTHORIZED, admMsgBadLogin)
		}
		return root, "sess-root", nil
	}
	e.admins.FindAdminBySessionFn = func(_ context.Context, tok string) (*linkhub.Admin, error) {
		if tok != "sess-root" {
			return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Please sign in.")
		}
		return root, nil
	}
	admNoAPIKeys(e)

	t.Run("WrongToken", func(t *testing.T) {
		for _, q := range []string{"", "?token=nope", "?token=" + token + "x"} {
			if resp, _ := e.get("/admin/setup" + q); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("GET /admin/setup%s: got %d, want 401", q, resp.StatusCode)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if want := []string{"", "nope", token + "x"}; !slices.Equal(checked, want) {
			t.Errorf("tokens checked %q, want %q", checked, want)
		}
	})
	t.Run("FieldErrors", func(t *testing.T) {
		resp, doc := e.get("/admin/setup?token=" + token)
		if resp.StatusCode != 200 || doc.Find(`[data-testid="setup-form"]`).Length() != 1 {
			t.Fatalf("setup page: got %d", resp.StatusCode)
		}
		resp, doc = e.post("/admin/setup", url.Values{"token": {token}, "email": {"not-an-email"},
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
		_, doc = e.post("/admin/setup", url.Values{"token": {token}, "email": {"root@example.com"},
			"password": {"a long password 1"}, "confirm": {"a long password 2"}})
		if doc.Find(`[data-testid="confirm-error"]`).Text() == "" {
			t.Error("no error for a confirmation that differs")
		}
		resp, doc = e.post("/admin/setup", url.Values{"token": {token}, "email": {"taken@example.com"},
			"password": {"a long password 1"}, "confirm": {"a long password 1"}})
		if msg := doc.Find(`[data-testid="email-error"]`).Text(); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(msg, "exists already") {
			t.Errorf("service's field error: got %d %q, want 422 beside the email", resp.StatusCode, msg)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(created) != 1 {
			t.Errorf("CreateFirstAdmin got %q, want only the form that passed its checks", created)
		}
	})
	t.Run("OK", func(t *testing.T) {
		resp, _ := e.post("/admin/setup", url.Values{"token": {token}, "email": {"root@example.com"},
			"password": {pw}, "confirm": {pw}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/api-keys" {
			t.Fatalf("got %d to %q, want 303 to /admin/api-keys", resp.StatusCode, resp.Header.Get("Location"))
		}
		mu.Lock()
		if got, want := created[len(created)-1], token+" root@example.com "+pw+" 127.0.0.1"; got != want {
			t.Errorf("CreateFirstAdmin got %q, want %q", got, want)
		}
		mu.Unlock()
		_, doc := e.get("/admin/api-keys")
		if doc.Find(`[data-testid="admin-email"]`).Text() != "root@example.com" || doc.Find(`[data-testid="flash"]`).Text() == "" {
			t.Errorf("not signed in with a welcome after setup")
		}
	})
	t.Run("NeverAgain", func(t *testing.T) {
		if resp, _ := e.get("/admin/setup?token=" + token); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET after setup: got %d, want 404", resp.StatusCode)
		}
		resp := admPost(t, e, admBrowser(e, ""), "/admin/setup", url.Values{"token": {token}, "email": {"evil@example.com"},
			"password": {"another long password"}, "confirm": {"another long password"}})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST after setup: got %d, want 404", resp.StatusCode)
		}
	})
	if strings.Contains(e.logs.String(), token) {
		t.Error("the log shows the setup token")
	}
}

// TestAdmin_Login: the console needs a session; the sign-in page is never
// cached nor framed and labels its inputs; the form goes to the service as
// typed (with the client's address), a good answer opens the console, and
// the service's refusals are shown: 401 with its one message and the email
// kept, 429 with its lockout message. Which sign-ins the service refuses,
// and what it records, is TestAdminService_Authenticate's. No database.
func TestAdmin_Login(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	s := admWithSessions(e, admAda())
	admNoAPIKeys(e)

	t.Run("RequiresSession", func(t *testing.T) {
		resp := admPost(t, e, admBrowser(e, ""), "/admin/settings", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login" {
			t.Errorf("POST: got %d to %q, want 303 to /admin/login", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, err := admBrowser(e, "").Get(e.URL + "/admin/settings")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login" {
			t.Errorf("GET: got %d to %q, want 303 to /admin/login", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("Headers", func(t *testing.T) {
		resp, doc := e.get("/admin/login")
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
		c := admBrowser(e, "")
		admMustLogin(t, e, c, "ADA@example.com")
		if !admSignedInWith(t, e, c) {
			t.Fatal("not signed in")
		}
		s.mu.Lock()
		got := s.logins[len(s.logins)-1]
		s.mu.Unlock()
		if got != "ADA@example.com 127.0.0.1" {
			t.Errorf("Authenticate got %q, want the email as typed and the client's address", got)
		}
		// A signed-in browser opening the sign-in page goes to the console.
		resp, err := c.Get(e.URL + "/admin/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/api-keys" {
			t.Errorf("sign-in page when signed in: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		resp, doc := e.post("/admin/login", url.Values{"email": {"ada@example.com"}, "password": {"wrong horse battery"}})
		msg := doc.Find(`[data-testid="form-error"]`).Text()
		if resp.StatusCode != http.StatusUnauthorized || msg != admMsgBadLogin {
			t.Errorf("got %d %q, want 401 %q", resp.StatusCode, msg, admMsgBadLogin)
		}
		if v, _ := doc.Find("#email").Attr("value"); v != "ada@example.com" {
			t.Errorf("email not kept: %q", v)
		}
		if c := resp.Header.Get("Set-Cookie"); strings.Contains(c, "linkhub_admin") {
			t.Errorf("a refused sign-in set the admin cookie: %q", c)
		}
	})
	t.Run("Lockout", func(t *testing.T) {
		const locked = "Too many failed sign-ins for this email. Try again in 1 minute."
		e := newMockEnv(t, web.Config{})
		e.admins.AuthenticateFn = func(context.Context, string, string, string) (*linkhub.Admin, string, error) {
			return nil, "", linkhub.Errorf(linkhub.ERATELIMIT, locked)
		}
		resp, doc := e.post("/admin/login", url.Values{"email": {"ada@example.com"}, "password": {admPassword("ada@example.com")}})
		if msg := doc.Find(`[data-testid="form-error"]`).Text(); resp.StatusCode != http.StatusTooManyRequests || msg != locked {
			t.Errorf("locked out: got %d %q, want 429 %q", resp.StatusCode, msg, locked)
		}
	})
}

// TestAdmin_SessionFixation: every sign-in gets a new cookie holding the
// service's new session, and ends the one the browser held before (on the
// service), so neither a cookie from before the sign-in nor the previous
// session's works after it. No database.
func TestAdmin_SessionFixation(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	s := admWithSessions(e, admAda())
	admNoAPIKeys(e)
	b := admBrowser(e, "")
	admMustLogin(t, e, b, "ada@example.com")
	earlier := admCookie(e, b)
	admPost(t, e, b, "/admin/logout", nil)
	before := admCookie(e, b) // a cookie from before sign-in (it carries the sign-out flash)
	if before == "" {
		t.Fatal("no cookie before sign-in")
	}
	admMustLogin(t, e, b, "ada@example.com")
	after := admCookie(e, b)
	if after == before || after == earlier {
		t.Fatal("cookie not renewed on sign-in")
	}
	if admSignedInWith(t, e, admBrowser(e, before)) || admSignedInWith(t, e, admBrowser(e, earlier)) {
		t.Error("a cookie from before the sign-in works after it")
	}
	// Signing in again on a signed-in browser ends the previous session.
	admMustLogin(t, e, b, "ada@example.com")
	if got := s.deletedTokens(); !slices.Equal(got, []string{"sess-1", "sess-2"}) {
		t.Errorf("sessions ended %q, want sess-1 (sign-out) and sess-2 (signed in again)", got)
	}
	if admSignedInWith(t, e, admBrowser(e, after)) {
		t.Error("the previous session still works after a new sign-in")
	}
	if !admSignedInWith(t, e, b) {
		t.Error("the new cookie does not work")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.actors[1]; a.Kind != "admin" || a.ID != admAdaID || a.IP != "127.0.0.1" {
		t.Errorf("the replaced session was ended as %+v, want Ada from 127.0.0.1", a)
	}
}

// TestAdmin_SignInRateLimitPerIP: one address gets a burst of 20 sign-in
// attempts, then one every 3 s, whatever the emails; the attempt refused
// names the network and does not reach the service. No database.
func TestAdmin_SignInRateLimitPerIP(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	var mu sync.Mutex
	calls := 0
	e.admins.AuthenticateFn = func(context.Context, string, string, string) (*linkhub.Admin, string, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return nil, "", linkhub.Errorf(linkhub.EUNAUTHORIZED, admMsgBadLogin)
	}
	// However slow each attempt on a busy machine, no more get through than
	// the burst and what the elapsed time refilled.
	const burst, every = 20, 3 * time.Second
	start := time.Now()
	for i := 0; ; i++ { // different emails: only the per-IP limit applies
		resp, doc := e.post("/admin/login", url.Values{"email": {fmt.Sprintf("u%d@example.com", i)}, "password": {"wrong password!"}})
		msg := doc.Find(`[data-testid="form-error"]`).Text()
		if resp.StatusCode == http.StatusTooManyRequests {
			if !strings.Contains(msg, "Too many attempts from your network") {
				t.Errorf("attempt %d refused with %q, want it to name the network", i+1, msg)
			}
			mu.Lock()
			defer mu.Unlock()
			if calls != i {
				t.Errorf("the service got %d attempts, want the %d let through", calls, i)
			}
			return
		}
		if allowed := burst + 1 + int(time.Since(start)/every); i+1 > allowed {
			t.Fatalf("%d attempts from one IP in %v got through (last %d %q), want at most %d", i+1, time.Since(start), resp.StatusCode, msg, allowed)
		}
	}
}

// TestAdmin_NoSecretsInLogs: passwords (also one typed into the email
// field), a new admin's password and an API key, used right and wrong,
// never reach the server's log, which does record the requests. That the
// audit log holds none is TestAdminService_NoSecretsInAudit's. No database.
func TestAdmin_NoSecretsInLogs(t *testing.T) {
	t.Parallel()
	e, _ := admSignedIn(t)
	const wrong, newPW, key = "wrong horse battery", "new admins password", "lh_abcd1234_k3ysecretpart"
	e.admins.CreateAdminFn = func(_ context.Context, _ linkhub.Actor, email, _ string) (*linkhub.Admin, error) {
		return &linkhub.Admin{ID: "00000000-0000-4000-8000-0000000000e2", Email: email}, nil
	}
	e.apiKeys.CreateAPIKeyFn = func(_ context.Context, _ linkhub.Actor, name string) (*linkhub.APIKey, string, error) {
		return &linkhub.APIKey{ID: "key-1", Name: name, Prefix: "abcd1234"}, key, nil
	}
	e.apiKeys.AuthenticateAPIKeyFn = func(_ context.Context, got string) (*linkhub.APIKey, error) {
		if got != key {
			return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Unknown API key.")
		}
		return &linkhub.APIKey{ID: "key-1", Name: "logs"}, nil
	}
	e.apiKeys.RecordAPIKeyUseFn = func(string, time.Time) {}
	b := admBrowser(e, "")
	admPost(t, e, b, "/admin/login", url.Values{"email": {"ada@example.com"}, "password": {wrong}})
	admPost(t, e, b, "/admin/login", url.Values{"email": {wrong}, "password": {wrong}})
	e.hidden = append(e.hidden, newPW)
	if resp, _ := e.post("/admin/admins", url.Values{"email": {"new@example.com"}, "password": {newPW}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add admin: got %d", resp.StatusCode)
	}
	if _, doc := e.post("/admin/api-keys", url.Values{"name": {"logs"}}); doc.Find(`[data-testid="new-key"]`).AttrOr("value", "") != key {
		t.Fatal("the new key is not shown")
	}
	for _, auth := range []string{"Bearer " + key, "Bearer " + key + "tampered"} {
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/api/v1/ping", nil)
		req.Header.Set("Authorization", auth)
		e.send(req)
	}
	out := e.logs.String()
	if !strings.Contains(out, "/admin/login") || !strings.Contains(out, "/api/v1/ping") {
		t.Fatal("nothing logged: the check would prove nothing")
	}
	// The page that shows the key and the form that kept the password
	// typed as an email show them on purpose: only the log must not.
	for _, s := range []string{wrong, key} {
		if strings.Contains(out, s) {
			t.Errorf("the log shows %q", s)
		}
	}
}

// TestAdmin_Logout: signing out ends the session on the service, as the
// signed-in admin, says so on the sign-in page, and leaves a copy of the
// old cookie worthless. No database.
func TestAdmin_Logout(t *testing.T) {
	t.Parallel()
	e, s := admSignedIn(t)
	old := admCookie(e, e.client)
	resp, _ := e.post("/admin/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login" {
		t.Fatalf("logout: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, doc := e.get("/admin/login"); doc.Find(`[data-testid="flash"]`).Text() != "You have signed out." {
		t.Error("no sign-out message")
	}
	if admSignedInWith(t, e, admBrowser(e, old)) {
		t.Error("the old cookie still works after logout")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Equal(s.deleted, []string{"sess-1"}) || s.actors[0].ID != admAdaID || s.actors[0].Label != "ada@example.com" {
		t.Errorf("DeleteSession got %q as %+v, want sess-1 as Ada", s.deleted, s.actors)
	}
}

// TestAdmin_SessionEnded: a cookie whose session the service no longer
// knows (ended, expired, its admin disabled) goes to the sign-in page with
// a message, and its cookie is replaced. No database.
func TestAdmin_SessionEnded(t *testing.T) {
	t.Parallel()
	e, s := admSignedIn(t)
	s.end(admAdaID)
	resp, _ := e.get("/admin/settings")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login" {
		t.Fatalf("got %d to %q, want 303 to /admin/login", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, doc := e.get("/admin/login"); doc.Find(`[data-testid="flash"]`).Text() != "Your session has ended. Please sign in again." {
		t.Errorf("flash: got %q", doc.Find(`[data-testid="flash"]`).Text())
	}
}

// TestAdmin_DisableAdmin: the admins page lists what the service has;
// disabling and enabling go to the service as the signed-in admin and
// report its answer, and its refusal to disable yourself is shown; adding
// an admin shows the service's field error beside its input, or the new
// admin. The rules themselves (sessions ended, sign-in refused, audit) are
// TestAdminService_UpdateAdmin's and TestAdminService_CreateAdmin's. No
// database.
func TestAdmin_DisableAdmin(t *testing.T) {
	t.Parallel()
	e, _ := admSignedIn(t)
	bob := &linkhub.Admin{ID: admBobID, Email: "bob@example.com", CreatedAt: time.Now()}
	list := []*linkhub.Admin{admAda(), bob}
	var mu sync.Mutex
	var updates []string
	e.admins.FindAdminsFn = func(context.Context) ([]*linkhub.Admin, error) {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(list), nil
	}
	e.admins.UpdateAdminFn = func(_ context.Context, actor linkhub.Actor, id string, upd linkhub.AdminUpdate) (*linkhub.Admin, error) {
		mu.Lock()
		defer mu.Unlock()
		if upd.Disabled == nil || upd.Password != nil {
			t.Errorf("UpdateAdmin got %+v, want only Disabled", upd)
			return nil, linkhub.Errorf(linkhub.EINVALID, "Unexpected update.")
		}
		updates = append(updates, fmt.Sprintf("%s %s %v", actor.ID, id, *upd.Disabled))
		if *upd.Disabled && actor.ID == id {
			return nil, linkhub.Errorf(linkhub.EFORBIDDEN, "You cannot disable yourself; ask another admin.")
		}
		return &linkhub.Admin{ID: id, Email: "bob@example.com", Disabled: *upd.Disabled}, nil
	}
	flash := func(path string) string {
		t.Helper()
		resp, _ := e.post(path, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/admins" {
			t.Fatalf("POST %s: got %d to %q, want 303 to /admin/admins", path, resp.StatusCode, resp.Header.Get("Location"))
		}
		_, doc := e.get("/admin/admins")
		return doc.Find(`[data-testid="flash"]`).Text()
	}

	if msg := flash("/admin/admins/" + admAdaID + "/disable"); !strings.Contains(msg, "cannot disable yourself") {
		t.Errorf("disabling yourself: got %q, want the refusal", msg)
	}
	if msg := flash("/admin/admins/" + admBobID + "/disable"); msg != "Disabled bob@example.com; their sessions have ended." {
		t.Errorf("disable: got %q", msg)
	}
	if msg := flash("/admin/admins/" + admBobID + "/enable"); msg != "Enabled bob@example.com." {
		t.Errorf("enable: got %q", msg)
	}
	mu.Lock()
	if want := []string{admAdaID + " " + admAdaID + " true", admAdaID + " " + admBobID + " true", admAdaID + " " + admBobID + " false"}; !slices.Equal(updates, want) {
		t.Errorf("UpdateAdmin got %q, want %q", updates, want)
	}
	mu.Unlock()

	// Adding an admin: the service's field error, then success.
	const carolPW = "carols long password"
	e.hidden = append(e.hidden, carolPW, "short pw")
	var added []string
	e.admins.CreateAdminFn = func(_ context.Context, actor linkhub.Actor, email, pw string) (*linkhub.Admin, error) {
		mu.Lock()
		defer mu.Unlock()
		added = append(added, actor.ID+" "+email+" "+pw)
		if len(pw) < linkhub.MinPasswordLength {
			return nil, linkhub.FieldError("password", "Use at least 12 characters.")
		}
		a := &linkhub.Admin{ID: admCarolID, Email: email, CreatedAt: time.Now()}
		list = append(list, a)
		return a, nil
	}
	resp, doc := e.post("/admin/admins", url.Values{"email": {"carol@example.com"}, "password": {"short pw"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="password-error"]`).Text() != "Use at least 12 characters." {
		t.Errorf("short password: got %d %q", resp.StatusCode, doc.Find(`[data-testid="password-error"]`).Text())
	}
	if v := doc.Find("#email").AttrOr("value", ""); v != "carol@example.com" {
		t.Errorf("email not kept: %q", v)
	}
	if resp, _ := e.post("/admin/admins", url.Values{"email": {"carol@example.com"}, "password": {carolPW}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("add admin: got %d", resp.StatusCode)
	}
	_, doc = e.get("/admin/admins")
	if n := doc.Find(`[data-testid="admin-row"]`).Length(); n != 3 || !strings.Contains(doc.Find(`[data-testid="flash"]`).Text(), "Added carol@example.com") {
		t.Errorf("got %d admins listed and flash %q, want 3 and the new admin named", n, doc.Find(`[data-testid="flash"]`).Text())
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{admAdaID + " carol@example.com short pw", admAdaID + " carol@example.com " + carolPW}; !slices.Equal(added, want) {
		t.Errorf("CreateAdmin got %q, want %q", added, want)
	}
}
