// Command linkhub runs Linkhub, the self-hosted account-linking hub.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "linkhub:", err)
		var ce *configError
		if errors.As(err, &ce) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

const usage = `Linkhub: the self-hosted account-linking hub.

Usage: linkhub <command> [flags]

Commands:
  serve            run the web server (the default)
  migrate [up]     apply pending database migrations
  migrate status   list the migrations and whether each is applied
  keys generate    print a new encryption key for LINKHUB_ENCRYPTION_KEYS
  keys rotate      re-wrap every stored secret under the active key (online)
  demo             serve the example host product that embeds the hub
  admin create --email ADDRESS
                   add an admin; the password is read from the terminal
                   (without echo) or, when stdin is not a terminal, its first line
  admin reset-password --email ADDRESS
                   set a new password and end the admin's sessions
  healthcheck      exit 0 when the local server answers /readyz (for containers)
  version          print the version

Run "linkhub <command> --help" for a command's flags.
`

// run is the whole program, with the OS passed in so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = runServe(ctx, args, getenv, stdout)
	case "migrate":
		err = runMigrate(ctx, args, getenv, stdout)
	case "keys":
		err = runKeys(ctx, args, getenv, stdout)
	case "demo":
		err = runDemo(ctx, args, getenv, stdout)
	case "admin":
		err = runAdmin(ctx, args, getenv, stdin, stdout)
	case "healthcheck":
		err = runHealthcheck(ctx, args, getenv, stdout)
	case "version":
		fmt.Fprintln(stdout, "linkhub", buildVersion())
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		return configErrorf("unknown command %q (see linkhub help)", cmd)
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// newLogger logs text on a terminal and JSON otherwise.
func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
