package fetch

import (
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/internal/mimetype"
)

func collect(h *Headers) [][2]string {
	var out [][2]string
	for k, v := range h.All() {
		out = append(out, [2]string{k, v})
	}
	return out
}

func TestHeadersBasics(t *testing.T) {
	h, err := NewHeaders(HeaderList{{"Content-Type", " text/plain\t"}, {"X-B", "1"}, {"x-b", "2"}, {"Set-Cookie", "a=1"}, {"set-cookie", "b=2"}, {"A", ""}})
	require.NoError(t, err)
	v, ok := h.Get("content-TYPE")
	assert.True(t, ok)
	assert.Equal(t, "text/plain", v, "leading/trailing HTTP whitespace is stripped")
	v, _ = h.Get("X-B")
	assert.Equal(t, "1, 2", v)
	v, ok = h.Get("a")
	assert.True(t, ok)
	assert.Equal(t, "", v)
	_, ok = h.Get("missing")
	assert.False(t, ok)
	assert.Equal(t, []string{"a=1", "b=2"}, h.GetSetCookie())
	assert.Equal(t, [][2]string{{"a", ""}, {"content-type", "text/plain"}, {"set-cookie", "a=1"}, {"set-cookie", "b=2"}, {"x-b", "1, 2"}}, collect(h))
	assert.Equal(t, []string{"a", "content-type", "set-cookie", "set-cookie", "x-b"}, slices.Collect(h.Keys()))
	assert.Equal(t, []string{"", "text/plain", "a=1", "b=2", "1, 2"}, slices.Collect(h.Values()))

	require.NoError(t, h.Set("X-B", "3"))
	v, _ = h.Get("x-b")
	assert.Equal(t, "3", v)
	require.NoError(t, h.Delete("X-B"))
	assert.False(t, h.Has("x-b"))
	assert.Equal(t, GuardNone, h.Guard())

	var zero Headers
	require.NoError(t, zero.Append("A", "b"))
	assert.True(t, zero.Has("a"))
}

func TestHeadersSetKeepsPosition(t *testing.T) {
	h := &Headers{}
	for _, p := range [][2]string{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "4"}} {
		require.NoError(t, h.Append(p[0], p[1]))
	}
	require.NoError(t, h.Set("A", "x"))
	assert.Equal(t, []header{{"a", "x"}, {"b", "2"}, {"c", "4"}}, h.list)
}

func TestHeadersInvalid(t *testing.T) {
	h := &Headers{}
	for _, name := range []string{"", "a b", "a:b", "é", "a\x00"} {
		err := h.Append(name, "v")
		assert.ErrorIs(t, err, ErrInvalidHeader, "name %q", name)
		assert.ErrorIs(t, h.Set(name, "v"), ErrInvalidHeader)
		assert.ErrorIs(t, h.Delete(name), ErrInvalidHeader)
		assert.False(t, h.Has(name))
	}
	for _, value := range []string{"a\x00b", "a\rb", "a\nb", "\x00"} {
		err := h.Append("X-Name", value)
		assert.ErrorIs(t, err, ErrInvalidHeader)
		assert.ErrorIs(t, err, ErrTypeError)
		assert.ErrorContains(t, err, `"X-Name"`)
	}
	assert.Empty(t, collect(h))
	_, err := NewHeaders(HeaderMap{"ok": "1", "bad name": "2"})
	assert.ErrorIs(t, err, ErrInvalidHeader)
}

func TestHeadersGuards(t *testing.T) {
	t.Run("immutable", func(t *testing.T) {
		h := HeadersFromHTTP(http.Header{"A": {"1"}}, GuardImmutable)
		assert.ErrorIs(t, h.Append("b", "2"), ErrTypeError)
		assert.ErrorIs(t, h.Set("a", "2"), ErrTypeError)
		assert.ErrorIs(t, h.Delete("a"), ErrTypeError)
		v, _ := h.Get("a")
		assert.Equal(t, "1", v)
		assert.Equal(t, GuardImmutable, h.Guard())
	})
	t.Run("response", func(t *testing.T) {
		h := &Headers{guard: GuardResponse}
		require.NoError(t, h.Append("Set-Cookie", "a=b"))
		require.NoError(t, h.Append("Set-Cookie2", "a=b"))
		require.NoError(t, h.Append("X", "y"))
		assert.Equal(t, [][2]string{{"x", "y"}}, collect(h))
	})
	t.Run("request", func(t *testing.T) {
		h := &Headers{guard: GuardRequest}
		require.NoError(t, h.Append("Cookie", "a=b"))
		require.NoError(t, h.Set("Sec-Fetch-Mode", "cors"))
		require.NoError(t, h.Append("X-HTTP-Method-Override", "GET, TRACE"))
		require.NoError(t, h.Append("X-HTTP-Method-Override", "PATCH"))
		assert.Equal(t, [][2]string{{"x-http-method-override", "PATCH"}}, collect(h))
		assert.Equal(t, http.Header{"X-Http-Method-Override": {"PATCH"}}, h.HTTPHeader())
		assert.Equal(t, http.Header{"X-Http-Method-Override": {"PATCH", "GET, TRACE"}, "Cookie": {"a=b"}, "Sec-Fetch-Mode": {"cors"}},
			toHTTPHeader(0, h.list, h.hidden), "hidden entries are kept for AllowForbiddenHeaders")
		require.NoError(t, h.Delete("cookie"))
		assert.Len(t, h.hidden, 2)
	})
	t.Run("request-no-cors", func(t *testing.T) {
		h := &Headers{guard: GuardRequestNoCORS}
		require.NoError(t, h.Append("Accept", "text/html"))
		require.NoError(t, h.Append("Range", "bytes=0-1"))
		require.NoError(t, h.Append("X-Custom", "1"))
		require.NoError(t, h.Set("Content-Type", "application/json"))
		assert.Equal(t, [][2]string{{"accept", "text/html"}}, collect(h))
		require.NoError(t, h.Delete("X-Custom"))
		require.NoError(t, h.Delete("accept"))
		assert.Empty(t, collect(h))
	})
}

func TestHeadersHTTPConversion(t *testing.T) {
	src := http.Header{"Content-Type": {"text/plain"}, "X-Multi": {"a", " b "}, "Set-Cookie": {"a=1", "b=2"}, "Bad": {"x\ny"}}
	h := HeadersFromHTTP(src, GuardNone)
	assert.Equal(t, [][2]string{{"content-type", "text/plain"}, {"set-cookie", "a=1"}, {"set-cookie", "b=2"}, {"x-multi", "a, b"}}, collect(h),
		"values are normalized and an invalid entry is skipped")
	back := h.HTTPHeader()
	assert.Equal(t, http.Header{"Content-Type": {"text/plain"}, "X-Multi": {"a", "b"}, "Set-Cookie": {"a=1", "b=2"}}, back)
	back.Set("Content-Type", "changed")
	v, _ := h.Get("content-type")
	assert.Equal(t, "text/plain", v, "HTTPHeader returns a copy")

	resp := HeadersFromHTTP(src, GuardResponse)
	assert.Empty(t, resp.GetSetCookie(), "the response guard drops Set-Cookie")

	trusted := trustedHeaders(http.Header{"X-A": {"1", "2"}, "Content-Length": {"3"}}, GuardImmutable)
	v, ok := trusted.Get("x-a")
	assert.True(t, ok)
	assert.Equal(t, "1, 2", v)
	v, _ = trusted.Get("content-length")
	assert.Equal(t, "3", v)
	assert.False(t, trusted.Has("nope"))
	assert.Equal(t, map[string]string{"content-length": "3", "x-a": "1, 2"}, maps.Collect(trusted.All()))
}

func TestHeadersFillFromItself(t *testing.T) {
	h, err := NewHeaders(HeaderMap{"A": "1"})
	require.NoError(t, err)
	require.NoError(t, h.fill(h))
	v, _ := h.Get("a")
	assert.Equal(t, "1, 1", v)
}

func TestSplitHeaderValue(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{""}},
		{"a", []string{"a"}},
		{"a, b ,c", []string{"a", "b", "c"}},
		{`",TRACE",`, []string{`",TRACE"`, ""}},
		{`"a\"b", c`, []string{`"a\"b"`, "c"}},
		{`"unterminated`, []string{`"unterminated`}},
		{`x"a,b"y,z`, []string{`x"a,b"y`, "z"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, splitHeaderValue(tt.in), "%q", tt.in)
	}
}

func TestIsForbiddenRequestHeader(t *testing.T) {
	assert.True(t, IsForbiddenRequestHeader("ACCEPT-CHARSET", ""))
	assert.True(t, IsForbiddenRequestHeader("proxy-x", ""))
	assert.True(t, IsForbiddenRequestHeader("X-Method-Override", "connect"))
	assert.False(t, IsForbiddenRequestHeader("X-Method-Override", "POST"))
	assert.False(t, IsForbiddenRequestHeader("User-Agent", "x"))
	assert.True(t, IsForbiddenResponseHeaderName("SET-COOKIE2"))
	assert.False(t, IsForbiddenResponseHeaderName("Cookie"))
}

// splitHeaderValue collects mimetype.SplitHeaderValue, the split fetch's
// method-override rule uses, for the table above.
func splitHeaderValue(s string) []string { return slices.Collect(mimetype.SplitHeaderValue(s)) }
