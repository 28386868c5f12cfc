package main

import (
	"fmt"
	"io"

	"sitecfg/pipeline"
)

// changeJSON is one change in apply's --json output: the site-config
// field path and its old and new values (secrets, hashes and codes
// masked; "" for a value that is not there).
type changeJSON struct {
	Field string `json:"field"`
	Kind  string `json:"kind"` // added, changed or removed
	Old   string `json:"old"`
	New   string `json:"new"`
}

func changesJSON(cs []pipeline.Change) []changeJSON {
	out := make([]changeJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, changeJSON{Field: c.Field, Kind: string(c.Kind), Old: c.Old, New: c.New})
	}
	return out
}

// printPlan is what `apply --dry-run` says it would do: one line per
// change, field path and old → new.
func printPlan(w io.Writer, path string, p pipeline.Plan) {
	switch {
	case !p.Changed:
		fmt.Fprintf(w, "Dry run: no changes: %s already holds these settings; nothing would be written.\n", path)
		return
	case p.FirstDeploy:
		fmt.Fprintf(w, "Dry run: %s does not exist yet; it would be written with:\n", path)
	case len(p.Changes) == 0:
		fmt.Fprintf(w, "Dry run: %s cannot be read; it would be replaced (kept as %s.bak).\n", path, path)
		return
	default:
		fmt.Fprintf(w, "Dry run: %d change(s) to %s would be written:\n", len(p.Changes), path)
	}
	for _, c := range p.Changes {
		fmt.Fprintf(w, "  %s: %s → %s\n", c.Field, orNone(c.Old), orNone(c.New))
	}
	fmt.Fprintf(w, "Nothing was written.\n")
}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}
