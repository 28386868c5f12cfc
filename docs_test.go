package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// maxReadme is the README's budget in characters: what a newcomer needs
// first; the rest belongs in docs/.
const maxReadme = 12000

// markdownLink matches an inline link or image, [text](target), capturing
// the target up to a space (a title) or the closing parenthesis.
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)

// docFiles are the project's documents: the README, SECURITY.md and every
// page in docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no pages in docs/")
	}
	return append([]string{"README.md", "SECURITY.md"}, pages...)
}

// The docs stand alone: every relative link points to a file (and, with a
// #fragment, a heading) in the repository, and no page sends the reader
// to a file outside it.
func TestDocsLinksResolve(t *testing.T) {
	t.Parallel()
	for _, file := range docFiles(t) {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text := string(data)
			for _, outside := range []string{"../shared", "SPEC.md"} {
				if strings.Contains(text, outside) {
					t.Errorf("mentions %q, which readers of the repository never see", outside)
				}
			}
			prose := inlineCode.ReplaceAllString(withoutFences(text), "``")
			for _, m := range markdownLink.FindAllStringSubmatch(prose, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				path, fragment, _ := strings.Cut(target, "#")
				resolved := file
				if path != "" {
					resolved = filepath.Join(filepath.Dir(file), path)
				}
				if rel, err := filepath.Rel(".", resolved); err != nil || strings.HasPrefix(rel, "..") {
					t.Errorf("link %q leaves the repository", target)
					continue
				}
				fi, err := os.Stat(resolved)
				if err != nil {
					t.Errorf("link %q: %v", target, err)
					continue
				}
				if fragment == "" || fi.IsDir() || !strings.HasSuffix(resolved, ".md") {
					continue
				}
				if !hasAnchor(t, resolved, fragment) {
					t.Errorf("link %q: no heading with anchor #%s in %s", target, fragment, resolved)
				}
			}
		})
	}
}

// The README stays a front page.
func TestReadmeIsShort(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(string(data))); n > maxReadme {
		t.Errorf("README.md has %d characters, more than %d: move detail to docs/", n, maxReadme)
	}
}

// withoutFences blanks fenced code blocks, where brackets and parentheses
// are not links and # does not start a heading.
func withoutFences(text string) string {
	var b strings.Builder
	fenced := false
	for _, line := range strings.SplitAfter(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			b.WriteString("\n")
			continue
		}
		if fenced {
			b.WriteString("\n")
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// inlineCode matches a code span, which holds no link.
var inlineCode = regexp.MustCompile("`[^`]*`")

// hasAnchor reports whether a Markdown file has a heading whose
// GitHub-style anchor is fragment.
func hasAnchor(t *testing.T, file, fragment string) bool {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(withoutFences(string(data)), "\n") {
		if title, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "#") {
			if anchor(title) == fragment {
				return true
			}
		}
	}
	return false
}

// anchor is the anchor GitHub gives a heading: lower case, punctuation
// (backticks included) dropped, spaces as hyphens.
func anchor(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(title)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}
