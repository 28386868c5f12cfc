package wizard

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sitecfg/internal/testkit"
)

// The model tests drive the wizard synchronously: Update with key
// messages, the commands it returns run (concurrently, like the real
// program) until nothing more arrives, and the screen read back as text.

// driver runs a model the way the program would, synchronously.
type driver struct {
	mu      sync.Mutex
	pending map[int]time.Time
	seq     int
	t       *testing.T
	m       *tuiModel
	msgs    chan tea.Msg
	fake    *fakeDeps
}

func newDriver(t *testing.T, o TUIOptions) *driver {
	t.Helper()
	f := &fakeDeps{}
	if o.ConfigPath == "" {
		o.ConfigPath = "site-config.yaml"
	}
	f.path, f.prev = o.ConfigPath, o.Prev
	o.Deps = f.deps()
	d := &driver{t: t, m: newTUIModel(context.Background(), o), msgs: make(chan tea.Msg, 256), fake: f, pending: map[int]time.Time{}}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.run(d.m.Init())
	return d
}

// send delivers messages one by one, running what each one starts. A key
// is followed until the screen changes (or a short while passes), so the
// next key goes where an operator's would.
func (d *driver) send(msgs ...tea.Msg) *driver {
	d.t.Helper()
	for _, msg := range msgs {
		before := d.screen()
		if k, ok := msg.(tea.KeyPressMsg); ok && d.moves(k) {
			// Wait for the focus to move on, or for the field to refuse
			// the answer, before the next key.
			pg, at := d.m.pg, d.focusIndex()
			_, cmd := d.m.Update(msg)
			d.start(cmd)
			d.poll(2*time.Second, func() bool {
				i := d.focusIndex()
				return d.m.scr != scrForm || d.m.pg != pg || i != at || i >= 0 && d.m.pg.binds[i].field.Error() != nil
			})
			d.run(nil)
			continue
		}
		_, cmd := d.m.Update(msg)
		d.start(cmd)
		if _, ok := msg.(tea.KeyPressMsg); ok {
			if !d.poll(300*time.Millisecond, func() bool { return d.screen() != before }) && os.Getenv("DEBUGKEYS") != "" {
				d.t.Logf("key %v changed nothing", msg)
			}
		}
		d.run(nil)
	}
	return d
}

// moves reports whether the key leaves the focused field.
func (d *driver) moves(k tea.KeyPressMsg) bool {
	i := d.focusIndex()
	switch k.String() {
	case "enter", "tab", "shift+tab":
		return i >= 0
	case "y", "n":
		return i >= 0 && d.m.pg.binds[i].q.Kind == KindConfirm
	}
	return false
}

// poll handles messages until cond holds or the time is up.
func (d *driver) poll(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		select {
		case msg := <-d.msgs:
			d.handle(msg)
		case <-time.After(2 * time.Millisecond):
		}
	}
	return true
}

// run executes cmd and feeds back every message until only slow commands
// (timers: the spinner, the cursor blink; a check waiting on a gate) are
// left. Timer messages are not replayed, so the screens are deterministic;
// a slow command's message is handled by a later run.
func (d *driver) run(cmd tea.Cmd) {
	d.start(cmd)
	for {
		select {
		case msg := <-d.msgs:
			d.handle(msg)
		case <-time.After(2 * time.Millisecond):
			if d.settled() {
				return
			}
		}
	}
}

func (d *driver) handle(msg tea.Msg) {
	if msg == nil || timerMsg(msg) {
		return
	}
	if isCmdList(msg) {
		for _, c := range reflect.ValueOf(msg).Convert(reflect.TypeFor[[]tea.Cmd]()).Interface().([]tea.Cmd) {
			d.start(c)
		}
		return
	}
	_, next := d.m.Update(msg)
	d.start(next)
}

// settled reports whether every command still running has run for long
// enough to be a timer or a wait.
func (d *driver) settled() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, at := range d.pending {
		if time.Since(at) < 25*time.Millisecond {
			return false
		}
	}
	return true
}

func (d *driver) start(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.mu.Lock()
	d.seq++
	id := d.seq
	d.pending[id] = time.Now()
	d.mu.Unlock()
	go func() {
		msg := cmd()
		d.mu.Lock()
		delete(d.pending, id)
		d.mu.Unlock()
		d.msgs <- msg
	}()
}

// waitFor runs commands until cond holds (for slow commands).
func (d *driver) waitFor(what string, cond func() bool) *driver {
	d.t.Helper()
	if !d.poll(5*time.Second, cond) {
		d.t.Fatalf("timed out waiting for %s:\n%s", what, d.screen())
	}
	d.run(nil)
	return d
}

// isCmdList spots tea.Batch and tea.Sequence messages (the latter's type
// is unexported).
func isCmdList(msg tea.Msg) bool {
	v := reflect.ValueOf(msg)
	return v.Kind() == reflect.Slice && v.Type().ConvertibleTo(reflect.TypeFor[[]tea.Cmd]())
}

func timerMsg(msg tea.Msg) bool {
	p := reflect.TypeOf(msg).PkgPath()
	return strings.HasSuffix(p, "/spinner") || strings.HasSuffix(p, "/cursor")
}

func key(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func (d *driver) keys(names ...string) *driver {
	d.t.Helper()
	for _, n := range names {
		d.send(key(n))
	}
	return d
}

// typeLine replaces the focused input's text and presses enter.
func (d *driver) typeLine(s string) *driver {
	d.t.Helper()
	if i := d.focusIndex(); i < 0 || d.m.pg.binds[i].text != "" {
		d.send(key("ctrl+u"))
	}
	if s != "" {
		r := []rune(s)
		d.send(tea.KeyPressMsg{Code: r[len(r)-1], Text: s})
	}
	return d.keys("enter")
}

func (d *driver) screen() string { return ansi.Strip(d.m.render()) }

// must waits (briefly) for the screen to show every one of subs.
func (d *driver) must(subs ...string) *driver {
	d.t.Helper()
	has := func() bool {
		s := d.screen()
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				return false
			}
		}
		return true
	}
	if !d.poll(3*time.Second, has) {
		s := d.screen()
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				d.t.Fatalf("screen lacks %q:\n%s", sub, s)
			}
		}
	}
	return d
}

func (d *driver) mustNot(subs ...string) *driver {
	d.t.Helper()
	s := d.screen()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			d.t.Fatalf("screen has %q:\n%s", sub, s)
		}
	}
	return d
}

// focus is the ID of the focused question on a form page.
func (d *driver) focus() string {
	if i := d.focusIndex(); i >= 0 {
		return d.m.pg.binds[i].q.ID
	}
	return ""
}

func (d *driver) focusIndex() int {
	if d.m.scr != scrForm {
		return -1
	}
	return d.m.pg.focused()
}

// mustFocus waits (briefly) for the focus to be on that page and field.
func (d *driver) mustFocus(page Page, id string) *driver {
	d.t.Helper()
	there := func() bool { return d.m.scr == scrForm && d.m.pg.page == page && d.focus() == id }
	if !d.poll(3*time.Second, there) {
		d.t.Fatalf("want focus on %s / %s, have screen %d focus %q:\n%s", page, id, d.m.scr, d.focus(), d.screen())
	}
	return d
}

// goldenScreen compares the screen with testdata/golden/tui/NAME.txt.
func (d *driver) goldenScreen(name string) *driver {
	d.t.Helper()
	testkit.Golden(d.t, filepath.Join("..", "testdata", "golden", "tui", name+".txt"), d.screen()+"\n")
	return d
}

// fits checks the screen against the terminal size.
func (d *driver) fits(w, h int) *driver {
	d.t.Helper()
	lines := strings.Split(d.screen(), "\n")
	if len(lines) > h {
		d.t.Errorf("screen has %d lines, more than %d:\n%s", len(lines), h, d.screen())
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			d.t.Errorf("line wider than %d: %q", w, l)
		}
	}
	return d
}
