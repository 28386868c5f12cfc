package wizard

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// reviewMust checks the whole review, scrolled or not, for subs.
func (d *driver) reviewMust(subs ...string) *driver {
	d.t.Helper()
	if d.m.scr != scrReview {
		d.t.Fatalf("not on the review:\n%s", d.screen())
	}
	all := ansi.Strip(d.m.reviewContent())
	for _, sub := range subs {
		if !strings.Contains(all, sub) {
			d.t.Fatalf("the review lacks %q:\n%s", sub, all)
		}
	}
	return d
}
