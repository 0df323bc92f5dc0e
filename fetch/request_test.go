package fetch

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/formdata"
	"github.com/webnet-go/webnet/url"
)

func TestNewRequestDefaults(t *testing.T) {
	r, err := NewRequest("HTTP://Example.COM/a/../b?x#f", nil)
	require.NoError(t, err)
	assert.Equal(t, "GET", r.Method())
	assert.Equal(t, "http://example.com/b?x#f", r.URL())
	assert.Equal(t, ModeCORS, r.Mode())
	assert.Equal(t, CredentialsSameOrigin, r.Credentials())
	assert.Equal(t, CacheDefault, r.Cache())
	assert.Equal(t, RedirectFollow, r.Redirect())
	assert.Equal(t, "about:client", r.Referrer())
	assert.Equal(t, ReferrerPolicy(""), r.ReferrerPolicy())
	assert.Equal(t, "", r.Integrity())
	assert.False(t, r.Keepalive())
	assert.Equal(t, PriorityAuto, r.Priority())
	assert.Equal(t, DuplexHalf, r.Duplex())
	assert.Equal(t, "", r.Destination())
	assert.False(t, r.IsReloadNavigation())
	assert.False(t, r.IsHistoryNavigation())
	assert.Nil(t, r.Signal())
	assert.Equal(t, GuardRequest, r.Headers().Guard())
	assert.False(t, r.BodyUsed())
	assert.Equal(t, http.NoBody, r.Body())
	assert.False(t, r.BodyUsed(), "a null body stays unused")
}

func TestNewRequestStoresEveryMember(t *testing.T) {
	sig := NewAbortController().Signal()
	init := &RequestInit{
		Method:         "patch",
		Headers:        HeaderMap{"X-A": "1"},
		Body:           String("hi"),
		Referrer:       "https://ref.example/page",
		ReferrerPolicy: ReferrerPolicyOrigin,
		Mode:           ModeSameOrigin,
		Credentials:    CredentialsOmit,
		Cache:          CacheOnlyIfCached,
		Redirect:       RedirectManual,
		Integrity:      "sha256-abc",
		Keepalive:      true,
		Signal:         sig,
		Priority:       PriorityHigh,
		Duplex:         DuplexHalf,
	}
	r, err := NewRequest("https://example.com/", init)
	require.NoError(t, err)
	assert.Equal(t, "patch", r.Method(), "only the six standard methods are upper-cased")
	v, _ := r.Headers().Get("x-a")
	assert.Equal(t, "1", v)
	ct, _ := r.Headers().Get("content-type")
	assert.Equal(t, "text/plain;charset=UTF-8", ct)
	assert.Equal(t, "https://ref.example/page", r.Referrer())
	assert.Equal(t, ReferrerPolicyOrigin, r.ReferrerPolicy())
	assert.Equal(t, ModeSameOrigin, r.Mode())
	assert.Equal(t, CredentialsOmit, r.Credentials())
	assert.Equal(t, CacheOnlyIfCached, r.Cache())
	assert.Equal(t, RedirectManual, r.Redirect())
	assert.Equal(t, "sha256-abc", r.Integrity())
	assert.True(t, r.Keepalive())
	assert.Same(t, sig, r.Signal())
	assert.Equal(t, PriorityHigh, r.Priority())
	text, err := r.Text()
	require.NoError(t, err)
	assert.Equal(t, "hi", text)

	init.Method = "DELETE"
	assert.Equal(t, "patch", r.Method(), "the init is copied")

	for _, m := range []string{"get", "Post", "pUt", "delete", "head", "options"} {
		init := &RequestInit{Method: m}
		r, err := NewRequest("https://example.com/", init)
		require.NoError(t, err)
		assert.Equal(t, strings.ToUpper(m), r.Method())
	}
}

func TestRequestBodyKinds(t *testing.T) {
	fd := formdata.New()
	fd.Append("name", "John")
	tests := []struct {
		name     string
		body     BodyInit
		wantType string
	}{
		{"string", String("x"), "text/plain;charset=UTF-8"},
		{"bytes", Bytes([]byte("x")), ""},
		{"blob", blob.New([]blob.BlobPart{blob.String("x")}, &blob.BlobPropertyBag{Type: "image/png"}), "image/png"},
		{"untyped blob", blob.New([]blob.BlobPart{blob.String("x")}, nil), ""},
		{"file", blob.NewFile([]blob.BlobPart{blob.String("x")}, "a.txt", &blob.FilePropertyBag{Type: "text/plain"}), "text/plain"},
		{"search params", url.NewSearchParams("a=b&c=d"), "application/x-www-form-urlencoded;charset=UTF-8"},
		{"formdata", fd, "multipart/form-data; boundary="},
		{"reader", Reader(strings.NewReader("x")), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRequest("https://example.com/", &RequestInit{Method: "POST", Body: tt.body})
			require.NoError(t, err)
			ct, ok := r.Headers().Get("Content-Type")
			if tt.wantType == "" {
				assert.False(t, ok)
				return
			}
			assert.True(t, strings.HasPrefix(ct, tt.wantType), "%q", ct)
		})
	}
}

func TestRequestBodyReaders(t *testing.T) {
	newReq := func(body BodyInit, ct string) *Request {
		init := &RequestInit{Method: "POST", Body: body}
		if ct != "" {
			init.Headers = HeaderMap{"Content-Type": ct}
		}
		r, err := NewRequest("https://example.com/", init)
		require.NoError(t, err)
		return r
	}
	r := newReq(String(`{"a":[1,2]}`), "application/json")
	var v struct{ A []int }
	require.NoError(t, r.JSON(&v))
	assert.Equal(t, []int{1, 2}, v.A)
	assert.ErrorIs(t, r.JSON(&v), ErrBodyUsed)

	b, err := newReq(Bytes([]byte{0, 1}), "").Bytes()
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 1}, b)

	bl, err := newReq(String("blob"), "Text/Plain; Charset=utf-8").Blob()
	require.NoError(t, err)
	assert.Equal(t, "text/plain;charset=utf-8", bl.Type())
	text, err := bl.Text()
	require.NoError(t, err)
	assert.Equal(t, "blob", text)

	fd, err := newReq(url.NewSearchParams("a=1&b=2"), "").FormData()
	require.NoError(t, err)
	got, _ := fd.Get("b")
	assert.Equal(t, "2", got.String())

	_, err = newReq(String("x"), "text/plain").FormData()
	assert.ErrorIs(t, err, ErrTypeError)

	src := formdata.New()
	src.Append("k", "v")
	fd, err = newReq(src, "").FormData()
	require.NoError(t, err, "a FormData body parses back")
	got, _ = fd.Get("k")
	assert.Equal(t, "v", got.String())

	body := newReq(String("stream"), "").Body()
	data, err := io.ReadAll(body)
	require.NoError(t, err)
	assert.Equal(t, "stream", string(data))
}

func TestRequestClone(t *testing.T) {
	r, err := NewRequest("https://example.com/", &RequestInit{Method: "POST", Body: String("payload"), Headers: HeaderMap{"X-A": "1"}})
	require.NoError(t, err)
	c, err := r.Clone()
	require.NoError(t, err)
	require.NoError(t, c.Headers().Set("X-A", "2"))
	v, _ := r.Headers().Get("x-a")
	assert.Equal(t, "1", v, "headers are copied")
	assert.Equal(t, GuardRequest, c.Headers().Guard())
	a, err := r.Text()
	require.NoError(t, err)
	b, err := c.Text()
	require.NoError(t, err)
	assert.Equal(t, "payload", a)
	assert.Equal(t, "payload", b)
	_, err = r.Clone()
	assert.ErrorIs(t, err, ErrBodyUsed)

	// A stream body is teed.
	s, err := NewRequest("https://example.com/", &RequestInit{Method: "POST", Body: Reader(bytes.NewReader([]byte("streamed")))})
	require.NoError(t, err)
	sc, err := s.Clone()
	require.NoError(t, err)
	a, err = s.Text()
	require.NoError(t, err)
	b, err = sc.Text()
	require.NoError(t, err)
	assert.Equal(t, "streamed", a)
	assert.Equal(t, "streamed", b)
}

func TestRequestNoCORSHeaders(t *testing.T) {
	r, err := NewRequest("https://example.com/", &RequestInit{Mode: ModeNoCORS, Method: "POST", Body: blob.New(nil, &blob.BlobPropertyBag{Type: "image/png"}),
		Headers: HeaderList{{"Accept", "*/*"}, {"X-Custom", "1"}}})
	require.NoError(t, err)
	assert.Equal(t, GuardRequestNoCORS, r.Headers().Guard())
	assert.Equal(t, [][2]string{{"accept", "*/*"}}, collect(r.Headers()), "image/png is not a no-CORS Content-Type")
}

func TestCloneFormDataBodyMatchesItsContentType(t *testing.T) {
	// A FormData has a new boundary on every extraction: a clone must keep
	// the bytes that match the Content-Type already set.
	fd := formdata.New()
	fd.Append("k", "v")
	check := func(got *formdata.FormData, err error) {
		t.Helper()
		require.NoError(t, err)
		v, _ := got.Get("k")
		assert.Equal(t, "v", v.String())
	}

	req, err := NewRequest("https://example.com/", &RequestInit{Method: "POST", Body: fd})
	require.NoError(t, err)
	reqClone, err := req.Clone()
	require.NoError(t, err)
	check(reqClone.FormData())
	check(req.FormData())

	resp, err := NewResponse(fd, nil)
	require.NoError(t, err)
	respClone, err := resp.Clone()
	require.NoError(t, err)
	check(respClone.FormData())
	check(resp.FormData())
}

// TestDefaultRequestOpts checks that the shared options of a request made
// with a nil init are those of an empty init with its defaults applied.
func TestDefaultRequestOpts(t *testing.T) {
	o := RequestInit{Method: "GET"}
	require.NoError(t, o.applyDefaults())
	assert.Equal(t, o, defaultRequestOpts)
	r, err := NewRequest("http://example.com/", nil)
	require.NoError(t, err)
	e, err := NewRequest("http://example.com/", &RequestInit{})
	require.NoError(t, err)
	assert.Equal(t, *e.opts, *r.opts)
}
