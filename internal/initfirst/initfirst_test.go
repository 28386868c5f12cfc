package initfirst

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// child is what the test binary does when run by TestSignals.
func init() {
	switch os.Getenv("INITFIRST_CHILD") {
	case "claimed":
		installed, interrupted := Claim()
		<-installed
		os.Stdout.WriteString("ready\n")
		select {
		case <-interrupted:
			os.Stdout.WriteString("interrupted\n")
			os.Exit(0)
		case <-time.After(10 * time.Second):
			os.Exit(3)
		}
	case "unclaimed":
		<-installed
		os.Stdout.WriteString("ready\n")
		time.Sleep(10 * time.Second)
		os.Exit(3)
	}
}

// A program that claims the handler learns of SIGINT, SIGTERM and SIGHUP
// and goes on; one that does not (a test binary) is ended by them as if no
// handler had been installed.
func TestSignals(t *testing.T) {
	for _, tt := range []struct {
		child string
		sig   syscall.Signal
	}{
		{"claimed", syscall.SIGINT}, {"claimed", syscall.SIGTERM}, {"claimed", syscall.SIGHUP},
		{"unclaimed", syscall.SIGINT}, {"unclaimed", syscall.SIGTERM}, {"unclaimed", syscall.SIGHUP},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "INITFIRST_CHILD="+tt.child)
		var out strings.Builder
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 6)
		if _, err := stdout.Read(buf); err != nil || string(buf) != "ready\n" {
			t.Fatalf("%s: child said %q, %v", tt.child, buf, err)
		}
		_ = cmd.Process.Signal(tt.sig)
		rest := make([]byte, 64)
		n, _ := stdout.Read(rest)
		out.Write(rest[:n])
		err = cmd.Wait()
		var ee *exec.ExitError
		switch tt.child {
		case "claimed":
			if err != nil || out.String() != "interrupted\n" {
				t.Errorf("claimed, %v: %v, said %q", tt.sig, err, out.String())
			}
		case "unclaimed":
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != tt.sig {
				t.Errorf("unclaimed, %v: %v, want death by the signal", tt.sig, err)
			}
		}
	}
}

// Started with SIGHUP ignored (nohup, a daemon), a program that claims the
// handler keeps ignoring it: a hang-up does not end `nohup sitecfg apply`.
func TestHangupStaysIgnoredUnderNohup(t *testing.T) {
	cmd := exec.Command("sh", "-c", `trap "" HUP; exec "$0" -test.run='^$'`, os.Args[0])
	cmd.Env = append(os.Environ(), "INITFIRST_CHILD=claimed")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	buf := make([]byte, 6)
	if _, err := stdout.Read(buf); err != nil || string(buf) != "ready\n" {
		t.Fatalf("child said %q, %v", buf, err)
	}
	_ = cmd.Process.Signal(syscall.SIGHUP)
	said := make(chan []byte, 1)
	go func() {
		b := make([]byte, 64)
		n, _ := stdout.Read(b)
		said <- b[:n]
	}()
	select {
	case b := <-said:
		t.Fatalf("an ignored SIGHUP ended or interrupted the program (it said %q)", b)
	case <-time.After(500 * time.Millisecond): // a handled one answers at once
	}
}
