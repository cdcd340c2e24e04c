package definition

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// LoadFS parses every *.yaml and *.yml file at the top of fsys, in name
// order. prefix is put before each file name in messages (the folder). The
// error lists every problem of every file, and a second definition with an
// id already used.
func LoadFS(fsys fs.FS, prefix string) ([]*Definition, error) {
	return loadFS(fsys, prefix, Parse)
}

// LoadBuiltinFS is LoadFS for Linkhub's own definitions, with ParseBuiltin.
func LoadBuiltinFS(fsys fs.FS, prefix string) ([]*Definition, error) {
	return loadFS(fsys, prefix, ParseBuiltin)
}

func loadFS(fsys fs.FS, prefix string, parse func(string, []byte) (*Definition, error)) ([]*Definition, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", prefix, err)
	}
	var defs []*Definition
	var problems Problems
	seen := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			continue
		}
		file := path.Join(prefix, name)
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		d, err := parse(file, data)
		var ps Problems
		if errors.As(err, &ps) {
			problems = append(problems, ps...)
			continue
		}
		if other, dup := seen[d.ID]; dup {
			problems = append(problems, Problem{File: file, Line: 1, Field: "id", Message: fmt.Sprintf("%s already defines a connector with the id %q", other, d.ID)})
			continue
		}
		seen[d.ID] = file
		defs = append(defs, d)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	slices.SortFunc(defs, func(a, b *Definition) int { return strings.Compare(a.Source, b.Source) })
	return defs, nil
}
