package lineread

import (
	"errors"
	"io"
)

// Control bytes a terminal in raw mode delivers as they are.
const (
	ctrlC     = 0x03
	ctrlD     = 0x04
	backspace = 0x08
	ctrlU     = 0x15
	del       = 0x7f
)

// readRaw reads one line from a terminal in raw mode, byte by byte, doing
// the little line editing the terminal no longer does: Enter (CR or LF)
// ends the line, Backspace/Delete removes the last character, Ctrl+U
// clears the line, Ctrl+D on an empty line is the end of input and Ctrl+C
// is ErrInterrupted.
func readRaw(in io.Reader) (string, error) {
	var buf [1]byte
	var line []byte
	for {
		n, err := in.Read(buf[:])
		if n == 1 {
			switch b := buf[0]; b {
			case '\r', '\n':
				return string(line), nil
			case ctrlC:
				return "", ErrInterrupted
			case ctrlD:
				if len(line) == 0 {
					return "", io.EOF
				}
			case backspace, del:
				if len(line) > 0 {
					line = trimLastRune(line)
				}
			case ctrlU:
				line = line[:0]
			default:
				line = append(line, b)
			}
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(line) > 0 {
				return string(line), nil
			}
			return "", err
		}
	}
}

// trimLastRune drops the last UTF-8 character, not just its last byte.
func trimLastRune(b []byte) []byte {
	i := len(b) - 1
	for i > 0 && b[i]&0xc0 == 0x80 {
		i--
	}
	return b[:i]
}
