package websocket

import (
	"errors"
	"io"
	"unsafe"
)

// readMessage reads one whole message from r. limit is the largest size
// accepted (negative: none); a longer message returns ErrMessageTooBig
// after reading at most limit+1 bytes, leaving the rest unread. hint is
// the capacity to start with (the previous message's), so that a stream
// of similar messages costs one allocation each.
func readMessage(r io.Reader, limit int64, hint int) ([]byte, error) {
	most := int64(-1) // how many bytes to read at most
	if limit >= 0 {
		most = limit + 1
		if int64(hint) > most {
			hint = int(most)
		}
	}
	b := make([]byte, 0, hint)
	for {
		if most >= 0 && int64(len(b)) >= most {
			return nil, ErrMessageTooBig
		}
		if len(b) == cap(b) {
			// Full: the message may be exactly this long, so look for its
			// end before growing the buffer.
			var probe [1]byte
			n, err := r.Read(probe[:])
			if n == 1 {
				b = append(b, probe[0])
			}
			if err != nil {
				return doneReading(b, limit, err)
			}
			continue
		}
		room := b[len(b):cap(b)]
		if most >= 0 && int64(len(b)+len(room)) > most {
			room = room[:most-int64(len(b))]
		}
		n, err := r.Read(room)
		b = b[:len(b)+n]
		if err != nil {
			return doneReading(b, limit, err)
		}
	}
}

func doneReading(b []byte, limit int64, err error) ([]byte, error) {
	if limit >= 0 && int64(len(b)) > limit {
		return nil, ErrMessageTooBig
	}
	if errors.Is(err, io.EOF) {
		return b, nil
	}
	return nil, err
}

// bytesToString returns b as a string without copying it; b must never be
// modified afterwards (the reader hands each message's fresh buffer over).
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
