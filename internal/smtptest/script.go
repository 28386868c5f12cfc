package smtptest

import (
	"net"
	"sync"
)

// ScriptServer runs a handler on every connection: a server that says
// exactly what a test scripts, down to the byte, hostile or broken ones
// included.
type ScriptServer struct {
	// Addr is "127.0.0.1:PORT"; Host and Port are its parts.
	Addr string
	Host string
	Port int
	// Wire is everything clients sent.
	Wire *Wire

	ln    net.Listener
	wg    sync.WaitGroup
	done  chan struct{}
	close sync.Once
}

// NewScriptServer starts a ScriptServer that runs handle on each
// connection, then closes it.
func NewScriptServer(handle func(c net.Conn)) (*ScriptServer, error) {
	ln, addr, err := listen()
	if err != nil {
		return nil, err
	}
	s := &ScriptServer{Addr: addr.String(), Host: "127.0.0.1", Port: addr.Port, Wire: ln.w, ln: ln, done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				// Close unblocks a handler stuck reading or writing.
				stop := make(chan struct{})
				defer close(stop)
				go func() {
					select {
					case <-s.done:
						c.Close()
					case <-stop:
					}
				}()
				handle(c)
			}()
		}
	}()
	return s, nil
}

// StartScript is NewScriptServer for a test: a failure ends the test, and
// the server is closed when the test ends.
func StartScript(t TB, handle func(c net.Conn)) *ScriptServer {
	t.Helper()
	s, err := NewScriptServer(handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Close stops accepting, closes every connection and waits for the
// handlers to return. Closing again does nothing.
func (s *ScriptServer) Close() error {
	var err error
	s.close.Do(func() {
		close(s.done)
		err = s.ln.Close()
		s.wg.Wait()
	})
	return err
}
