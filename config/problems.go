package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Severity says whether a problem blocks writing.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Problem is one rule an answer breaks (or a warning about it).
type Problem struct {
	Field    string   `json:"field"`
	Line     int      `json:"line,omitempty"`
	Column   int      `json:"column,omitempty"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
}

// String renders "line 5:9: smtp.port: must be between 1 and 65535".
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d:%d: ", p.Line, p.Column)
	}
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem found, errors and warnings together.
type Problems []Problem

// Errors returns only the blocking problems.
func (ps Problems) Errors() Problems { return ps.only(SeverityError) }

// Warnings returns only the warnings.
func (ps Problems) Warnings() Problems { return ps.only(SeverityWarning) }

// HasErrors reports whether any problem blocks writing.
func (ps Problems) HasErrors() bool { return len(ps.Errors()) > 0 }

// only returns the problems of one severity, each once: the rules and
// the expiry checks can report the same certificate problem.
func (ps Problems) only(s Severity) Problems {
	var out Problems
	for _, p := range ps.Unique() {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// Unique returns the problems with exact repeats removed, in order.
func (ps Problems) Unique() Problems {
	var out Problems
	seen := map[Problem]bool{}
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// For returns the problems about one field (and its children).
func (ps Problems) For(field string) Problems {
	var out Problems
	for _, p := range ps {
		if p.Field == field || strings.HasPrefix(p.Field, field+".") || strings.HasPrefix(p.Field, field+"[") {
			out = append(out, p)
		}
	}
	return out
}

// Error joins the errors, one per line, so Problems can be returned as an
// error.
func (ps Problems) Error() string {
	lines := make([]string, 0, len(ps))
	for _, p := range ps.Errors() {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

// sorted orders problems by position, then field, keeping errors first
// within one place.
func (ps Problems) sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Line != b.Line {
			if a.Line == 0 || b.Line == 0 {
				return b.Line == 0
			}
			return a.Line < b.Line
		}
		return a.Field < b.Field
	})
	return ps
}

// MaxProblems is how many problems are listed at most; beyond it one
// more says how many were left out (a hostile file can hold millions).
const MaxProblems = 100

// maxMessage bounds one problem's message: a value echoed in it can be
// any length.
const maxMessage = 2000

// problemSet collects problems and places them in the answers file.
type problemSet struct {
	pos     map[string]Pos
	list    Problems
	dropped int // problems beyond MaxProblems
}

// full reports whether no more problems will be listed.
func (s *problemSet) full() bool { return len(s.list) >= MaxProblems }

// done is the list, sorted, with a last line counting what was left out.
func (s *problemSet) done() Problems {
	ps := s.list.Unique().sorted()
	if s.dropped > 0 {
		ps = append(ps, Problem{Message: fmt.Sprintf("%d more problem(s) not listed: fix these first", s.dropped), Severity: SeverityError})
	}
	return ps
}

func (s *problemSet) add(sev Severity, field, format string, args ...any) {
	if s.full() {
		s.dropped++
		return
	}
	msg := fmt.Sprintf(format, args...)
	if len(msg) > maxMessage {
		msg = runeStart(msg, maxMessage) + fmt.Sprintf("… (%d bytes)", len(msg))
	}
	p := Problem{Field: field, Message: msg, Severity: sev}
	if pos, ok := s.lookup(field); ok {
		p.Line, p.Column = pos.Line, pos.Col
	}
	s.list = append(s.list, p)
}

func (s *problemSet) errorf(field, format string, args ...any) {
	s.add(SeverityError, field, format, args...)
}

func (s *problemSet) warnf(field, format string, args ...any) {
	s.add(SeverityWarning, field, format, args...)
}

// lookup finds the field's position, or its nearest parent's.
func (s *problemSet) lookup(field string) (Pos, bool) {
	for f := field; f != ""; {
		if p, ok := s.pos[f]; ok {
			return p, true
		}
		i := strings.LastIndexAny(f, ".[")
		if i < 0 {
			break
		}
		f = f[:i]
	}
	return Pos{}, false
}

// hidden maps values that must never appear in a message — secrets, and
// anything resolved from an ${ENV} or file: reference — to what is shown
// instead.
type hidden map[string]string

// hide records that v must be shown as instead.
func (h hidden) hide(v, instead string) {
	if v == "" {
		return
	}
	h[v] = instead
	h[strings.TrimSpace(v)] = instead
	h[strings.ToLower(strings.TrimSpace(v))] = instead
}

// scrub replaces every hidden value in the problems' messages. A short
// value is replaced only where it is quoted, so that "25" does not garble
// every number; a longer one wherever it occurs, quoted or not.
func (h hidden) scrub(ps Problems) Problems {
	if len(h) == 0 {
		return ps
	}
	for i := range ps {
		m := ps[i].Message
		for v, instead := range h {
			if v == "" {
				continue
			}
			m = strings.ReplaceAll(m, strconv.Quote(v), strconv.Quote(instead))
			if len(v) >= 4 {
				q := strconv.Quote(v)
				m = strings.ReplaceAll(m, q[1:len(q)-1], instead)
				m = strings.ReplaceAll(m, v, instead)
			}
		}
		ps[i].Message = m
	}
	return ps
}

// runeStart is the first n bytes of s, or fewer so as not to cut a
// character in two.
func runeStart(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
