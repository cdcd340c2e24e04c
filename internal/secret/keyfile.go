package secret

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// The variable names a key file holds, the same as the environment's.
const (
	keysVar   = "LINKHUB_ENCRYPTION_KEYS"
	activeVar = "LINKHUB_ENCRYPTION_ACTIVE_KEY"
)

// LoadOrCreateKeyFile returns the LINKHUB_ENCRYPTION_KEYS and
// LINKHUB_ENCRYPTION_ACTIVE_KEY values held in the key file at path, for
// ParseKeyring. When the file is missing it creates one (mode 0600, its
// directory 0700 if needed) with a new key under id 1 and reports created.
// It refuses a key file that group or others can access.
//
// The file holds KEY=VALUE lines; blank lines, # comments, an "export "
// prefix and quoted values are accepted, other variables are ignored.
func LoadOrCreateKeyFile(path string) (keys, active string, created bool, err error) {
	keys, active, err = readKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return keys, active, false, err
	}
	created, err = createKeyFile(path)
	if err != nil {
		return "", "", false, err
	}
	// Read back what is on disk: if another process created the file first,
	// its key is the one in use.
	keys, active, err = readKeyFile(path)
	if err != nil {
		return "", "", false, err
	}
	return keys, active, created, nil
}

// createKeyFile writes a new key file at path atomically. It returns false,
// nil when a file appeared at path meanwhile.
func createKeyFile(path string) (bool, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, fmt.Errorf("secret: create key directory: %w", err)
	}
	key, err := GenerateKey()
	if err != nil {
		return false, err
	}
	content := "# Linkhub encryption keys. Back this file up: without it, stored secrets cannot be decrypted.\n" +
		keysVar + "=1:" + key + "\n" +
		activeVar + "=1\n"

	tmp, err := os.CreateTemp(dir, ".linkhub-keys-*.tmp") // created 0600
	if err != nil {
		return false, fmt.Errorf("secret: create key file: %w", err)
	}
	// After Link the temp name is a second name for the file, and after
	// Rename it is gone; either way removing it is right.
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		_ = tmp.Close()
		return false, fmt.Errorf("secret: create key file: %w", err)
	}
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return false, fmt.Errorf("secret: write key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return false, fmt.Errorf("secret: write key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("secret: write key file: %w", err)
	}

	// Link, unlike Rename, fails when path exists: if two processes start at
	// once, the second must not replace the key the first may already use.
	err = os.Link(tmp.Name(), path)
	switch {
	case errors.Is(err, fs.ErrExist):
		return false, nil
	case err != nil:
		// Some filesystems have no hard links; fall back to rename.
		if err := os.Rename(tmp.Name(), path); err != nil {
			return false, fmt.Errorf("secret: install key file: %w", err)
		}
	}
	// Make the new directory entry durable; not all systems can sync a
	// directory, and the file itself is already synced.
	if d, err := os.Open(dir); err == nil { // #nosec G304 -- the key file's folder, from the operator's config
		_ = d.Sync()
		_ = d.Close()
	}
	return true, nil
}

// readKeyFile reads and checks the key file at path. A missing file yields an
// error matching fs.ErrNotExist.
func readKeyFile(path string) (keys, active string, err error) {
	f, err := os.Open(path) // #nosec G304 -- the key file named by the operator's config
	if err != nil {
		return "", "", fmt.Errorf("secret: open key file: %w", err)
	}
	defer f.Close()
	// Stat the open file, not the path, so the check applies to what is read.
	fi, err := f.Stat()
	if err != nil {
		return "", "", fmt.Errorf("secret: stat key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", "", fmt.Errorf("secret: key file %s is not a regular file", path)
	}
	// Windows has no Unix permission bits to check.
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return "", "", fmt.Errorf("secret: key file %s has mode %04o, open to group or others; run chmod 600 %s", path, perm, path)
	}

	var haveKeys, haveActive bool
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		name = strings.TrimSpace(name)
		if !ok || !isVarName(name) {
			// The line may hold key material: give its number, not its text.
			return "", "", fmt.Errorf("secret: key file %s: line %d is not NAME=VALUE", path, n)
		}
		value = unquote(strings.TrimSpace(value))
		switch name {
		case keysVar:
			keys, haveKeys = value, true
		case activeVar:
			active, haveActive = value, true
		}
	}
	if err := sc.Err(); err != nil {
		return "", "", fmt.Errorf("secret: read key file %s: %w", path, err)
	}
	if !haveKeys {
		return "", "", fmt.Errorf("secret: key file %s has no %s line", path, keysVar)
	}
	if !haveActive {
		return "", "", fmt.Errorf("secret: key file %s has no %s line", path, activeVar)
	}
	return keys, active, nil
}

// isVarName reports whether s is a shell variable name. Base64 holds '=', so
// a stray key line splits at it into a name that this rejects.
func isVarName(s string) bool {
	for i, c := range s {
		if c != '_' && !('A' <= c && c <= 'Z') && !('a' <= c && c <= 'z') && (i == 0 || !('0' <= c && c <= '9')) {
			return false
		}
	}
	return s != ""
}

// unquote strips one pair of matching quotes, as shells and .env loaders do.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		if s[0] == '"' {
			if u, err := strconv.Unquote(s); err == nil {
				return u
			}
		}
		return s[1 : len(s)-1]
	}
	return s
}
