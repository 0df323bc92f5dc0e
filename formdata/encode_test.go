package formdata

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/blob"
)

func readBody(t *testing.T, r io.ReadCloser) []byte {
	t.Helper()
	defer r.Close()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return b
}

func TestEncodeExactBytes(t *testing.T) {
	t.Parallel()
	f := New()
	f.Append("field", "line1\nline2\rline3\r\nend")
	f.Append("quote\"d\nname", "")
	f.AppendBlob("upload", blob.New([]blob.BlobPart{blob.String("PNG")}, &blob.BlobPropertyBag{Type: "image/png"}), "a\"b\r\n.png")
	f.AppendFile("untyped", blob.NewFile([]blob.BlobPart{blob.Bytes([]byte{0, 1})}, "raw", nil), "")
	f.AppendFile("empty", blob.NewFile(nil, "e.txt", &blob.FilePropertyBag{Type: "text/plain"}), "")

	pieces, length := encode(f.entries, "BOUNDARY")
	got := readBody(t, &bodyReader{pieces: pieces})
	want := "--BOUNDARY\r\n" +
		"Content-Disposition: form-data; name=\"field\"\r\n\r\n" +
		"line1\r\nline2\r\nline3\r\nend\r\n" +
		"--BOUNDARY\r\n" +
		"Content-Disposition: form-data; name=\"quote%22d%0D%0Aname\"\r\n\r\n" +
		"\r\n" +
		"--BOUNDARY\r\n" +
		"Content-Disposition: form-data; name=\"upload\"; filename=\"a%22b%0D%0A.png\"\r\n" +
		"Content-Type: image/png\r\n\r\n" +
		"PNG\r\n" +
		"--BOUNDARY\r\n" +
		"Content-Disposition: form-data; name=\"untyped\"; filename=\"raw\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\n" +
		"\x00\x01\r\n" +
		"--BOUNDARY\r\n" +
		"Content-Disposition: form-data; name=\"empty\"; filename=\"e.txt\"\r\n" +
		"Content-Type: text/plain\r\n\r\n" +
		"\r\n" +
		"--BOUNDARY--\r\n"
	assert.Equal(t, want, string(got))
	assert.Equal(t, int64(len(want)), length)

	empty, n := encode(nil, "B")
	assert.Equal(t, "--B--\r\n", string(readBody(t, &bodyReader{pieces: empty})))
	assert.Equal(t, int64(7), n)
}

func TestNormalizeNewlines(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":            "",
		"plain":       "plain",
		"\r":          "\r\n",
		"\n":          "\r\n",
		"\r\n":        "\r\n",
		"\n\r":        "\r\n\r\n",
		"\r\r\n\n":    "\r\n\r\n\r\n",
		"a\rb\nc\r\n": "a\r\nb\r\nc\r\n",
	} {
		assert.Equal(t, want, normalizeNewlines(in), "%q", in)
	}
}

var boundaryPattern = regexp.MustCompile(`^multipart/form-data; boundary=(----webnetFormBoundary[A-Za-z0-9]{16})$`)

func TestBoundaryFreshPerCall(t *testing.T) {
	t.Parallel()
	f := New()
	f.Append("a", "b")
	seen := make(map[string]bool)
	for range 200 {
		body, _, ct, err := f.ExtractBody()
		require.NoError(t, err)
		require.NoError(t, body.Close())
		m := boundaryPattern.FindStringSubmatch(ct)
		require.NotNil(t, m, ct)
		assert.False(t, seen[m[1]], "boundary repeated")
		seen[m[1]] = true
		// The Content-Type parses as MIME with the boundary intact.
		_, params, err := mime.ParseMediaType(ct)
		require.NoError(t, err)
		assert.Equal(t, m[1], params["boundary"])
	}
}

// decodeMultipart reads a body with mime/multipart and returns its parts.
type decodedPart struct {
	name, filename, contentType string
	disposition                 string
	data                        string
}

func decodeMultipart(t *testing.T, body []byte, contentType string) []decodedPart {
	t.Helper()
	_, params, err := mime.ParseMediaType(contentType)
	require.NoError(t, err)
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var out []decodedPart
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		data, err := io.ReadAll(p)
		require.NoError(t, err)
		out = append(out, decodedPart{
			name: p.FormName(), filename: p.FileName(), contentType: p.Header.Get("Content-Type"),
			disposition: p.Header.Get("Content-Disposition"), data: string(data),
		})
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	type ent struct {
		name, value string
		file        *blob.File
	}
	big := strings.Repeat("0123456789abcdef", 1000) // beyond inlineValueMax
	entries := []ent{
		{name: "plain", value: "value"},
		{name: "empty value", value: ""},
		{name: "", value: "empty name"},
		{name: `quo"te`, value: `say "hi"`},
		{name: "cr\rlf\nboth\r\n", value: "a\rb\nc\r\nd"},
		{name: "ünïcødé 名前 😀", value: "значение ☃"},
		{name: "big", value: big},
		{name: "percent%22name", value: "%0A stays"},
		{name: "file", file: blob.NewFile([]blob.BlobPart{blob.Bytes([]byte("\x00\xff\r\n--not a boundary\r\n"))}, `we"ird\r\n名.bin`,
			&blob.FilePropertyBag{Type: "Application/X-Thing"})},
		{name: "empty file", file: blob.NewFile(nil, "", nil)},
	}
	for i := range 60 { // many parts
		entries = append(entries, ent{name: "n" + strings.Repeat("x", i), value: strings.Repeat("v", i)})
	}
	f := New()
	for _, e := range entries {
		if e.file != nil {
			f.AppendFile(e.name, e.file, "")
		} else {
			f.Append(e.name, e.value)
		}
	}

	body, length, ct, err := f.ExtractBody()
	require.NoError(t, err)
	raw := readBody(t, body)
	assert.Equal(t, int64(len(raw)), length, "the announced length is what the reader produced")

	t.Run("mime/multipart", func(t *testing.T) {
		parts := decodeMultipart(t, raw, ct)
		require.Len(t, parts, len(entries))
		for i, e := range entries {
			p := parts[i]
			escName := nameEscaper.Replace(normalizeNewlines(e.name))
			wantDisp := `form-data; name="` + escName + `"`
			if e.file != nil {
				wantDisp += `; filename="` + nameEscaper.Replace(e.file.Name()) + `"`
				data, err := e.file.Bytes()
				require.NoError(t, err)
				assert.Equal(t, string(data), p.data)
				wantType := e.file.Type()
				if wantType == "" {
					wantType = "application/octet-stream"
				}
				assert.Equal(t, wantType, p.contentType)
			} else {
				assert.Equal(t, normalizeNewlines(e.value), p.data)
				assert.Empty(t, p.contentType, "string parts have no Content-Type")
			}
			assert.Equal(t, wantDisp, p.disposition)
			assert.Equal(t, escName, p.name)
		}
	})

	t.Run("Parse", func(t *testing.T) {
		back, err := Parse(bytes.NewReader(raw), ct)
		require.NoError(t, err)
		var i int
		for name, v := range back.All() {
			require.Less(t, i, len(entries))
			e := entries[i]
			assert.Equal(t, normalizeNewlines(strings.ReplaceAll(e.name, "%22", `"`)), name)
			if e.file != nil {
				require.True(t, v.IsFile(), name)
				assert.Equal(t, e.file.Name(), v.File().Name())
				wantType := strings.ToLower(e.file.Type())
				if wantType == "" {
					wantType = "application/octet-stream" // as sent
				}
				assert.Equal(t, wantType, v.File().Type())
				want, err := e.file.Bytes()
				require.NoError(t, err)
				got, err := v.File().Bytes()
				require.NoError(t, err)
				assert.Equal(t, want, got)
			} else {
				require.False(t, v.IsFile(), name)
				assert.Equal(t, normalizeNewlines(e.value), v.String())
			}
			i++
		}
		assert.Equal(t, len(entries), i)
	})
}

func TestExtractBodyWriteToMatchesRead(t *testing.T) {
	t.Parallel()
	f := New()
	f.Append("a", strings.Repeat("x", 10000))
	f.AppendBlob("b", blob.New([]blob.BlobPart{blob.String("blob")}, nil), "")
	f.Append("c", "y")

	b1, n1, ct1, err := f.ExtractBody()
	require.NoError(t, err)
	viaRead := readBody(t, struct {
		io.Reader
		io.Closer
	}{b1, b1})
	b2, n2, ct2, err := f.ExtractBody()
	require.NoError(t, err)
	var buf bytes.Buffer
	n, err := b2.(io.WriterTo).WriteTo(&buf)
	require.NoError(t, err)
	require.NoError(t, b2.Close())
	assert.Equal(t, n2, n)
	assert.Equal(t, n1, int64(len(viaRead)))
	// Same bytes up to the boundary.
	b1s := strings.TrimPrefix(ct1, "multipart/form-data; boundary=")
	b2s := strings.TrimPrefix(ct2, "multipart/form-data; boundary=")
	assert.Equal(t, string(viaRead), strings.ReplaceAll(buf.String(), b2s, b1s))

	// Byte-at-a-time reads give the same.
	b3, _, ct3, err := f.ExtractBody()
	require.NoError(t, err)
	var one bytes.Buffer
	p := make([]byte, 1)
	for {
		k, err := b3.Read(p)
		one.Write(p[:k])
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	require.NoError(t, b3.Close())
	b3s := strings.TrimPrefix(ct3, "multipart/form-data; boundary=")
	assert.Equal(t, string(viaRead), strings.ReplaceAll(one.String(), b3s, b1s))
}

func TestExtractBodySnapshot(t *testing.T) {
	t.Parallel()
	f := New()
	f.Append("a", "1")
	body, length, ct, err := f.ExtractBody()
	require.NoError(t, err)
	f.Append("b", "2") // after ExtractBody: not in this body
	f.Set("a", "changed")
	raw := readBody(t, body)
	assert.Equal(t, int64(len(raw)), length)
	parts := decodeMultipart(t, raw, ct)
	require.Len(t, parts, 1)
	assert.Equal(t, "1", parts[0].data)
}

func TestExtractBodyClose(t *testing.T) {
	t.Parallel()
	f := New()
	f.Append("a", "1")
	body, _, _, err := f.ExtractBody()
	require.NoError(t, err)
	require.NoError(t, body.Close())
	require.NoError(t, body.Close())
	_, err = body.Read(make([]byte, 10))
	assert.ErrorIs(t, err, errClosed)
	_, err = body.(io.WriterTo).WriteTo(io.Discard)
	assert.ErrorIs(t, err, errClosed)
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func TestExtractBodyFileChanged(t *testing.T) {
	t.Parallel()
	p := writeTemp(t, "doc.txt", "original")
	file, err := blob.OpenFile(p, nil)
	require.NoError(t, err)
	f := New()
	f.AppendFile("doc", file, "")
	require.NoError(t, os.WriteFile(p, []byte("changed and longer"), 0o600))

	for _, read := range []func(io.Reader) error{
		func(r io.Reader) error { _, err := io.ReadAll(r); return err },
		func(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err },
	} {
		body, _, _, err := f.ExtractBody()
		require.NoError(t, err)
		err = read(body)
		require.ErrorIs(t, err, blob.ErrNotReadable)
		assert.Contains(t, err.Error(), `entry "doc"`)
		_, err = body.Read(make([]byte, 1))
		assert.ErrorIs(t, err, blob.ErrNotReadable, "errors are sticky")
		require.NoError(t, body.Close())
	}
}

func countFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(entries)
}

func TestExtractBodyReleasesFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts /proc/self/fd")
	}
	file, err := blob.OpenFile(writeTemp(t, "f.bin", strings.Repeat("z", 100_000)), nil)
	require.NoError(t, err)
	f := New()
	f.AppendFile("one", file, "")
	f.Append("between", "x")
	f.AppendFile("two", file, "copy.bin")
	before := countFDs(t)
	for i := range 100 {
		body, _, _, err := f.ExtractBody()
		require.NoError(t, err)
		switch i % 3 {
		case 0:
			_, err = io.Copy(io.Discard, body)
			require.NoError(t, err)
		case 1:
			_, err = body.Read(make([]byte, 50_000)) // stops inside a file
			require.NoError(t, err)
		}
		require.NoError(t, body.Close())
	}
	assert.Equal(t, before, countFDs(t))
}

// An upload through net/http carries Content-Length, not chunked encoding,
// and the server's multipart parser sees the entries.
func TestUploadOverHTTP(t *testing.T) {
	t.Parallel()
	type seen struct {
		contentLength    int64
		transferEncoding []string
		first            string
		fileName, file   string
		err              error
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := seen{contentLength: r.ContentLength, transferEncoding: r.TransferEncoding}
		s.err = r.ParseMultipartForm(1 << 20)
		if s.err == nil {
			s.first = r.FormValue("firstName")
			if fh := r.MultipartForm.File["image"]; len(fh) == 1 {
				s.fileName = fh[0].Filename
				if fr, err := fh[0].Open(); err == nil {
					b, _ := io.ReadAll(fr)
					fr.Close()
					s.file = string(b)
				}
			}
		}
		got <- s
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(srv.Client().CloseIdleConnections)

	f := New()
	f.Append("firstName", "John")
	image := blob.New([]blob.BlobPart{blob.Bytes([]byte("\x89PNG..."))}, &blob.BlobPropertyBag{Type: "image/png"})
	f.AppendBlob("image", image, "image.png")
	body, length, ct, err := f.ExtractBody()
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, body)
	require.NoError(t, err)
	req.ContentLength = length
	req.Header.Set("Content-Type", ct)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	s := <-got // the handler finished before the response came back
	require.NoError(t, s.err)
	assert.Equal(t, length, s.contentLength)
	assert.Empty(t, s.transferEncoding)
	assert.Equal(t, "John", s.first)
	assert.Equal(t, "image.png", s.fileName)
	assert.Equal(t, "\x89PNG...", s.file)
}
