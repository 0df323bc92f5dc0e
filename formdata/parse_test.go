package formdata

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ctB = "multipart/form-data; boundary=B"

// mp joins lines with CRLF.
func mp(lines ...string) string { return strings.Join(lines, "\r\n") }

func TestParseMultipart(t *testing.T) {
	t.Parallel()
	body := mp(
		"--B",
		`Content-Disposition: form-data; name="text"`,
		"",
		"\ufeffhello\r\nworld",
		"--B",
		`content-disposition: FORM-DATA;name="file";filename="a%22b%0d%0A.txt"`,
		"Content-Type: Text/Plain; charset=utf-8  ",
		"",
		"file body",
		"--B",
		`Content-Disposition: form-data; name="noType"; filename="n.bin"`,
		"",
		"x",
		"--B",
		`Content-Disposition: form-data; name="star"; filename="fallback.txt"; filename*=UTF-8''%E5%90%8D%20x.txt`,
		"Content-Type: image/p\xc3\xa9ng",
		"",
		"",
		"--B",
		"Content-Disposition: form-data; name=\"bad\xffutf8\"; extra; other=token",
		"",
		"v\xff",
		"--B--",
		"epilogue ignored",
	)
	f, err := Parse(strings.NewReader(body), "Multipart/Form-Data; Boundary=\"B\"")
	require.NoError(t, err)

	var names []string
	for name := range f.Keys() {
		names = append(names, name)
	}
	assert.Equal(t, []string{"text", "file", "noType", "star", "bad\uFFFDutf8"}, names)

	v, _ := f.Get("text")
	assert.Equal(t, "\ufeffhello\r\nworld", v.String(), "UTF-8 decode without BOM keeps the BOM")
	v, _ = f.Get("file")
	require.True(t, v.IsFile())
	assert.Equal(t, "a\"b\r\n.txt", v.File().Name(), "%22, %0D, %0A are decoded")
	assert.Equal(t, "text/plain; charset=utf-8", v.File().Type())
	s, err := v.File().Text()
	require.NoError(t, err)
	assert.Equal(t, "file body", s)
	v, _ = f.Get("noType")
	assert.Equal(t, "text/plain", v.File().Type(), "a file part without Content-Type is text/plain")
	v, _ = f.Get("star")
	assert.Equal(t, "名 x.txt", v.File().Name(), "filename* wins")
	assert.Equal(t, "", v.File().Type(), "a non-ASCII Content-Type becomes empty")
	assert.Equal(t, int64(0), v.File().Size())
	v, _ = f.Get("bad\uFFFDutf8")
	assert.Equal(t, "v\uFFFD", v.String())
}

func TestParseEmptyForm(t *testing.T) {
	t.Parallel()
	f, err := Parse(strings.NewReader("--B--\r\n"), ctB)
	require.NoError(t, err)
	assert.Empty(t, pairs(f))
}

func TestParseURLEncoded(t *testing.T) {
	t.Parallel()
	f, err := Parse(strings.NewReader("a=1&b=x+y&a=%E2%98%83&&c&=d"), "application/x-www-form-urlencoded;charset=UTF-8")
	require.NoError(t, err)
	assert.Equal(t, []string{"a=1", "b=x y", "a=☃", "c=", "=d"}, pairs(f))

	f, err = Parse(strings.NewReader(""), "application/x-www-form-urlencoded")
	require.NoError(t, err)
	assert.Empty(t, pairs(f))
}

func TestParseMalformed(t *testing.T) {
	t.Parallel()
	part := mp("--B", `Content-Disposition: form-data; name="a"`, "", "v", "")
	tests := []struct {
		name, contentType, body, msg string
	}{
		{"unsupported type", "text/plain", "a=b", "neither"},
		{"unparsable type", "multipart", "", "invalid Content-Type"},
		{"empty type", "", "", "invalid Content-Type"},
		{"missing boundary", "multipart/form-data", part + "--B--", "without a boundary"},
		{"empty boundary", "multipart/form-data; boundary=\"\"", part, "boundary"},
		{"boundary too long", "multipart/form-data; boundary=" + strings.Repeat("b", 71), part, "1 to 70"},
		{"boundary bad char", "multipart/form-data; boundary=\"a\\\"b\"", part, "invalid character"},
		{"boundary trailing space", "multipart/form-data; boundary=\"ab \"", part, "ends with a space"},
		{"empty body", ctB, "", "part 1"},
		{"no boundary line", ctB, "just text", "part 1"},
		{"no final boundary", ctB, part, "part 1: unexpected EOF"},
		{"cut after a part", ctB, part + "--B", "part 2"},
		{"truncated part", ctB, mp("--B", `Content-Disposition: form-data; name="a"`, "", "half a val"), "part 1"},
		{"truncated headers", ctB, mp("--B", `Content-Disposition: form-data; name="a"`), "part 1"},
		{"bad header line", ctB, mp("--B", "no colon here", "", "v", "--B--"), "part 1"},
		{"no disposition", ctB, mp("--B", "Content-Type: text/plain", "", "v", "--B--"), "without a Content-Disposition"},
		{"not form-data", ctB, mp("--B", `Content-Disposition: attachment; name="a"`, "", "v", "--B--"), "not form-data"},
		{"no name", ctB, mp("--B", `Content-Disposition: form-data; filename="a"`, "", "v", "--B--"), "has no name"},
		{"unterminated quote", ctB, mp("--B", `Content-Disposition: form-data; name="a`, "", "v", "--B--"), "unterminated"},
		{"junk after quote", ctB, mp("--B", `Content-Disposition: form-data; name="a"b`, "", "v", "--B--"), "unexpected"},
		{"bad filename*", ctB, mp("--B", `Content-Disposition: form-data; name="a"; filename*=nope`, "", "v", "--B--"), "filename*"},
		{"bad filename* escape", ctB, mp("--B", `Content-Disposition: form-data; name="a"; filename*=utf-8''%zz`, "", "v", "--B--"), "filename*"},
		{"unknown filename* charset", ctB, mp("--B", `Content-Disposition: form-data; name="a"; filename*=koi8-r''x`, "", "v", "--B--"), "filename*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse(strings.NewReader(tt.body), tt.contentType)
			require.ErrorIs(t, err, ErrMalformed)
			assert.Nil(t, f)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestParseReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	for _, ct := range []string{ctB, "application/x-www-form-urlencoded"} {
		r := io.MultiReader(strings.NewReader("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nva"), iotest.ErrReader(boom))
		_, err := Parse(r, ct)
		require.ErrorIs(t, err, boom, ct)
		assert.NotErrorIs(t, err, ErrMalformed, "a failing reader is not a malformed body")
	}
}

// The Content-Type goes through the MIME Sniffing Standard's parser.
func TestParseContentTypes(t *testing.T) {
	t.Parallel()
	body := mp("--abc", `Content-Disposition: form-data; name="a"`, "", "v", "--abc--")
	for _, ct := range []string{
		"multipart/form-data; boundary=abc",
		" MULTIPART/Form-Data ;BOUNDARY=abc;boundary=second",
		`multipart/form-data; charset=x; boundary="abc"; x`,
		"multipart/form-data; boundary=abc;",
		"multipart/form-data; bad name=1; boundary=abc",
	} {
		f, err := Parse(strings.NewReader(body), ct)
		require.NoError(t, err, ct)
		assert.Equal(t, []string{"a=v"}, pairs(f), ct)
	}
	for _, ct := range []string{"nosubtype", "/x", "te xt/plain", "multipart/form-data; boundary="} {
		_, err := Parse(strings.NewReader(body), ct)
		assert.ErrorIs(t, err, ErrMalformed, ct)
	}
}

// File parts beyond the memory budget go to one temporary file, which is
// unlinked at once: nothing is left in the temp directory.
func TestParseSpillsLargeFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)

	big := bytes.Repeat([]byte("0123456789abcdef"), (memoryBudget+(1<<20))/16) // 11 MiB
	var body bytes.Buffer
	body.WriteString(mp("--B", `Content-Disposition: form-data; name="small"; filename="s.txt"`, "", "tiny", ""))
	body.WriteString(mp("--B", `Content-Disposition: form-data; name="big"; filename="big.bin"`, "Content-Type: application/octet-stream", "", ""))
	body.Write(big)
	body.WriteString("\r\n")
	body.WriteString(mp("--B", `Content-Disposition: form-data; name="after"; filename="after.txt"`, "", "spilled too", ""))
	body.WriteString(mp("--B", `Content-Disposition: form-data; name="str"`, "", "a string", "--B--"))

	f, err := Parse(&body, ctB)
	require.NoError(t, err)
	left, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary file may stay in the directory")

	v, _ := f.Get("big")
	got, err := v.File().Bytes()
	require.NoError(t, err)
	assert.True(t, bytes.Equal(big, got), "big file content")
	s, err := v.File().Slice(-6, 1<<62, "").Text()
	require.NoError(t, err)
	assert.Equal(t, "abcdef", s)
	for name, want := range map[string]string{"small": "tiny", "after": "spilled too"} {
		v, _ := f.Get(name)
		s, err := v.File().Text()
		require.NoError(t, err)
		assert.Equal(t, want, s, name)
	}
	v, _ = f.Get("str")
	assert.Equal(t, "a string", v.String())
}

func TestParseSpillFailsCleanly(t *testing.T) {
	t.Setenv("TMPDIR", "/nonexistent/dir/for/webnet")
	var body bytes.Buffer
	body.WriteString(mp("--B", `Content-Disposition: form-data; name="big"; filename="big.bin"`, "", ""))
	body.Write(make([]byte, memoryBudget+1))
	body.WriteString("\r\n--B--")
	_, err := Parse(&body, ctB)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "temporary file")
	assert.NotErrorIs(t, err, ErrMalformed, "the body is fine; the temporary file is not")
	assert.ErrorIs(t, err, os.ErrNotExist)
}
