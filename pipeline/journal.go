package pipeline

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"

	"go.yaml.in/yaml/v3"

	"sitecfg/config"
)

// Journal is told about every write of the config, while the config's
// lock is still held, so that what it records follows the writes in
// order (the audit log). before and after are the file's content before
// and after the write (nil when there was no file); fields are the field
// paths the write changed — added, changed or removed — never values.
type Journal interface {
	Wrote(before, after []byte, fields []string)
}

// Record tells j (nil: nobody) about a write of the config at path that
// the caller has just made and whose lock it still holds; before is the
// content the write replaced (nil when there was none). Every writer of
// the config calls it: Commit, Update, and any command that saves under
// config.Acquire itself.
func Record(j Journal, path string, before []byte) {
	if j == nil {
		return
	}
	after, _ := os.ReadFile(path)
	j.Wrote(before, after, ChangedFields(before, after))
}

// ChangedFields lists the field paths whose values differ between two
// contents of a site-config file, in the order of after then before (for
// removed fields). The write stamp is not a change. With no before (a
// first write), every field after holds is listed. Secrets are compared
// by digest and only their paths are returned.
func ChangedFields(before, after []byte) []string {
	b, a := flatOf(before), flatOf(after)
	var out []string
	for _, k := range a.keys {
		if a.vals[k] == "" {
			if _, had := b.vals[k]; !had || b.vals[k] == "" {
				continue
			}
		}
		if bc, had := b.cmp[k]; !had || bc != a.cmp[k] {
			out = append(out, k)
		}
	}
	for _, k := range b.keys {
		if _, has := a.vals[k]; !has && b.vals[k] != "" {
			out = append(out, k)
		}
	}
	return out
}

func flatOf(data []byte) *flat {
	f := newFlat()
	var doc yaml.Node
	if len(data) > 0 && yaml.Unmarshal(data, &doc) == nil && len(doc.Content) > 0 {
		f.walk("", doc.Content[0])
	}
	return f
}

// Update is config.UpdateContext for the commands that change a saved
// config in place (reset-password): under the config's lock (waiting up
// to wait, or until ctx is done), it loads the file, lets fn change it and
// saves it, then tells j (which may be nil) what changed, still under the
// lock. Nothing is written, and j is not told, when fn returns an error.
func Update(ctx context.Context, path string, wait time.Duration, j Journal, fn func(*config.Site) error) error {
	l, err := config.AcquireContext(ctx, path, wait)
	if err != nil {
		return err
	}
	defer l.Release()
	before, err := os.ReadFile(l.Path())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s, _, err := config.Load(l.Path())
	if err != nil {
		return err
	}
	if err := fn(s); err != nil {
		return err
	}
	if _, err := l.Save(s); err != nil {
		return err
	}
	Record(j, l.Path(), before)
	return nil
}
