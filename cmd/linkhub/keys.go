package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// keyFileName is the key file the embedded database uses when no keys are
// configured, in the data folder.
const keyFileName = "keys.env"

// loadKeyring builds the keyring from LINKHUB_ENCRYPTION_KEYS. Without keys,
// the embedded database gets a key file in the data folder (created on first
// start, with a warning), and an external database is refused: a generated
// key there would be lost with the container. Errors never show key material.
func loadKeyring(cfg *Config, log *slog.Logger) (*secret.Keyring, error) {
	keys, active := cfg.EncryptionKeys, cfg.EncryptionActiveKey
	if keys == "" {
		if active != "" {
			return nil, configErrorf("LINKHUB_ENCRYPTION_ACTIVE_KEY is set but LINKHUB_ENCRYPTION_KEYS is empty")
		}
		if cfg.DatabaseURL != "" {
			return nil, configErrorf("LINKHUB_ENCRYPTION_KEYS is empty: with an external database (LINKHUB_DATABASE_URL) " +
				"set LINKHUB_ENCRYPTION_KEYS and LINKHUB_ENCRYPTION_ACTIVE_KEY; run linkhub keys generate to make a key")
		}
		// The folder must stay traversable for the embedded cluster's user
		// when we run as root; the key file itself is 0600.
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil { // #nosec G301 G703 -- the embedded cluster runs as another user, who must walk down; the key file is 0600
			return nil, fmt.Errorf("create data folder %s: %w", cfg.DataDir, err)
		}
		path := filepath.Join(cfg.DataDir, keyFileName)
		var created bool
		var err error
		keys, active, created, err = secret.LoadOrCreateKeyFile(path)
		if err != nil {
			return nil, configErrorf("%s", strings.TrimPrefix(err.Error(), "secret: "))
		}
		if created {
			log.Warn("generated an encryption key for local use only: back up "+path+" together with the data, "+ // #nosec G706 -- the path is the operator's own config, not request input
				"since without it the stored secrets cannot be decrypted; in production set LINKHUB_ENCRYPTION_KEYS",
				"key_file", path)
		}
	} else if active == "" {
		active = strconv.Itoa(highestID(keys))
	}
	kr, err := secret.ParseKeyring(keys, active)
	if err != nil {
		return nil, configErrorf("LINKHUB_ENCRYPTION_KEYS: %s", strings.TrimPrefix(err.Error(), "secret: "))
	}
	return kr, nil
}

// highestID returns the highest key id in an ID:BASE64 list, or 0 when none
// parses (ParseKeyring then names the problem).
func highestID(keys string) int {
	top := 0
	for _, entry := range strings.Split(keys, ",") {
		idStr, _, _ := strings.Cut(entry, ":")
		if id, err := strconv.Atoi(strings.TrimSpace(idStr)); err == nil && id > top {
			top = id
		}
	}
	return top
}

// checkKeyring refuses to go on when the database holds secrets the keyring
// cannot open; that is a configuration error (exit status 2).
func checkKeyring(ctx context.Context, db *postgres.DB, kr *secret.Keyring) error {
	err := db.CheckKeyring(ctx, kr)
	if ke, ok := errors.AsType[*postgres.KeyringError](err); ok {
		return configErrorf("%s", ke.Error())
	}
	return err
}

// runKeys handles "linkhub keys generate|rotate".
func runKeys(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		return configErrorf("linkhub keys needs a command: generate or rotate")
	}
	switch sub := args[0]; sub {
	case "generate":
		return runKeysGenerate(args[1:], stdout)
	case "rotate":
		return runKeysRotate(ctx, args[1:], getenv, stdout)
	default:
		return configErrorf("unknown keys command %q: use generate or rotate", sub)
	}
}

// runKeysGenerate prints a new key as environment lines to paste.
func runKeysGenerate(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keys generate", flag.ContinueOnError)
	fs.SetOutput(stdout)
	id := fs.Int("id", 1, "id of the new key (a positive integer not yet in LINKHUB_ENCRYPTION_KEYS)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return configErrorf("%v", err)
	}
	if *id < 1 {
		return configErrorf("--id: %d is not a positive integer", *id)
	}
	key, err := secret.GenerateKey()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, `# A new Linkhub encryption key, id %[1]d. Keep it secret and back it up:
# without it, the secrets Linkhub stores cannot be decrypted.
LINKHUB_ENCRYPTION_KEYS=%[1]d:%[2]s
LINKHUB_ENCRYPTION_ACTIVE_KEY=%[1]d
# To rotate, list it first and keep the old keys after it
# (LINKHUB_ENCRYPTION_KEYS=%[1]d:NEW,OLD_ID:OLD), restart Linkhub, then run
# linkhub keys rotate and remove the old keys it reports unused.
`, *id, key)
	return nil
}

// runKeysRotate re-wraps every stored secret under the active key.
func runKeysRotate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var batch *int
	cfg, err := parseConfig("keys rotate", args, getenv, stdout, func(fs *flag.FlagSet) {
		batch = fs.Int("batch", 500, "secrets re-wrapped per transaction (1-100000)")
	})
	if err != nil {
		return err
	}
	if *batch < 1 || *batch > 100000 {
		return configErrorf("--batch: %d is not a whole number from 1 to 100000", *batch)
	}
	log := newLogger(cfg, stdout)
	kr, err := loadKeyring(cfg, log)
	if err != nil {
		return err
	}
	db, closeDB, err := openDatabase(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	if err := checkKeyring(ctx, db, kr); err != nil {
		return err
	}
	bar := newProgress(stdout)
	res, err := db.RotateSecrets(ctx, kr, *batch, bar.update)
	bar.finish()
	if err != nil {
		return fmt.Errorf("rotation stopped after %d secret(s), run it again to resume: %w", res.Rewrapped, err)
	}
	active := kr.ActiveID()
	fmt.Fprintf(stdout, "re-wrapped %d secret(s) under key id %d in %s\n", res.Rewrapped, active, res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "%d secret(s) left under other keys\n", res.Left(active))
	var still []int
	for id, n := range res.After {
		if id != active && n > 0 {
			still = append(still, id)
		}
	}
	slices.Sort(still)
	for _, id := range still {
		fmt.Fprintf(stdout, "key id %d still wraps %d secret(s), written meanwhile under the old active key; run linkhub keys rotate again\n", id, res.After[id])
	}
	freed := res.Freed(active)
	slices.Sort(freed)
	for _, id := range freed {
		fmt.Fprintf(stdout, "key id %d is no longer referenced; you can remove it from LINKHUB_ENCRYPTION_KEYS\n", id)
	}
	return nil
}
