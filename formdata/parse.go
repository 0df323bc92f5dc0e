package formdata

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/internal/mimetype"
	"github.com/webnet-go/webnet/internal/textenc"
	"github.com/webnet-go/webnet/url"
)

// ErrMalformed is wrapped by every error Parse returns for a body it
// cannot parse: an unsupported or unparsable Content-Type, a missing or
// invalid boundary, a truncated body, a part with bad headers or without a
// form-data Content-Disposition naming it. It is JavaScript's TypeError
// from Response.formData(). Test with errors.Is; the message says what is
// wrong.
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-formdata
var ErrMalformed = errors.New("formdata: malformed body")

// memoryBudget is how many bytes of file parts one Parse call keeps in
// memory; the rest goes to a temporary file.
const memoryBudget = 10 << 20

// Parse reads a body of the given Content-Type into a new FormData, as
// Response.formData() and Request.formData() do:
//
//   - multipart/form-data (with a boundary parameter): each part becomes an
//     entry in order; a part whose Content-Disposition has a filename (or
//     filename*) becomes a *blob.File with that name, the part's
//     Content-Type ("text/plain" when absent, "" when not ASCII) and the
//     current time as LastModified; any other part becomes a string.
//     Names and filenames have %0A, %0D and %22 decoded back to LF, CR and
//     `"`, undoing the encoder's escape. Names, filenames and string values
//     are decoded as UTF-8 (ill-formed bytes become U+FFFD, a BOM is kept).
//     A Content-Transfer-Encoding header is ignored: the bytes are taken as
//     they are.
//   - application/x-www-form-urlencoded: the URL Standard's parser
//     ([url.ParseURLEncoded]); every entry is a string.
//
// Any other Content-Type, and any malformed body, gives an error wrapping
// [ErrMalformed]; an error reading r is returned wrapped as it is (without
// ErrMalformed).
//
// Memory: Parse keeps the bytes of file parts in memory until they total
// 10 MiB; the bytes of every later file part are written to one temporary
// file (os.CreateTemp in os.TempDir), which is removed from the directory
// as soon as it is created and stays readable through its open descriptor
// until no File refers to it any more (the descriptor is closed when the
// garbage collector finds the Files unreachable), so no temporary file is
// ever left behind. (Where an open file cannot be removed, on Windows, the
// file is removed when the Files are collected, on a best-effort basis.)
// String entries are always held in memory, as Go strings: bound the input
// (io.LimitReader, http.MaxBytesReader) when it is untrusted.
//
// Deviation: the framing is mime/multipart's, which is more lenient than
// browsers (it skips a preamble before the first boundary and an epilogue
// after the last, and accepts LF line endings) and stricter in one way: a
// part header holding a control character other than tab (which the
// encoder, like browsers, sends as is in a name or filename) is malformed.
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-formdata
func Parse(r io.Reader, contentType string) (*FormData, error) {
	mt, ok := mimetype.Parse(contentType)
	if !ok {
		return nil, fmt.Errorf("%w: invalid Content-Type %q", ErrMalformed, contentType)
	}
	switch mt.Essence() {
	case "multipart/form-data":
		boundary, ok := mt.Param("boundary")
		if !ok {
			return nil, fmt.Errorf("%w: multipart/form-data without a boundary parameter", ErrMalformed)
		}
		if err := validBoundary(boundary); err != nil {
			return nil, err
		}
		return parseMultipart(r, boundary)
	case "application/x-www-form-urlencoded":
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("formdata: reading the body: %w", err)
		}
		fd := New()
		for _, pair := range url.ParseURLEncoded(string(data)) {
			fd.entries = append(fd.entries, entry{name: pair[0], value: Value{str: pair[1]}})
		}
		return fd, nil
	}
	return nil, fmt.Errorf("%w: Content-Type %q is neither multipart/form-data nor application/x-www-form-urlencoded",
		ErrMalformed, contentType)
}

// validBoundary checks a boundary against RFC 2046: 1 to 70 characters
// from its bchars, not ending with a space.
func validBoundary(b string) error {
	if b == "" || len(b) > 70 {
		return fmt.Errorf("%w: boundary of %d characters (want 1 to 70)", ErrMalformed, len(b))
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || strings.IndexByte("'()+_,-./:=? ", c) >= 0) {
			return fmt.Errorf("%w: invalid character %q in boundary %q", ErrMalformed, c, b)
		}
	}
	if b[len(b)-1] == ' ' {
		return fmt.Errorf("%w: boundary %q ends with a space", ErrMalformed, b)
	}
	return nil
}

// bodySource wraps the body given to Parse: it remembers the first error
// of the underlying reader (to tell a failing read from malformed data)
// and whether a close-delimiter line ("--" boundary "--") went by, since
// mime/multipart reports a body cut off inside a part's headers with the
// same bare io.EOF as the end of the body.
type bodySource struct {
	r        io.Reader
	err      error
	final    string // "--" + boundary + "--"
	match    int    // bytes of final matched on the current line, or -1
	sawFinal bool
}

func (s *bodySource) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	s.scan(p[:n])
	return n, err
}

// scan follows the start of each line of b, looking for final.
func (s *bodySource) scan(b []byte) {
	for len(b) > 0 {
		for s.match >= 0 && s.match < len(s.final) && len(b) > 0 {
			if b[0] != s.final[s.match] {
				s.match = -1
				break
			}
			s.match++
			b = b[1:]
			if s.match == len(s.final) {
				s.sawFinal = true
			}
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return
		}
		b = b[i+1:]
		s.match = 0
	}
}

// ioError marks an error of Parse's own I/O (the temporary file), which
// is not a sign of a malformed body.
type ioError struct{ err error }

func (e *ioError) Error() string { return e.err.Error() }
func (e *ioError) Unwrap() error { return e.err }

// parser holds the state of one multipart Parse.
type parser struct {
	src    *bodySource
	budget int64    // bytes of file parts still allowed in memory
	spill  *os.File // the temporary file, once needed
	spillN int64    // its size
	now    time.Time
}

func parseMultipart(r io.Reader, boundary string) (_ *FormData, err error) {
	src := &bodySource{r: r, final: "--" + boundary + "--"}
	p := &parser{src: src, budget: memoryBudget, now: time.Now().Round(0)}
	defer func() {
		if err != nil && p.spill != nil {
			p.spill.Close()
		}
	}()
	mr := multipart.NewReader(p.src, boundary)
	fd := New()
	for n := 1; ; n++ {
		part, err := mr.NextRawPart()
		if err == io.EOF && src.sawFinal {
			return fd, nil
		}
		if err != nil {
			return nil, p.wrap(fmt.Sprintf("part %d", n), err)
		}
		e, err := p.entry(part)
		if err != nil {
			return nil, p.wrap(fmt.Sprintf("part %d", n), err)
		}
		fd.entries = append(fd.entries, e)
	}
}

// wrap gives err its context, and ErrMalformed unless reading r or the
// temporary file failed.
func (p *parser) wrap(where string, err error) error {
	if p.src.err != nil {
		return fmt.Errorf("formdata: reading the body: %w", p.src.err)
	}
	var ioe *ioError
	if errors.As(err, &ioe) {
		return fmt.Errorf("formdata: %s: %w", where, ioe.err)
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF // a body cut short
	}
	return fmt.Errorf("%w: %s: %w", ErrMalformed, where, err)
}

// entry reads one part into an entry.
//
// Spec: https://andreubotella.github.io/multipart-form-data/#multipart-form-data-parser
func (p *parser) entry(part *multipart.Part) (entry, error) {
	name, filename, isFile, err := parseDisposition(part.Header)
	if err != nil {
		return entry{}, err
	}
	if !isFile {
		data, err := io.ReadAll(part)
		if err != nil {
			return entry{}, err
		}
		return entry{name: name, value: Value{str: textenc.UTF8DecodeWithoutBOM(data)}}, nil
	}
	typ := "text/plain"
	if v := part.Header[textproto.CanonicalMIMEHeaderKey("Content-Type")]; len(v) > 0 {
		typ = strings.TrimRight(v[0], " \t")
		for i := 0; i < len(typ); i++ {
			if typ[i] >= 0x80 {
				typ = ""
				break
			}
		}
	}
	content, err := p.fileContent(part, typ)
	if err != nil {
		return entry{}, err
	}
	f := blob.NewFile([]blob.BlobPart{content}, filename, &blob.FilePropertyBag{Type: typ, LastModified: p.now})
	return entry{name: name, value: Value{file: f}}, nil
}

// fileContent reads a file part's bytes: into memory while the budget
// lasts, else onto the end of the spill file.
func (p *parser) fileContent(part io.Reader, typ string) (*blob.Blob, error) {
	opts := &blob.BlobPropertyBag{Type: typ}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(part, p.budget+1))
	if err != nil {
		return nil, err
	}
	if n <= p.budget {
		p.budget -= n
		return blob.FromReaderAt(bytes.NewReader(buf.Bytes()), n, opts), nil
	}
	p.budget = 0
	if p.spill == nil {
		if p.spill, err = newSpillFile(); err != nil {
			return nil, &ioError{err}
		}
	}
	start := p.spillN
	m, err := p.spill.Write(buf.Bytes())
	p.spillN += int64(m)
	if err != nil {
		return nil, &ioError{fmt.Errorf("writing a temporary file: %w", err)}
	}
	buf = bytes.Buffer{} // let the memory go before copying the rest
	rest, err := io.Copy(onlyWriter{p.spill}, part)
	p.spillN += rest
	if err != nil {
		return nil, err
	}
	size := p.spillN - start
	return blob.FromReaderAt(io.NewSectionReader(p.spill, start, size), size, opts), nil
}

// onlyWriter hides *os.File's ReadFrom, which io.Copy would otherwise use
// with an error that does not say which side failed.
type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(b []byte) (int, error) {
	n, err := o.w.Write(b)
	if err != nil {
		err = &ioError{fmt.Errorf("writing a temporary file: %w", err)}
	}
	return n, err
}

// newSpillFile creates the temporary file for large file parts and removes
// its name at once: it lives while open and goes away with its descriptor.
func newSpillFile() (*os.File, error) {
	f, err := os.CreateTemp("", "webnet-formdata-*")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file: %w", err)
	}
	if err := os.Remove(f.Name()); err != nil {
		// The system cannot remove an open file: remove it once the
		// Files reading it are gone.
		runtime.AddCleanup(f, func(name string) { _ = os.Remove(name) }, f.Name())
	}
	return f, nil
}

// parseDisposition reads the name and filename of a part's
// Content-Disposition header, which must be form-data with a name.
//
// Spec: https://andreubotella.github.io/multipart-form-data/#parse-multipart-form-data-headers
func parseDisposition(h textproto.MIMEHeader) (name, filename string, isFile bool, err error) {
	values := h[textproto.CanonicalMIMEHeaderKey("Content-Disposition")]
	if len(values) == 0 {
		return "", "", false, errors.New("part without a Content-Disposition header")
	}
	v := values[0]
	typ, rest, _ := strings.Cut(v, ";")
	if !strings.EqualFold(strings.TrimSpace(typ), "form-data") {
		return "", "", false, fmt.Errorf("Content-Disposition %q is not form-data", v)
	}
	var hasName, hasStar bool
	for rest != "" {
		i := strings.IndexAny(rest, ";=")
		if i < 0 {
			break // a trailing parameter without a value
		}
		key := strings.ToLower(strings.Trim(rest[:i], " \t"))
		if rest[i] == ';' {
			rest = rest[i+1:] // a parameter without a value
			continue
		}
		rest = strings.TrimLeft(rest[i+1:], " \t")
		var val string
		if strings.HasPrefix(rest, `"`) {
			// A quoted value ends at the next quote: browsers escape a
			// quote as %22 and do not use backslash escapes.
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return "", "", false, fmt.Errorf("unterminated quoted %s in Content-Disposition %q", key, v)
			}
			val, rest = rest[1:1+end], rest[2+end:]
			rest = strings.TrimLeft(rest, " \t")
			if rest != "" && rest[0] != ';' {
				return "", "", false, fmt.Errorf("unexpected %q after %s in Content-Disposition %q", rest, key, v)
			}
			rest = strings.TrimPrefix(rest, ";")
		} else {
			val, rest, _ = strings.Cut(rest, ";")
			val = strings.TrimRight(val, " \t")
		}
		switch key {
		case "name":
			if !hasName {
				name, hasName = decodeName(val), true
			}
		case "filename":
			if !hasStar && !isFile {
				filename, isFile = decodeName(val), true
			}
		case "filename*":
			// RFC 5987 ext-value: charset'language'percent-encoded; it
			// wins over filename (RFC 6266).
			if f, ok := decodeExtValue(val); ok {
				filename, isFile, hasStar = f, true, true
			} else {
				return "", "", false, fmt.Errorf("invalid filename* %q", val)
			}
		}
	}
	if !hasName {
		return "", "", false, fmt.Errorf("Content-Disposition %q has no name", v)
	}
	return name, filename, isFile, nil
}

var nameUnescaper = strings.NewReplacer("%0A", "\n", "%0a", "\n", "%0D", "\r", "%0d", "\r", "%22", `"`)

// decodeName undoes the encoder's escapes and decodes UTF-8.
//
// Spec: https://andreubotella.github.io/multipart-form-data/#parse-a-multipart-form-data-name
func decodeName(s string) string {
	return textenc.UTF8DecodeWithoutBOM(nameUnescaper.Replace(s))
}

// decodeExtValue decodes an RFC 5987 ext-value in UTF-8 or ISO-8859-1.
func decodeExtValue(v string) (string, bool) {
	charset, rest, ok := strings.Cut(v, "'")
	if !ok {
		return "", false
	}
	_, encoded, ok := strings.Cut(rest, "'")
	if !ok {
		return "", false
	}
	var raw []byte
	for i := 0; i < len(encoded); i++ {
		c := encoded[i]
		if c != '%' {
			raw = append(raw, c)
			continue
		}
		if i+2 >= len(encoded) {
			return "", false
		}
		hi, ok1 := textenc.Unhex(encoded[i+1])
		lo, ok2 := textenc.Unhex(encoded[i+2])
		if !ok1 || !ok2 {
			return "", false
		}
		raw = append(raw, hi<<4|lo)
		i += 2
	}
	switch strings.ToLower(charset) {
	case "utf-8":
		return textenc.UTF8DecodeWithoutBOM(raw), true
	case "iso-8859-1":
		var b strings.Builder
		for _, c := range raw {
			b.WriteRune(rune(c))
		}
		return b.String(), true
	}
	return "", false
}
