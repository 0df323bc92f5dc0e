package blob

import (
	"io"
	"math"
	"runtime"
	"sort"
	"strings"

	"github.com/webnet-go/webnet/internal/textenc"
)

// End is the Slice argument that means "up to the end of the Blob": JS's
// blob.slice(start) is b.Slice(start, blob.End, "") and blob.slice() is
// b.Slice(0, blob.End, ""). Any value at or above Size clamps to Size, so
// End is simply the largest int64.
//
// Spec: https://w3c.github.io/FileAPI/#dfn-slice
const End int64 = math.MaxInt64

// Endings values for [BlobPropertyBag.Endings] and [FilePropertyBag.Endings].
//
// Spec: https://w3c.github.io/FileAPI/#enumdef-endingtype
const (
	// EndingsTransparent keeps the line endings of string parts as they
	// are. It is the default: the zero value "" means the same.
	//
	// Spec: https://w3c.github.io/FileAPI/#dom-endingtype-transparent
	EndingsTransparent = "transparent"
	// EndingsNative converts every CR, LF and CRLF of string parts to the
	// platform's newline: "\n", or "\r\n" on Windows.
	//
	// Spec: https://w3c.github.io/FileAPI/#dom-endingtype-native
	EndingsNative = "native"
)

// BlobPart is one piece of a Blob under construction: a string ([String]),
// a byte slice ([Bytes]), or another *[Blob] or *[File], whose bytes are
// shared rather than copied. The interface is sealed: only this package
// implements it.
//
// Spec: https://w3c.github.io/FileAPI/#typedefdef-blobpart
type BlobPart interface {
	// appendTo appends the part's segments to dst; native selects the
	// "convert line endings to native" step for string parts.
	appendTo(dst []segment, native bool) []segment
}

type stringPart string

func (p stringPart) appendTo(dst []segment, native bool) []segment {
	s := textenc.USVString(string(p))
	if native {
		s = convertLineEndingsToNative(s)
	}
	return appendMem(dst, s)
}

type bytesPart string // an immutable copy of the caller's bytes

func (p bytesPart) appendTo(dst []segment, _ bool) []segment {
	return appendMem(dst, string(p))
}

// String returns a BlobPart holding s encoded as UTF-8. The Blob shares s's
// bytes (Go strings are immutable), unless the "native" endings option
// rewrites them.
//
// s is taken as a JavaScript USVString would be: valid UTF-8 is used as
// is, and ill-formed UTF-8 becomes U+FFFD, the 3-byte encoding of a
// surrogate (ED A0..BF xx, as WTF-8 and CESU-8 write them) as one U+FFFD
// like a lone surrogate in JavaScript, any other ill-formed sequence as the
// Encoding Standard's UTF-8 decoder replaces it. Use [Bytes] for binary
// data.
//
// Spec: https://w3c.github.io/FileAPI/#process-blob-parts
func String(s string) BlobPart { return stringPart(s) }

// Bytes returns a BlobPart holding a copy of b, taken now, so that later
// changes to b do not change the Blob (a Blob is immutable, as the spec's
// constructor copies an ArrayBuffer's bytes).
//
// Spec: https://w3c.github.io/FileAPI/#process-blob-parts
func Bytes(b []byte) BlobPart { return bytesPart(b) }

// BlobPropertyBag holds the options of [New]; a nil *BlobPropertyBag means
// all defaults. New only reads it.
//
// Spec: https://w3c.github.io/FileAPI/#dfn-BlobPropertyBag
type BlobPropertyBag struct {
	// Type is the media type of the Blob. It goes through the File API's
	// rule: any character outside U+0020..U+007E makes the type "",
	// otherwise it is ASCII-lower-cased. It is not parsed or validated.
	Type string
	// Endings is EndingsTransparent (or "", the default) or EndingsNative.
	//
	// Deviation: JavaScript throws a TypeError for any other value; New
	// has no error result, so any value other than exactly "native"
	// behaves as "transparent".
	Endings string
}

// segment is one run of a Blob's bytes: an in-memory string when src is
// nil, or the range [off, off+n) of src.
type segment struct {
	mem string
	src source
	off int64
	n   int64
}

func (s segment) size() int64 {
	if s.src == nil {
		return int64(len(s.mem))
	}
	return s.n
}

// slice returns the sub-range [from, to) of s, relative to s's start.
func (s segment) slice(from, to int64) segment {
	if s.src == nil {
		return segment{mem: s.mem[from:to]}
	}
	return segment{src: s.src, off: s.off + from, n: to - from}
}

func appendMem(dst []segment, s string) []segment {
	if s == "" {
		return dst
	}
	return append(dst, segment{mem: s})
}

// core is the state and the methods shared by Blob and File. It is
// immutable once built.
type core struct {
	segs   []segment
	starts []int64 // starts[i] is the offset of segs[i] in the Blob
	size   int64
	typ    string
}

func newCore(parts []BlobPart, typ, endings string) core {
	native := endings == EndingsNative
	var segs []segment
	for _, p := range parts {
		if p == nil {
			continue
		}
		segs = p.appendTo(segs, native)
	}
	return buildCore(segs, normalizeType(typ))
}

func buildCore(segs []segment, typ string) core {
	c := core{segs: segs, typ: typ}
	if len(segs) > 0 {
		c.starts = make([]int64, len(segs))
	}
	for i, s := range segs {
		c.starts[i] = c.size
		c.size += s.size()
	}
	return c
}

// Size returns the number of bytes of the Blob.
//
// Spec: https://w3c.github.io/FileAPI/#dfn-size
func (c *core) Size() int64 { return c.size }

// Type returns the media type given at construction after the File API's
// rule (ASCII-lower-cased, or "" if it held a character outside
// U+0020..U+007E), or "" when none was given.
//
// Spec: https://w3c.github.io/FileAPI/#dfn-type
func (c *core) Type() string { return c.typ }

// Slice returns a new Blob holding the bytes [start, end) of this one and
// the type contentType (after the File API's type rule; "" when empty: the
// type of the original is not inherited). No bytes are copied: the new
// Blob is a view.
//
// A negative start or end counts from the end (max(Size+x, 0)); values
// beyond Size clamp to Size; an end before start gives an empty Blob. Use
// [End] for "to the end". JavaScript's omitted arguments map to
// Slice(0, End, ""): blob.slice(s) is Slice(s, End, ""), blob.slice(s, e)
// is Slice(s, e, ""), and an omitted contentType is "".
//
// Deviation: JavaScript accepts fractional numbers and rounds them (WebIDL
// [Clamp] long long); Go takes int64.
//
// Spec: https://w3c.github.io/FileAPI/#dfn-slice
func (c *core) Slice(start, end int64, contentType string) *Blob {
	from := relativeIndex(start, c.size)
	to := relativeIndex(end, c.size)
	b := &Blob{core: core{typ: normalizeType(contentType)}}
	if to <= from {
		return b
	}
	// The first segment that ends after from.
	i := sort.Search(len(c.segs), func(i int) bool {
		return c.starts[i]+c.segs[i].size() > from
	})
	var segs []segment
	for ; i < len(c.segs) && c.starts[i] < to; i++ {
		s := c.segs[i]
		lo := max(from-c.starts[i], 0)
		hi := min(to-c.starts[i], s.size())
		segs = append(segs, s.slice(lo, hi))
	}
	b.core = buildCore(segs, b.typ)
	return b
}

func relativeIndex(x, size int64) int64 {
	if x < 0 {
		return max(size+x, 0)
	}
	return min(x, size)
}

// Stream returns a reader over the Blob's bytes, from the start, each call
// a fresh and independent one. The caller must Close it: for a Blob backed
// by a file on disk ([OpenFile]), the file is opened when reading reaches
// its bytes and stays open until they are read or the stream is closed.
// Reading a file-backed Blob whose file changed since [OpenFile] fails
// with an error wrapping [ErrNotReadable]. The reader also implements
// io.WriterTo, so io.Copy does not add a buffer of its own.
//
// Spec: https://w3c.github.io/FileAPI/#dom-blob-stream
func (c *core) Stream() io.ReadCloser { return newStream(c.segs) }

// Bytes reads the whole Blob into a new byte slice (JavaScript's
// arrayBuffer() and bytes()).
//
// Spec: https://w3c.github.io/FileAPI/#dom-blob-bytes
func (c *core) Bytes() ([]byte, error) {
	if len(c.segs) == 1 && c.segs[0].src == nil {
		return []byte(c.segs[0].mem), nil
	}
	if c.size > int64(math.MaxInt) {
		return nil, errTooLarge(c.size)
	}
	buf := make([]byte, 0, int(c.size))
	w := &fixedWriter{buf: buf}
	st := newStream(c.segs)
	defer st.Close()
	if _, err := st.WriteTo(w); err != nil {
		return nil, err
	}
	return w.buf, nil
}

// Text reads the whole Blob and decodes it as UTF-8, whatever its type's
// charset: a leading UTF-8 byte order mark is removed and each ill-formed
// sequence becomes U+FFFD, as the Encoding Standard's "UTF-8 decode" does.
//
// Spec: https://w3c.github.io/FileAPI/#dom-blob-text
func (c *core) Text() (string, error) {
	if len(c.segs) == 1 && c.segs[0].src == nil {
		return textenc.UTF8Decode(c.segs[0].mem), nil
	}
	b, err := c.Bytes()
	if err != nil {
		return "", err
	}
	return textenc.UTF8Decode(b), nil
}

// ExtractBody makes a Blob a fetch body: it returns a fresh [Blob.Stream]
// (the caller closes it), Size as the exact length, and Type as the
// Content-Type ("" for none). It never fails.
//
// Spec: https://fetch.spec.whatwg.org/#concept-bodyinit-extract
func (c *core) ExtractBody() (body io.ReadCloser, length int64, contentType string, err error) {
	return c.Stream(), c.size, c.typ, nil
}

// Blob is an immutable sequence of bytes with a media type, the File API's
// Blob. It is a list of segments (in-memory strings and ranges of files):
// building a Blob from other Blobs and slicing one share those segments
// and copy no bytes, and a Blob backed by a file ([OpenFile]) reads it
// only when streamed.
//
// The zero value is an empty Blob with type "". A Blob is safe for
// concurrent use by multiple goroutines, since nothing can change it; each
// [Blob.Stream] is a separate reader for one goroutine.
//
// Spec: https://w3c.github.io/FileAPI/#blob-section
type Blob struct {
	core
}

// appendTo makes a *Blob a BlobPart: its segments are shared, not copied.
// A nil *Blob is an empty part.
func (b *Blob) appendTo(dst []segment, _ bool) []segment {
	if b == nil {
		return dst
	}
	return append(dst, b.segs...)
}

// New returns a Blob holding the bytes of parts, in order, with the type
// and line-endings options of opts (nil means defaults). String parts are
// UTF-8, []byte parts are copied, and *Blob and *File parts are shared
// without copying; nil parts are skipped. The parts' own types are not
// inherited.
//
// Spec: https://w3c.github.io/FileAPI/#dom-blob-blob
func New(parts []BlobPart, opts *BlobPropertyBag) *Blob {
	var o BlobPropertyBag
	if opts != nil {
		o = *opts
	}
	return &Blob{core: newCore(parts, o.Type, o.Endings)}
}

// FromReaderAt returns a Blob of size bytes whose bytes are read from r at
// offsets 0..size-1 whenever the Blob (or a slice of it) is streamed; it
// never copies them into memory by itself. This is how a Go program makes
// a Blob from data the File API has no constructor for: a memory-mapped
// region, a temporary file, an archive member.
//
// r must serve the same bytes for as long as the Blob is used and must
// allow concurrent ReadAt calls (as the io.ReaderAt contract and
// *os.File, *bytes.Reader and *strings.Reader do). The Blob does not close
// r. Only opts.Type is used. A negative size is taken as 0.
//
// Deviation: a Go extension; the File API has no such constructor.
//
// Spec: https://w3c.github.io/FileAPI/#blob-section
func FromReaderAt(r io.ReaderAt, size int64, opts *BlobPropertyBag) *Blob {
	var typ string
	if opts != nil {
		typ = opts.Type
	}
	var segs []segment
	if size > 0 {
		segs = []segment{{src: readerAtSource{r: r}, n: size}}
	}
	return &Blob{core: buildCore(segs, normalizeType(typ))}
}

// normalizeType applies the File API's type rule: any character outside
// U+0020..U+007E gives "", otherwise the string is ASCII-lower-cased.
//
// Spec: https://w3c.github.io/FileAPI/#dom-blob-blob (step 3 of the
// constructor)
func normalizeType(t string) string {
	upper := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c < 0x20 || c > 0x7E {
			return ""
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		return t
	}
	return strings.ToLower(t)
}

// nativeNewline is the platform's line ending for "native" endings.
func nativeNewline() string {
	if runtime.GOOS == "windows" {
		return "\r\n"
	}
	return "\n"
}

// convertLineEndingsToNative replaces every CR, LF and CRLF of s by the
// native newline.
//
// Spec: https://w3c.github.io/FileAPI/#convert-line-endings-to-native
func convertLineEndingsToNative(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	nl := nativeNewline()
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\r':
			b.WriteString(nl)
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			b.WriteString(nl)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fixedWriter appends to buf, which has the capacity for everything that
// will be written.
type fixedWriter struct{ buf []byte }

func (w *fixedWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	return len(p), nil
}

func (w *fixedWriter) WriteString(s string) (int, error) {
	w.buf = append(w.buf, s...)
	return len(s), nil
}
