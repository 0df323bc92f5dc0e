package formdata

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/webnet-go/webnet/blob"
)

// boundaryPrefix starts every boundary, as "----WebKitFormBoundary" does
// in Chromium and WebKit; 16 random ASCII alphanumerics follow.
const boundaryPrefix = "----webnetFormBoundary"

const boundaryAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newBoundary returns a fresh, unpredictable multipart/form-data boundary
// string: the prefix and 16 alphanumerics from crypto/rand (95 bits).
//
// Spec: https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart/form-data-boundary-string
func newBoundary() (string, error) {
	const n = 16
	out := make([]byte, 0, len(boundaryPrefix)+n)
	out = append(out, boundaryPrefix...)
	var buf [2 * n]byte
	for len(out) < cap(out) {
		if _, err := rand.Read(buf[:]); err != nil {
			return "", err
		}
		for _, c := range buf {
			// 248 = 4*62: rejecting the rest keeps the choice uniform.
			if c < 248 && len(out) < cap(out) {
				out = append(out, boundaryAlphabet[c%62])
			}
		}
	}
	return string(out), nil
}

// nameEscaper escapes a field name or filename for a Content-Disposition
// parameter.
var nameEscaper = strings.NewReplacer("\n", "%0A", "\r", "%0D", `"`, "%22")

// normalizeNewlines replaces every CR not followed by LF and every LF not
// preceded by CR by CRLF.
//
// Spec: https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart/form-data-encoding-algorithm
func normalizeNewlines(s string) string {
	i := strings.IndexAny(s, "\r\n")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		switch c := s[i]; c {
		case '\r':
			b.WriteString("\r\n")
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			b.WriteString("\r\n")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// piece is one run of an encoded body: literal text, or a File's bytes.
type piece struct {
	text string
	file *blob.File
	name string // the entry's name, for errors
}

// inlineValueMax is the size up to which a string value is copied into the
// framing text around it; longer values are their own piece, not copied.
const inlineValueMax = 4 << 10

// encode lays out the multipart/form-data body of entries with boundary
// and returns its pieces and exact length.
//
// Spec: https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart/form-data-encoding-algorithm
func encode(entries []entry, boundary string) ([]piece, int64) {
	var pieces []piece
	var length int64
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			pieces = append(pieces, piece{text: text.String()})
			length += int64(text.Len())
			text.Reset()
		}
	}
	for _, e := range entries {
		text.WriteString("--")
		text.WriteString(boundary)
		text.WriteString("\r\nContent-Disposition: form-data; name=\"")
		text.WriteString(nameEscaper.Replace(normalizeNewlines(e.name)))
		text.WriteByte('"')
		if f := e.value.file; f != nil {
			text.WriteString("; filename=\"")
			text.WriteString(nameEscaper.Replace(f.Name()))
			text.WriteString("\"\r\nContent-Type: ")
			typ := f.Type()
			if typ == "" {
				typ = "application/octet-stream"
			}
			text.WriteString(typ)
			text.WriteString("\r\n\r\n")
			if f.Size() > 0 {
				flush()
				pieces = append(pieces, piece{file: f, name: e.name})
				length += f.Size()
			}
		} else {
			text.WriteString("\r\n\r\n")
			v := normalizeNewlines(e.value.str)
			if len(v) <= inlineValueMax {
				text.WriteString(v)
			} else {
				flush()
				pieces = append(pieces, piece{text: v})
				length += int64(len(v))
			}
		}
		text.WriteString("\r\n")
	}
	text.WriteString("--")
	text.WriteString(boundary)
	text.WriteString("--\r\n")
	flush()
	return pieces, length
}

// ExtractBody encodes the entries as multipart/form-data and returns a
// reader over the encoding, its exact length in bytes, and the
// Content-Type "multipart/form-data; boundary=<boundary>", with a fresh
// boundary from crypto/rand on each call, so a request can be sent again
// (on a 307 or 308 redirect) with a new stream.
//
// The encoding follows the HTML Standard, as browsers produce it: in each
// name and string value, every CR, LF and CRLF becomes CRLF; in names and
// filenames, LF, CR and `"` are then escaped as %0A, %0D and %22 (a "%"
// itself is not escaped, so the escape is ambiguous, as it is in browsers);
// a File part's Content-Type is the File's type, or
// application/octet-stream when it is empty; a string part has no
// Content-Type.
//
// The body is streamed: the entries are the ones present when ExtractBody
// is called (later changes to the FormData do not affect it), a File's
// bytes are read only when the reader reaches them (a file-backed File is
// never loaded into memory), and the reader implements io.WriterTo. A File
// whose file changed since blob.OpenFile makes the read fail with an error
// wrapping blob.ErrNotReadable. The caller must Close the reader. The
// error result is non-nil only when no random boundary can be made.
//
// Spec: https://fetch.spec.whatwg.org/#concept-bodyinit-extract
func (f *FormData) ExtractBody() (body io.ReadCloser, length int64, contentType string, err error) {
	boundary, err := newBoundary()
	if err != nil {
		return nil, 0, "", fmt.Errorf("formdata: making a boundary: %w", err)
	}
	pieces, length := encode(f.entries, boundary)
	return &bodyReader{pieces: pieces}, length, "multipart/form-data; boundary=" + boundary, nil
}

var errClosed = errors.New("formdata: read from a closed body")

// bodyReader streams the pieces of an encoded body. It is not safe for
// concurrent use.
type bodyReader struct {
	pieces []piece
	i      int           // the current piece
	off    int           // bytes of pieces[i].text already read
	cur    io.ReadCloser // the open stream of pieces[i].file
	err    error         // sticky
	closed bool
}

func (r *bodyReader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, errClosed
	}
	n := 0
	for n < len(p) && r.err == nil {
		if r.i == len(r.pieces) {
			r.err = io.EOF
			break
		}
		pc := &r.pieces[r.i]
		if pc.file == nil {
			c := copy(p[n:], pc.text[r.off:])
			n += c
			r.off += c
			if r.off == len(pc.text) {
				r.i, r.off = r.i+1, 0
			}
			continue
		}
		if n > 0 {
			break // deliver the framing before blocking on a file
		}
		if r.cur == nil {
			r.cur = pc.file.Stream()
		}
		m, err := r.cur.Read(p)
		n += m
		if err == io.EOF {
			r.nextPiece()
		} else if err != nil {
			r.fail(pc, err)
		}
		break
	}
	if n > 0 {
		return n, nil
	}
	return 0, r.err
}

func (r *bodyReader) nextPiece() {
	if r.cur != nil {
		r.cur.Close()
		r.cur = nil
	}
	r.i, r.off = r.i+1, 0
}

func (r *bodyReader) fail(pc *piece, err error) {
	if r.cur != nil {
		r.cur.Close()
		r.cur = nil
	}
	if pc != nil && pc.file != nil {
		err = fmt.Errorf("formdata: entry %q: %w", pc.name, err)
	}
	r.err = err
}

// WriteTo implements io.WriterTo: the framing is written as strings and
// each File through its stream's WriteTo, so io.Copy adds no buffer.
func (r *bodyReader) WriteTo(w io.Writer) (int64, error) {
	if r.closed {
		return 0, errClosed
	}
	var total int64
	for r.err == nil {
		if r.i == len(r.pieces) {
			r.err = io.EOF
			break
		}
		pc := &r.pieces[r.i]
		if pc.file == nil {
			n, err := io.WriteString(w, pc.text[r.off:])
			total += int64(n)
			r.off += n
			if err != nil {
				r.fail(nil, err)
				break
			}
			r.i, r.off = r.i+1, 0
			continue
		}
		if r.cur == nil {
			r.cur = pc.file.Stream()
		}
		n, err := io.Copy(w, r.cur) // the stream's WriteTo, when it has one
		total += n
		if err != nil {
			r.fail(pc, err)
			break
		}
		r.nextPiece()
	}
	if r.err == io.EOF {
		return total, nil
	}
	return total, r.err
}

// Close closes the File stream being read, if any. Reads after Close fail.
// It is idempotent and returns nil.
func (r *bodyReader) Close() error {
	if !r.closed {
		r.closed = true
		if r.cur != nil {
			r.cur.Close()
			r.cur = nil
		}
	}
	return nil
}
