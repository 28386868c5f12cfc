package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"

	"sitecfg/internal/lineread"
)

// ErrInputEnded is returned by RunLines when its input ends before the
// flow is complete: an unanswered question is never skipped silently.
var ErrInputEnded = errors.New("input ended")

// lineReader reads the line prompts' answers (internal/lineread does the
// reading, honouring Ctrl+C at every prompt) and, when the input is not
// a terminal, echoes them so the transcript reads as a conversation.
type lineReader struct {
	r   *lineread.Reader
	out io.Writer
}

// newLineReader reads from in; fd is in's terminal or -1 (passwords are
// then read with echo off). interrupt, if not nil, is called when Ctrl+C
// arrives as a byte instead of a signal (while a password is read).
func newLineReader(in io.Reader, fd int, out io.Writer, interrupt func()) *lineReader {
	r := lineread.New(in, fd, out)
	r.OnInterrupt(interrupt)
	return &lineReader{r: r, out: out}
}

// read returns the next line without its line ending. secret reads it
// with no echo when the input is a terminal. io.EOF means the input ended
// with nothing typed; ctx.Err() means the prompt was cancelled.
func (r *lineReader) read(ctx context.Context, secret bool) (string, error) {
	read := r.r.Line
	if secret {
		read = r.r.Secret
	}
	line, err := read(ctx)
	if !r.r.Terminal() && err == nil {
		// Nothing echoes input that does not come from a terminal: show
		// the answer so the transcript reads as a conversation (never a
		// secret).
		shown := line
		if secret {
			shown = ""
		}
		fmt.Fprintln(r.out, shown)
	}
	return line, err
}
