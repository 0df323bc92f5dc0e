package blob

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustBytes(t *testing.T, b interface{ Bytes() ([]byte, error) }) []byte {
	t.Helper()
	got, err := b.Bytes()
	require.NoError(t, err)
	return got
}

func mustText(t *testing.T, b interface{ Text() (string, error) }) string {
	t.Helper()
	got, err := b.Text()
	require.NoError(t, err)
	return got
}

func readAll(t *testing.T, r io.ReadCloser) []byte {
	t.Helper()
	defer r.Close()
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	return got
}

func TestNewParts(t *testing.T) {
	t.Parallel()
	foo := New([]BlobPart{String("foo")}, nil)
	file := NewFile([]BlobPart{String("file")}, "f.txt", &FilePropertyBag{Type: "text/plain"})
	tests := []struct {
		name  string
		parts []BlobPart
		want  string
	}{
		{"none", nil, ""},
		{"empty string", []BlobPart{String("")}, ""},
		{"string", []BlobPart{String("héllo")}, "héllo"},
		{"bytes", []BlobPart{Bytes([]byte{0, 0xff, 1})}, "\x00\xff\x01"},
		{"blob twice", []BlobPart{foo, foo}, "foofoo"},
		{"file part", []BlobPart{String("<"), file, String(">")}, "<file>"},
		{"nil parts skipped", []BlobPart{nil, (*Blob)(nil), (*File)(nil), String("x")}, "x"},
		{"zero Blob part", []BlobPart{&Blob{}, String("y")}, "y"},
		{"ill-formed UTF-8 string", []BlobPart{String("a\xffb")}, "a\uFFFDb"},
		{"encoded surrogate is one U+FFFD", []BlobPart{String("a\xed\xa0\x80b")}, "a\uFFFDb"},
		{"bytes are not converted", []BlobPart{Bytes([]byte("a\xed\xa0\x80b"))}, "a\xed\xa0\x80b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := New(tt.parts, nil)
			assert.Equal(t, int64(len(tt.want)), b.Size())
			assert.Equal(t, "", b.Type(), "the parts' types are not inherited")
			assert.Equal(t, []byte(tt.want), mustBytes(t, b))
			assert.Equal(t, []byte(tt.want), readAll(t, b.Stream()))
		})
	}
}

func TestZeroBlob(t *testing.T) {
	t.Parallel()
	var b Blob
	assert.Equal(t, int64(0), b.Size())
	assert.Equal(t, "", b.Type())
	assert.Equal(t, "", mustText(t, &b))
	assert.Empty(t, readAll(t, b.Stream()))
	assert.Equal(t, int64(0), b.Slice(0, End, "").Size())
}

func TestBytesPartIsCopied(t *testing.T) {
	t.Parallel()
	buf := []byte("abc")
	b := New([]BlobPart{Bytes(buf)}, nil)
	buf[0] = 'X'
	assert.Equal(t, "abc", mustText(t, b))

	out := mustBytes(t, b)
	out[0] = 'Y'
	assert.Equal(t, "abc", mustText(t, b), "Bytes returns a copy the caller may change")
}

func TestComposeSharesBytes(t *testing.T) {
	big := New([]BlobPart{Bytes(make([]byte, 8<<20))}, nil)
	allocs := testing.AllocsPerRun(10, func() {
		c := New([]BlobPart{big, String("x"), big}, nil)
		_ = c.Slice(1, -1, "")
	})
	assert.Less(t, allocs, 20.0, "composing and slicing copy segment descriptors, not bytes")

	c := New([]BlobPart{big, String("x"), big}, nil)
	assert.Equal(t, int64(16<<20+1), c.Size())
	assert.Len(t, c.segs, 3)
}

func TestType(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"TEXT/Plain;Charset=UTF-8", "text/plain;charset=utf-8"},
		{" image/gif ", " image/gif "},
		{"\timage/gif", ""},
		{"image/gif\x7f", ""},
		{"image/gif\x00", ""},
		{"imagé/gif", ""},
		{"nonparsable", "nonparsable"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, New(nil, &BlobPropertyBag{Type: tt.in}).Type())
			assert.Equal(t, tt.want, NewFile(nil, "n", &FilePropertyBag{Type: tt.in}).Type())
			assert.Equal(t, tt.want, New(nil, nil).Slice(0, End, tt.in).Type())
		})
	}
}

func TestOptionsNotMutated(t *testing.T) {
	t.Parallel()
	opts := &FilePropertyBag{Type: "TEXT/PLAIN"}
	f := NewFile(nil, "a", opts)
	assert.Equal(t, &FilePropertyBag{Type: "TEXT/PLAIN"}, opts)
	assert.False(t, f.LastModified().IsZero())
}

func TestEndings(t *testing.T) {
	t.Parallel()
	in := "a\rb\nc\r\nd\n\re"
	tests := []struct {
		endings string
		want    string
	}{
		{"", in},
		{EndingsTransparent, in},
		{EndingsNative, "a\nb\nc\nd\n\ne"},
		{"NATIVE", in}, // only the exact spec string converts
		{"bogus", in},
	}
	for _, tt := range tests {
		t.Run(tt.endings, func(t *testing.T) {
			t.Parallel()
			b := New([]BlobPart{String(in), Bytes([]byte("\r\n"))}, &BlobPropertyBag{Endings: tt.endings})
			assert.Equal(t, tt.want+"\r\n", mustText(t, b), "byte parts are never converted")
		})
	}
	// Each string part is converted on its own.
	b := New([]BlobPart{String("\r"), String("\n")}, &BlobPropertyBag{Endings: EndingsNative})
	assert.Equal(t, "\n\n", mustText(t, b))
}

func TestSlice(t *testing.T) {
	t.Parallel()
	// Segments: "abc" | "defg" | "hi" (10 bytes in all).
	b := New([]BlobPart{String("abc"), New([]BlobPart{Bytes([]byte("defg"))}, nil), String("hi")},
		&BlobPropertyBag{Type: "text/plain"})
	require.Equal(t, int64(9), b.Size())
	tests := []struct {
		name       string
		start, end int64
		want       string
	}{
		{"all", 0, End, "abcdefghi"},
		{"within one segment", 4, 6, "ef"},
		{"across segments", 2, 8, "cdefgh"},
		{"segment boundaries", 3, 7, "defg"},
		{"negative start", -2, End, "hi"},
		{"negative end", 0, -3, "abcdef"},
		{"both negative", -5, -1, "efgh"},
		{"start below -size clamps to 0", -100, 2, "ab"},
		{"end beyond size clamps", 7, 1 << 40, "hi"},
		{"start beyond size", 20, End, ""},
		{"end before start", 6, 2, ""},
		{"equal", 4, 4, ""},
		{"end of -size", 0, -9, ""},
		{"min int64", -1 << 63, End, "abcdefghi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := b.Slice(tt.start, tt.end, "")
			assert.Equal(t, int64(len(tt.want)), s.Size())
			assert.Equal(t, "", s.Type(), "the type is not inherited")
			assert.Equal(t, tt.want, mustText(t, s))
			assert.Equal(t, tt.want, string(readAll(t, s.Stream())))
			// A slice of a slice is a slice of the original.
			if s.Size() > 1 {
				assert.Equal(t, tt.want[1:len(tt.want)-1], mustText(t, s.Slice(1, -1, "")))
			}
		})
	}
	assert.Equal(t, "x/y", b.Slice(0, 1, "X/Y").Type())
}

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"ascii", []byte("PASS"), "PASS"},
		{"BOM removed", []byte("\xef\xbb\xbfhi"), "hi"},
		{"only the first BOM", []byte("\xef\xbb\xbf\xef\xbb\xbf"), "\ufeff"},
		{"truncated BOM", []byte("\xef\xbb"), "\uFFFD"},
		{"invalid lead bytes one each", []byte{0xc0, 0xc1, 0xf5, 0xff}, "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"maximal subpart", []byte("\xe2\x82a"), "\uFFFDa"},
		{"truncated 4-byte at end", []byte("a\xf0\x9f\x98"), "a\uFFFD"},
		{"overlong", []byte("\xe0\x80\x80"), "\uFFFD\uFFFD\uFFFD"},
		{"surrogate", []byte("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD"},
		{"above U+10FFFF", []byte("\xf4\x90\x80\x80"), "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"valid astral", []byte("\xf0\x9f\x98\x80"), "😀"},
		{"lone continuation", []byte("\x80x"), "\uFFFDx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			one := New([]BlobPart{Bytes(tt.in)}, &BlobPropertyBag{Type: "text/plain;charset=utf-16le"})
			assert.Equal(t, tt.want, mustText(t, one))
			// The same bytes split over segments decode the same.
			var parts []BlobPart
			for _, c := range tt.in {
				parts = append(parts, Bytes([]byte{c}))
			}
			assert.Equal(t, tt.want, mustText(t, New(parts, nil)))
		})
	}
}

func TestStreamReads(t *testing.T) {
	t.Parallel()
	want := strings.Repeat("0123456789", 1000)
	var parts []BlobPart
	for i := 0; i < len(want); i += 997 {
		parts = append(parts, String(want[i:min(i+997, len(want))]))
	}
	b := New(parts, nil)
	require.NoError(t, iotest.TestReader(b.Stream(), []byte(want)))

	r := b.Stream()
	got, err := io.ReadAll(iotest.OneByteReader(r))
	require.NoError(t, err)
	assert.Equal(t, want, string(got))
	_, err = r.Read(make([]byte, 1))
	assert.Equal(t, io.EOF, err, "EOF is sticky")
	require.NoError(t, r.Close())
	require.NoError(t, r.Close(), "Close is idempotent")
	_, err = r.Read(make([]byte, 1))
	assert.ErrorIs(t, err, errClosed)

	// WriteTo to a writer without WriteString goes through a buffer.
	var sink struct{ bytes.Buffer }
	n, err := b.Stream().(io.WriterTo).WriteTo(onlyWriter{&sink})
	require.NoError(t, err)
	assert.Equal(t, int64(len(want)), n)
	assert.Equal(t, want, sink.String())
}

type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.ErrClosedPipe
	}
	n := min(f.n, len(p))
	f.n -= n
	if n < len(p) {
		return n, io.ErrClosedPipe
	}
	return n, nil
}

func TestStreamWriteToError(t *testing.T) {
	t.Parallel()
	b := New([]BlobPart{String(strings.Repeat("x", 100))}, nil)
	r := b.Stream()
	n, err := r.(io.WriterTo).WriteTo(&failWriter{n: 10})
	assert.Equal(t, int64(10), n)
	require.ErrorIs(t, err, io.ErrClosedPipe)
	_, err = r.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.ErrClosedPipe, "errors are sticky")
	require.NoError(t, r.Close())
}

func TestExtractBody(t *testing.T) {
	t.Parallel()
	b := New([]BlobPart{String("hello")}, &BlobPropertyBag{Type: "Text/Plain"})
	for range 2 { // each call is a fresh stream
		body, n, ct, err := b.ExtractBody()
		require.NoError(t, err)
		assert.Equal(t, int64(5), n)
		assert.Equal(t, "text/plain", ct)
		assert.Equal(t, "hello", string(readAll(t, body)))
	}
	_, _, ct, err := New(nil, nil).ExtractBody()
	require.NoError(t, err)
	assert.Equal(t, "", ct)
}

func TestConcurrentReads(t *testing.T) {
	t.Parallel()
	b := New([]BlobPart{String("abc"), Bytes([]byte("def"))}, nil)
	done := make(chan string, 8)
	for range cap(done) {
		go func() {
			s, err := b.Slice(1, End, "").Text()
			if err != nil {
				s = err.Error()
			}
			done <- s
		}()
	}
	for range cap(done) {
		assert.Equal(t, "bcdef", <-done)
	}
}

func TestFromReaderAt(t *testing.T) {
	t.Parallel()
	r := strings.NewReader("0123456789")
	b := FromReaderAt(r, 10, &BlobPropertyBag{Type: "Application/X-Test"})
	assert.Equal(t, int64(10), b.Size())
	assert.Equal(t, "application/x-test", b.Type())
	assert.Equal(t, "3456", mustText(t, b.Slice(3, 7, "")))
	assert.Equal(t, "0123456789", string(readAll(t, b.Stream())))

	short := FromReaderAt(strings.NewReader("abc"), 5, nil)
	_, err := short.Bytes()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, int64(0), FromReaderAt(r, -3, nil).Size())
}

func TestNormalizeTypeNoAlloc(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { _ = normalizeType("text/plain") })
	assert.Equal(t, 0.0, allocs)
}
