package e2e

import (
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// blackholePort is a port on 127.0.0.1 whose connection attempts hang,
// as behind a firewall that drops them: a listener with a backlog of
// none, its one slot taken, never accepts.
func blackholePort(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	port := sa.(*syscall.SockaddrInet4).Port
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if c2, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 300*time.Millisecond); err == nil {
		c2.Close()
		t.Skip("this kernel accepts past the backlog: no blackhole to test with")
	}
	return port
}

// Against a port whose packets are dropped, the running step shows the
// time so far and when it gives up; connect gives up after about 10 s
// with the firewall diagnosis, although the check's --timeout is 60 s.
func TestConsoleDroppedConnect(t *testing.T) {
	slow(t, "waits 10 s for a dropped connection, in tmux")
	t.Parallel()
	port := blackholePort(t)
	tm := termCase{w: 80, h: 24, env: []string{"TERM=linux", "NO_COLOR=1"}}
	dir := t.TempDir()
	s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"), "--timeout", "60s")
	fillSMTPOnUntilPassword(s, port, "")
	s.field("SMTP password", mailPass)
	fillSMTPOnAfterPassword(s)
	s.keys("Enter")
	start := time.Now()
	s.waitFor("gives up after 10 s")
	running := regexp.MustCompile(`Connect +[1-9]s  gives up after 10 s`)
	s.poll("the elapsed time on the connect row", func() bool { return running.MatchString(s.screen()) })
	s.waitFor("firewall")
	if took := time.Since(start); took > 13*time.Second {
		t.Errorf("connect gave up after %v, want about 10 s", took)
	}
	scr := s.screen()
	if !strings.Contains(scr, "no answer from 127.0.0.1:"+strconv.Itoa(port)+" after 10 s") || !strings.Contains(scr, "e edit smtp.server") {
		t.Errorf("the diagnosis:\n%s", scr)
	}
	tm.check(s)
	s.keys("q").mustExit(4)
}
