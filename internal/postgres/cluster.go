package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrNoBinaries is returned when no PostgreSQL server binaries can be found.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries found (initdb, pg_ctl): " +
	"install PostgreSQL (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) " +
	"or set LINKHUB_DATABASE_URL to an existing database")

// Cluster is a private PostgreSQL cluster in a data folder, listening on a Unix
// socket only. It is what Linkhub runs on when no database URL is given.
type Cluster struct {
	Dir      string // data folder (PGDATA)
	binDir   string
	cred     *syscall.Credential // set when we run as root: the cluster runs unprivileged
	started  bool
	Database string
	// WasRunning is set by Start when the cluster was running already: a
	// killed Linkhub's, or a live `linkhub serve` that a short command
	// (migrate, admin) must leave running.
	WasRunning bool
}

// NewCluster finds the PostgreSQL binaries for a cluster in dir.
func NewCluster(dir string) (*Cluster, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("data folder %q: %w", dir, err)
	}
	c := &Cluster{Dir: abs, binDir: bin, Database: "linkhub"}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root, so hand the cluster to an
		// unprivileged account.
		if c.cred, err = unprivileged(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// findBinDir looks for initdb and pg_ctl on PATH, then under
// /usr/lib/postgresql/*/bin (newest version first).
func findBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil // #nosec G115 -- uid and gid come from the system's user database, within uint32
	}
	return nil, errors.New("running as root, but found no unprivileged user (postgres or nobody) to run the database as")
}

// SocketDir is the folder of the cluster's Unix socket: the data folder itself,
// so nothing else on the machine can reach it and no TCP port is opened.
func (c *Cluster) SocketDir() string { return c.Dir }

// URL is the connection string of the cluster's Linkhub database.
func (c *Cluster) URL() string {
	return fmt.Sprintf("host=%s user=linkhub dbname=%s sslmode=disable", c.SocketDir(), c.Database)
}

// Start creates the cluster on first use, then starts it unless it is already
// running (a previous Linkhub was killed), and creates the database.
func (c *Cluster) Start(ctx context.Context) error {
	if err := c.ensureDir(); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return err
		}
	}
	c.WasRunning = c.run(ctx, "pg_ctl", "status", "-D", c.Dir) == nil
	if !c.WasRunning {
		// Stale lock file of a killed server whose process is gone: pg_ctl
		// handles it, but a socket lock left behind would block the start.
		_ = os.Remove(filepath.Join(c.Dir, ".s.PGSQL.5432.lock"))
		opts := fmt.Sprintf("-c listen_addresses='' -k %s -c max_connections=200 -c fsync=on", c.SocketDir())
		if err := c.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-s", "-D", c.Dir,
			"-l", filepath.Join(c.Dir, "postgres.log"), "-o", opts); err != nil {
			return fmt.Errorf("start PostgreSQL in %s (see %s): %w", c.Dir, filepath.Join(c.Dir, "postgres.log"), err)
		}
	}
	c.started = true
	return c.createDatabase(ctx)
}

// Stop stops the cluster (fast shutdown: open sessions are ended).
func (c *Cluster) Stop() error {
	if !c.started {
		return nil
	}
	c.started = false
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.run(ctx, "pg_ctl", "stop", "-w", "-s", "-m", "fast", "-D", c.Dir); err != nil {
		return fmt.Errorf("stop PostgreSQL: %w", err)
	}
	return nil
}

func (c *Cluster) ensureDir() error {
	// Parents must stay traversable by the cluster's user when we run as root.
	if err := os.MkdirAll(filepath.Dir(c.Dir), 0o755); err != nil { // #nosec G301 -- the cluster's user must walk down to its 0700 data folder
		return fmt.Errorf("create data folder %s: %w", filepath.Dir(c.Dir), err)
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("create data folder %s: %w", c.Dir, err)
	}
	// Probe writability up front: a read-only or full disk otherwise shows up
	// as an obscure initdb or pg_ctl failure.
	probe := filepath.Join(c.Dir, ".linkhub-write-test")
	if err := os.WriteFile(probe, []byte("ok"), 0o600); err != nil {
		return fmt.Errorf("data folder %s is not writable: %w", c.Dir, err)
	}
	_ = os.Remove(probe)
	if c.cred != nil {
		if err := os.Chown(c.Dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return fmt.Errorf("hand data folder %s to the database user: %w", c.Dir, err)
		}
		if err := c.checkReachable(); err != nil {
			return err
		}
	}
	return os.Chmod(c.Dir, 0o700) // #nosec G302 -- a directory: 0700 is the tightest that works
}

// checkReachable makes sure the unprivileged cluster user can walk down to the
// data folder; otherwise initdb fails with a bare "permission denied".
func (c *Cluster) checkReachable() error {
	for dir := filepath.Dir(c.Dir); ; dir = filepath.Dir(dir) {
		st, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("data folder parent %s: %w", dir, err)
		}
		if st.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("the database runs as an unprivileged user, who cannot enter %s: "+
				"choose a data folder elsewhere (LINKHUB_DATA_DIR) or allow it with chmod o+x %s", dir, dir)
		}
		if dir == filepath.Dir(dir) {
			return nil
		}
	}
}

func (c *Cluster) initdb(ctx context.Context) error {
	// initdb wants an empty folder; a half-made cluster from an interrupted
	// first start is cleared here (it never held data: PG_VERSION is written last).
	entries, _ := os.ReadDir(c.Dir)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(c.Dir, e.Name()))
	}
	err := c.run(ctx, "initdb", "-D", c.Dir, "-U", "linkhub", "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-instructions", "--no-sync")
	if err != nil {
		return fmt.Errorf("create PostgreSQL cluster in %s: %w", c.Dir, err)
	}
	return nil
}

func (c *Cluster) createDatabase(ctx context.Context) error {
	if c.Database == "postgres" {
		return nil
	}
	q := fmt.Sprintf("SELECT 1 FROM pg_database WHERE datname = '%s'", c.Database)
	out, err := c.output(ctx, "psql", "-h", c.SocketDir(), "-U", "linkhub", "-d", "postgres", "-tAc", q)
	if err != nil {
		return fmt.Errorf("check database %s: %w", c.Database, err)
	}
	if strings.TrimSpace(out) == "1" {
		return nil
	}
	if _, err := c.output(ctx, "psql", "-h", c.SocketDir(), "-U", "linkhub", "-d", "postgres",
		"-c", fmt.Sprintf("CREATE DATABASE %q", c.Database)); err != nil {
		return fmt.Errorf("create database %s: %w", c.Database, err)
	}
	return nil
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	_, err := c.output(ctx, name, args...)
	return err
}

// output runs one PostgreSQL binary as the cluster's user. Its stderr becomes
// the error text: these tools say precisely what went wrong.
func (c *Cluster) output(ctx context.Context, name string, args ...string) (string, error) {
	bin := filepath.Join(c.binDir, name)
	if _, err := os.Stat(bin); err != nil && name == "psql" {
		bin = "psql" // Debian ships psql outside the server's bin folder too
	}
	cmd := exec.CommandContext(ctx, bin, args...) // #nosec G204 -- bin is a PostgreSQL tool found by findBinDir, args are built here
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "PGTZ=UTC")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	// Keep the server out of our process group so a Ctrl-C in the terminal
	// reaches only Linkhub, which then stops the server in order.
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = strings.TrimSpace(stdout.String())
		}
		if msg != "" {
			return "", fmt.Errorf("%s: %s", name, lastLines(msg, 3))
		}
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return stdout.String(), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}
