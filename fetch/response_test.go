package fetch

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"github.com/webnet-go/webnet/internal/textenc"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/formdata"
)

func TestNewResponse(t *testing.T) {
	r, err := NewResponse(String("hello"), nil)
	require.NoError(t, err)
	assert.Equal(t, 200, r.Status())
	assert.True(t, r.OK())
	assert.Equal(t, "", r.StatusText())
	assert.Equal(t, ResponseTypeDefault, r.Type())
	assert.Equal(t, "", r.URL())
	assert.False(t, r.Redirected())
	assert.Equal(t, GuardResponse, r.Headers().Guard())
	ct, _ := r.Headers().Get("content-type")
	assert.Equal(t, "text/plain;charset=UTF-8", ct)
	text, err := r.Text()
	require.NoError(t, err)
	assert.Equal(t, "hello", text)

	r, err = NewResponse(nil, &ResponseInit{Status: 599, StatusText: "Custom\tText", Headers: HeaderMap{"Set-Cookie": "x", "X-A": "1"}})
	require.NoError(t, err)
	assert.Equal(t, 599, r.Status())
	assert.False(t, r.OK())
	assert.Equal(t, "Custom\tText", r.StatusText())
	assert.Equal(t, [][2]string{{"x-a", "1"}}, collect(r.Headers()))
	assert.Equal(t, http.NoBody, r.Body())
	text, err = r.Text()
	require.NoError(t, err)
	assert.Equal(t, "", text)

	for _, status := range []int{204, 205, 304} {
		_, err := NewResponse(nil, &ResponseInit{Status: status})
		assert.NoError(t, err)
		_, err = NewResponse(String(""), &ResponseInit{Status: status})
		assert.ErrorIs(t, err, ErrTypeError, "status %d with a body", status)
	}
	for _, status := range []int{-1, 99, 100, 101, 103, 199, 600, 1000} {
		_, err := NewResponse(nil, &ResponseInit{Status: status})
		assert.ErrorIs(t, err, ErrRangeError, "status %d", status)
	}
	for _, text := range []string{"a\nb", "a\rb", "\x00", "\x7f"} {
		_, err := NewResponse(nil, &ResponseInit{StatusText: text})
		assert.ErrorIs(t, err, ErrTypeError)
	}
	_, err = NewResponse(nil, &ResponseInit{Headers: HeaderMap{"a b": "c"}})
	assert.ErrorIs(t, err, ErrInvalidHeader)
	r, err = NewResponse(String("x"), &ResponseInit{Headers: HeaderMap{"Content-Type": "text/html"}})
	require.NoError(t, err)
	ct, _ = r.Headers().Get("content-type")
	assert.Equal(t, "text/html", ct, "the headers' Content-Type wins")
}

func TestErrorAndRedirectResponses(t *testing.T) {
	e := ErrorResponse()
	assert.Equal(t, ResponseTypeError, e.Type())
	assert.Equal(t, 0, e.Status())
	assert.False(t, e.OK())
	assert.ErrorIs(t, e.Headers().Append("a", "b"), ErrTypeError)
	b, err := e.Bytes()
	require.NoError(t, err)
	assert.Empty(t, b)

	r, err := Redirect("https://example.com/a b", 307)
	require.NoError(t, err)
	assert.Equal(t, 307, r.Status())
	loc, _ := r.Headers().Get("Location")
	assert.Equal(t, "https://example.com/a%20b", loc)
	assert.Equal(t, GuardImmutable, r.Headers().Guard())
	_, err = Redirect("https://example.com/", 200)
	assert.ErrorIs(t, err, ErrRangeError)
	_, err = Redirect("not a url", 302)
	assert.ErrorIs(t, err, ErrTypeError)
}

func TestJSONResponse(t *testing.T) {
	r, err := JSONResponse(map[string]any{"a": "<b>&", "n": 1}, &ResponseInit{Status: 201})
	require.NoError(t, err)
	assert.Equal(t, 201, r.Status())
	ct, _ := r.Headers().Get("Content-Type")
	assert.Equal(t, "application/json", ct)
	text, err := r.Text()
	require.NoError(t, err)
	assert.Equal(t, `{"a":"<b>&","n":1}`, text)
	_, err = JSONResponse(func() {}, nil)
	assert.ErrorIs(t, err, ErrTypeError)
	_, err = JSONResponse(1, &ResponseInit{Status: 204})
	assert.ErrorIs(t, err, ErrTypeError)
}

func TestResponseReadTwice(t *testing.T) {
	readers := map[string]func(r *Response) error{
		"Text":     func(r *Response) error { _, err := r.Text(); return err },
		"Bytes":    func(r *Response) error { _, err := r.Bytes(); return err },
		"JSON":     func(r *Response) error { var v any; return r.JSON(&v) },
		"Blob":     func(r *Response) error { _, err := r.Blob(); return err },
		"FormData": func(r *Response) error { _, err := r.FormData(); return err },
		"Clone":    func(r *Response) error { _, err := r.Clone(); return err },
	}
	for first, read := range readers {
		for second, again := range readers {
			t.Run(first+" then "+second, func(t *testing.T) {
				r, err := NewResponse(String(`{}`), &ResponseInit{Headers: HeaderMap{"Content-Type": "application/x-www-form-urlencoded"}})
				require.NoError(t, err)
				if first == "Clone" {
					r.Body()
					assert.ErrorIs(t, read(r), ErrBodyUsed)
					return
				}
				_ = read(r)
				assert.True(t, r.BodyUsed())
				assert.ErrorIs(t, again(r), ErrBodyUsed)
			})
		}
	}
}

func TestResponseBodyDecoding(t *testing.T) {
	r, err := NewResponse(Bytes([]byte("\xEF\xBB\xBFa\xFFb\xF0\x9F\x98c")), nil)
	require.NoError(t, err)
	text, err := r.Text()
	require.NoError(t, err)
	assert.Equal(t, "a\uFFFDb\uFFFDc", text, "BOM dropped, each maximal invalid subpart is one U+FFFD")

	r, err = NewResponse(Bytes([]byte("\xEF\xBB\xBF[1]")), nil)
	require.NoError(t, err)
	var v []int
	require.NoError(t, r.JSON(&v))
	assert.Equal(t, []int{1}, v)

	r, err = NewResponse(String("{"), nil)
	require.NoError(t, err)
	assert.Error(t, r.JSON(&v))
}

func TestDecodeUTF8(t *testing.T) {
	tests := map[string]string{
		"":                 "",
		"abc":              "abc",
		"\xC3\xA9":         "é",
		"\xC3":             "\uFFFD",
		"\xFF\xFE":         "\uFFFD\uFFFD",
		"\xE0\x80\x80":     "\uFFFD\uFFFD\uFFFD",
		"\xED\xA0\x80":     "\uFFFD\uFFFD\uFFFD",
		"\xF4\x90\x80\x80": "\uFFFD\uFFFD\uFFFD\uFFFD",
		"\xF0\x9F\x98":     "\uFFFD",
		"\xF0\x9F\x98x":    "\uFFFDx",
		"\xE2\x82":         "\uFFFD",
		"\xC0\xAF":         "\uFFFD\uFFFD",
	}
	for in, want := range tests {
		assert.Equal(t, want, textenc.UTF8Decode([]byte(in)), "%q", in)
	}
}

func TestResponseFormData(t *testing.T) {
	fd := formdata.New()
	fd.Append("a", "1")
	r, err := NewResponse(fd, nil)
	require.NoError(t, err)
	got, err := r.FormData()
	require.NoError(t, err)
	v, ok := got.Get("a")
	require.True(t, ok)
	assert.Equal(t, "1", v.String())

	r, err = NewResponse(String("--x\r\nbroken"), &ResponseInit{Headers: HeaderMap{"Content-Type": "multipart/form-data; boundary=x"}})
	require.NoError(t, err)
	_, err = r.FormData()
	assert.ErrorIs(t, err, ErrTypeError)
	assert.ErrorIs(t, err, formdata.ErrMalformed)
}

func TestResponseCloneTee(t *testing.T) {
	body := strings.Repeat("0123456789", 10000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	c := newTestClient(t)

	t.Run("both read", func(t *testing.T) {
		r, err := c.Fetch(t.Context(), srv.URL, nil)
		require.NoError(t, err)
		clone, err := r.Clone()
		require.NoError(t, err)
		assert.Equal(t, r.Status(), clone.Status())
		assert.Equal(t, r.URL(), clone.URL())
		a, err := r.Text()
		require.NoError(t, err)
		b, err := clone.Text()
		require.NoError(t, err)
		assert.Equal(t, body, a)
		assert.Equal(t, body, b)
	})
	t.Run("one branch never read", func(t *testing.T) {
		r, err := c.Fetch(t.Context(), srv.URL, nil)
		require.NoError(t, err)
		clone, err := r.Clone()
		require.NoError(t, err)
		a, err := clone.Text()
		require.NoError(t, err, "reading one branch alone does not block")
		assert.Equal(t, body, a)
		require.NoError(t, r.Body().Close())
	})
	t.Run("concurrent branches", func(t *testing.T) {
		r, err := c.Fetch(t.Context(), srv.URL, nil)
		require.NoError(t, err)
		clone, err := r.Clone()
		require.NoError(t, err)
		done := make(chan string)
		go func() {
			s, _ := clone.Text()
			done <- s
		}()
		a, err := r.Text()
		require.NoError(t, err)
		assert.Equal(t, body, a)
		assert.Equal(t, body, <-done)
	})
	t.Run("closed branch drops its buffer", func(t *testing.T) {
		r, err := c.Fetch(t.Context(), srv.URL, nil)
		require.NoError(t, err)
		clone, err := r.Clone()
		require.NoError(t, err)
		require.NoError(t, clone.Body().Close())
		a, err := r.Text()
		require.NoError(t, err)
		assert.Equal(t, body, a)
		tb := r.body.stream.(*teeBranch)
		assert.Equal(t, 0, tb.t.buf[1].Len())
	})
}

func TestIntegrity(t *testing.T) {
	const body = "alert('hi')"
	sum := sha256.Sum256([]byte(body))
	good := "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) }))
	defer srv.Close()
	c := newTestClient(t)
	for _, tt := range []struct {
		integrity string
		ok        bool
	}{
		{good, true},
		{good + "?opt", true},
		{"sha256-AAAA", false},
		{"md5-xyz", true},
		{"sha256-AAAA " + good, true},
		{fmt.Sprintf("%s sha512-AAAA", good), false},
	} {
		resp, err := c.Fetch(t.Context(), srv.URL, &RequestInit{Integrity: tt.integrity})
		if !tt.ok {
			assert.ErrorIs(t, err, ErrNetwork, tt.integrity)
			continue
		}
		require.NoError(t, err, tt.integrity)
		text, err := resp.Text()
		require.NoError(t, err)
		assert.Equal(t, body, text)
	}
}

func TestNullBodyResponses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/204" {
			w.WriteHeader(204)
			return
		}
		_, _ = io.WriteString(w, "body")
	}))
	defer srv.Close()
	c := newTestClient(t)
	resp, err := c.Fetch(t.Context(), srv.URL+"/204", nil)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.Status())
	assert.Equal(t, http.NoBody, resp.Body())
	assert.False(t, resp.BodyUsed())
	resp, err = c.Fetch(t.Context(), srv.URL, &RequestInit{Method: "HEAD"})
	require.NoError(t, err)
	text, err := resp.Text()
	require.NoError(t, err)
	assert.Equal(t, "", text)
}
