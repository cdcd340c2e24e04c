package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/linkhub/linkhub/examples/host"
)

// runDemo handles "linkhub demo": the example host product on its own port
// (so a different origin), embedding the hub of a running Linkhub. The API
// key comes from LINKHUB_API_KEY, never a flag, so it stays out of `ps`.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stdout)
	linkhubURL := fs.String("linkhub-url", "http://localhost:8080", "base URL of the running Linkhub")
	port := fs.Int("port", 8081, "port of the example host page (0: any free port, printed at start)")
	owner := fs.String("owner-id", "demo-customer-1", "origin_owner_id of the demo user")
	ownerName := fs.String("owner-name", "Demo Customer", "origin_owner_name of the demo user")
	profiles := fs.String("profiles", "", "comma-separated profile ids to offer (default: all enabled)")
	fs.Usage = func() {
		fmt.Fprintln(stdout, "Usage: LINKHUB_API_KEY=lh_... linkhub demo [flags]\n\n"+
			"Serves an example host product on http://localhost:PORT that creates connect sessions with the\n"+
			"API key and embeds the hub. Add http://localhost:PORT to the allowed embed origins first.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return configErrorf("%v", err)
	}
	key := getenv("LINKHUB_API_KEY")
	if key == "" {
		return configErrorf("LINKHUB_API_KEY: set it to an API key created in the admin console (API keys)")
	}
	if *port < 0 || *port > 65535 {
		return configErrorf("--port: %d is not from 0 to 65535", *port)
	}
	if err := checkBaseURL(*linkhubURL); err != nil || *linkhubURL == "" {
		return configErrorf("--linkhub-url: %q is not an http(s) URL", *linkhubURL)
	}
	var ids []string
	for _, id := range strings.Split(*profiles, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("localhost", strconv.Itoa(*port)))
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", *port, err)
	}
	origin := "http://localhost:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) // port 0 took a free one
	srv := &http.Server{
		Handler: host.Handler(host.Config{LinkhubURL: strings.TrimRight(*linkhubURL, "/"), APIKey: key,
			Origin: origin, OwnerID: *owner, OwnerName: *ownerName, ProfileIDs: ids, SessionTTL: 30 * time.Minute}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go func() { <-ctx.Done(); _ = srv.Close() }()
	fmt.Fprintf(stdout, "Example host product on %s (embedding %s). Ctrl-C to stop.\n", origin, *linkhubURL)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
