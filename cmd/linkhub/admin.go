package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/password"
	"github.com/linkhub/linkhub/internal/postgres"
)

// runAdmin handles "linkhub admin create|reset-password --email X". The
// password is never a flag (it would show in ps and shell history): it is
// read from the terminal without echo, or from stdin's first line.
func runAdmin(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	sub := ""
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		sub, args = args[0], args[1:]
	}
	if sub != "create" && sub != "reset-password" {
		return configErrorf("unknown admin command %q: use create or reset-password", sub)
	}
	var email string
	cfg, err := parseConfig("admin "+sub, args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the admin's email address")
	})
	if err != nil {
		return err
	}
	email = linkhub.NormalizeEmail(email)
	if err := linkhub.ValidateEmail(email); err != nil {
		return configErrorf("--email: %s", linkhub.ErrorMessage(err))
	}
	pw, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	if err := linkhub.ValidatePassword(pw); err != nil {
		return configErrorf("password: %s", linkhub.ErrorMessage(err))
	}
	log := newLogger(cfg, io.Discard)
	db, closeDB, err := openDatabase(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	admins := postgres.NewAdminService(db, password.New(2))
	if sub == "create" {
		a, err := admins.CreateAdmin(ctx, linkhub.SystemActor, email, pw)
		if err != nil {
			return userError(err)
		}
		fmt.Fprintf(stdout, "created admin %s\n", a.Email)
		return nil
	}
	a, err := admins.FindAdminByEmail(ctx, email)
	if err != nil {
		return userError(err)
	}
	if _, err := admins.UpdateAdmin(ctx, linkhub.SystemActor, a.ID, linkhub.AdminUpdate{Password: &pw}); err != nil {
		return userError(err)
	}
	fmt.Fprintf(stdout, "new password set for %s; their sessions have ended\n", a.Email)
	return nil
}

// userError keeps a domain error's message (it is written for people) and
// wraps anything else.
func userError(err error) error {
	var e *linkhub.Error
	if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return err
}

// readPassword prompts twice without echo on a terminal, or reads the first
// line of stdin otherwise (for scripts: printf '%s\n' "$PW" | linkhub admin ...).
func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password (at least 12 characters): ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(stdout, "Repeat the password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", configErrorf("the two passwords differ")
		}
		return string(a), nil
	}
	if stdin == nil {
		return "", configErrorf("no password: type it at the prompt or pipe it on stdin")
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// resolveSessionKeys returns the admin cookie keys: LINKHUB_SESSION_KEYS, or
// with the embedded database a key kept in <data dir>/session.key (0600).
// With an external database every replica needs the same keys, so they must
// be configured.
func resolveSessionKeys(cfg *Config, log *slog.Logger) ([][]byte, error) {
	if len(cfg.SessionKeys) > 0 {
		return cfg.SessionKeys, nil
	}
	if cfg.DatabaseURL != "" {
		return nil, configErrorf("LINKHUB_SESSION_KEYS must be set when LINKHUB_DATABASE_URL is " +
			"(every replica needs the same keys); make one with: openssl rand -base64 64 | tr -d '\\n'")
	}
	path := filepath.Join(cfg.DataDir, "session.key")
	b, err := os.ReadFile(path) // #nosec G304 G703 -- the operator's own data folder from config
	if errors.Is(err, fs.ErrNotExist) {
		// 0755 like the cluster starter: the embedded cluster may run as another user.
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil { // #nosec G301 G703 -- the embedded cluster runs as another user, who must walk down; secrets inside are 0600
			return nil, fmt.Errorf("create data folder: %w", err)
		}
		key := make([]byte, 64)
		_, _ = rand.Read(key)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 G703 -- the operator's own data folder from config
		if err == nil {
			_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return nil, fmt.Errorf("write %s: %w", path, err)
			}
			log.Info("generated the admin session key", "file", path)
		} else if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		b, err = os.ReadFile(path) // #nosec G304 G703 -- the operator's own data folder from config
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 { // #nosec G703 -- the operator's own data folder from config
		return nil, configErrorf("%s is readable by others (mode %v); run: chmod 600 %s", path, st.Mode().Perm(), path)
	}
	keys, err := sessionKeys(strings.TrimSpace(string(b)))
	if err != nil || len(keys) == 0 {
		return nil, configErrorf("%s: not a valid session key; delete it to make a new one", path)
	}
	return keys, nil
}
