package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"sitecfg/wizard"
)

// newDemoCmd is `sitecfg demo`: everything, against an embedded server.
func newDemoCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "demo",
		Short: "try the wizard against an SMTP server started on this machine (STARTTLS, AUTH), writing a scratch config",
		Args:  noArgs,
	}
	fs := c.Flags()
	var o demoOptions
	fs.BoolVar(&o.accessible, "accessible", false, "plain line prompts instead of the full-screen wizard (works over a pipe: press Enter to take every default)")
	fs.BoolVar(&o.ascii, "ascii", false, "draw with plain ASCII only (automatic on TERM=linux and serial terminals)")
	fs.StringVar(&o.dir, "dir", "", "`DIR` for the scratch config and the demo CA (default: a new temporary folder)")
	_ = c.MarkFlagDirname("dir")
	timeoutFlag(fs, &o.timeout)
	c.RunE = action(func(ctx context.Context, _ []string) error { return runDemo(ctx, e, o) })
	return c
}

type demoOptions struct {
	accessible bool
	ascii      bool
	dir        string
	timeout    time.Duration
}

// runDemo starts the embedded server, runs the wizard prefilled to use it
// and shows what the server received. It needs no setup, no network and
// no root: `go run . demo` on a fresh machine.
func runDemo(ctx context.Context, e *env, o demoOptions) error {
	dir := o.dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "sitecfg-demo-"); err != nil {
			return withCode(exitIO, fmt.Errorf("scratch folder: %w", err))
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return withCode(exitIO, fmt.Errorf("scratch folder: %w", err))
	}
	srv, err := wizard.StartDemoServer(wizard.DemoServerOptions{Dir: dir})
	if err != nil {
		return err
	}
	defer srv.Close()
	path := filepath.Join(dir, "site-config.yaml")

	fmt.Fprintln(e.stdout, "sitecfg demo: everything runs on this machine; nothing leaves it.")
	srv.Describe(e.stdout)
	fmt.Fprintf(e.stdout, "Scratch config: %s\n", path)
	fmt.Fprintf(e.stdout, "The answers are filled in to use this server: press Enter to keep each one.\n\n")

	by := "sitecfg " + version + " (demo)"
	accessible := o.accessible || e.getenv("TERM") == "dumb" || !e.stdinTTY || !e.stdoutTTY
	var w *wizard.Written
	if accessible {
		var out *wizard.Outcome
		out, err = wizard.RunLines(ctx, wizard.LineOptions{
			In: e.stdin, Out: e.stdout, InFD: stdinFD(e), ConfigPath: path,
			Defaults: srv.Defaults(), SendTest: true, By: by, Now: e.now, CheckTimeout: o.timeout,
			Check: srv.Check, SignInClient: srv.SignInClient(), SignInAuto: srv.ApproveSignIn,
		})
		if out != nil {
			w = out.Written
		}
	} else {
		w, err = demoTUI(ctx, e, srv, path, by, o)
	}
	if err != nil {
		return wizardError(err)
	}
	printWritten(e, w)
	showReceived(e, srv)
	fmt.Fprintf(e.stdout, "\nThe scratch folder %s is kept for you to look at; remove it when done.\n", dir)
	return nil
}

// demoTUI runs the full-screen wizard as a first deploy, prefilled for
// the demo server.
func demoTUI(ctx context.Context, e *env, srv *wizard.DemoServer, path, by string, o demoOptions) (*wizard.Written, error) {
	return wizard.RunTUI(ctx, wizard.TUIOptions{
		ConfigPath: path, Defaults: srv.Defaults(), SendTest: true, By: by, CheckTimeout: o.timeout,
		Notes: []string{fmt.Sprintf("demo: the answers point at the demo server on %s "+
			"(username %s, password %s); go through the pages with Enter, then check and save with the test message.",
			srv.Addr, srv.Username, srv.Password),
			fmt.Sprintf("demo: to rehearse Microsoft 365, choose microsoft-oauth (tenant %s, client %s, client secret %s) "+
				"or microsoft-delegated (same tenant and client; its sign-in page approves by itself and shows the address to paste back)",
				wizard.DemoTenant, wizard.DemoClientID, wizard.DemoClientSecret)},
		In: e.stdin, Out: e.stdout, ASCII: o.ascii || asciiTerm(e.getenv("TERM")),
		Deps: wizard.TUIDeps{Check: srv.Check, SignInClient: srv.SignInClient(), SignInAuto: srv.ApproveSignIn},
	})
}

// showReceived prints each message the demo server accepted, as received.
func showReceived(e *env, srv *wizard.DemoServer) {
	msgs := srv.Messages()
	if len(msgs) == 0 {
		fmt.Fprintln(e.stdout, "\nThe demo server received no message (answer yes to \"Send a test message?\" to see one).")
		return
	}
	for i, m := range msgs {
		fmt.Fprintf(e.stdout, "\n--- message %d of %d, as the demo server received it ---\n%s--- end of message ---\n", i+1, len(msgs), m.Format())
	}
}

// stdinFD is stdin's descriptor when it is a terminal, else -1.
func stdinFD(e *env) int {
	if f, ok := e.stdin.(*os.File); ok && e.stdinTTY {
		return int(f.Fd())
	}
	return -1
}
