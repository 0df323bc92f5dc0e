package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/formdata"
)

// echoServer replies with a JSON description of the request it received.
func echoServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		_ = json.NewEncoder(w).Encode(echo{
			Method:        r.Method,
			Path:          r.URL.RequestURI(),
			Header:        r.Header,
			Body:          string(body),
			ContentLength: r.ContentLength,
			Chunked:       len(r.TransferEncoding) > 0,
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

type echo struct {
	Method        string
	Path          string
	Header        http.Header
	Body          string
	ContentLength int64
	Chunked       bool
}

func TestFetchGET(t *testing.T) {
	srv := echoServer(t)
	c := newTestClient(t)
	resp, err := c.Fetch(t.Context(), srv.URL+"/a?b=c#frag", nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.Status())
	assert.True(t, resp.OK())
	assert.Equal(t, "OK", resp.StatusText())
	assert.Equal(t, ResponseTypeBasic, resp.Type())
	assert.Equal(t, srv.URL+"/a?b=c", resp.URL())
	assert.False(t, resp.Redirected())
	ct, ok := resp.Headers().Get("content-type")
	assert.True(t, ok)
	assert.Equal(t, "application/json", ct)
	multi, _ := resp.Headers().Get("X-MULTI")
	assert.Equal(t, "a, b", multi)
	var e echo
	require.NoError(t, resp.JSON(&e))
	assert.Equal(t, "GET", e.Method)
	assert.Equal(t, "/a?b=c", e.Path)
	assert.Equal(t, "*/*", e.Header.Get("Accept"))
	assert.True(t, resp.BodyUsed())
	_, err = resp.Text()
	assert.ErrorIs(t, err, ErrBodyUsed)
	assert.ErrorIs(t, err, ErrTypeError)
}

func TestFetchPOSTBodies(t *testing.T) {
	srv := echoServer(t)
	c := newTestClient(t)
	tests := []struct {
		name      string
		body      BodyInit
		headers   HeadersInit
		wantType  string
		wantBody  string
		wantLen   int64
		wantChunk bool
	}{
		{"string", String("héllo"), nil, "text/plain;charset=UTF-8", "héllo", 6, false},
		{"bytes", Bytes([]byte{1, 2, 3}), nil, "", "\x01\x02\x03", 3, false},
		{"string with own type", String(`{"a":1}`), HeaderMap{"Content-Type": "application/json;charset=utf-8"}, "application/json;charset=utf-8", `{"a":1}`, 7, false},
		{"reader", Reader(strings.NewReader("streamed")), nil, "", "streamed", -1, true},
		{"reader with length", ReaderWithLength(strings.NewReader("sized"), 5), nil, "", "sized", 5, false},
		{"empty bytes", Bytes(nil), nil, "", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Fetch(t.Context(), srv.URL, &RequestInit{Method: "post", Body: tt.body, Headers: tt.headers})
			require.NoError(t, err)
			var e echo
			require.NoError(t, resp.JSON(&e))
			assert.Equal(t, "POST", e.Method)
			assert.Equal(t, tt.wantType, e.Header.Get("Content-Type"))
			assert.Equal(t, tt.wantBody, e.Body)
			assert.Equal(t, tt.wantLen, e.ContentLength)
			assert.Equal(t, tt.wantChunk, e.Chunked)
		})
	}
}

func TestFetchHTTPErrorStatusIsNotAnError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	resp, err := newTestClient(t).Fetch(t.Context(), srv.URL, nil)
	require.NoError(t, err)
	assert.Equal(t, 404, resp.Status())
	assert.False(t, resp.OK())
	assert.Equal(t, "Not Found", resp.StatusText())
	text, err := resp.Text()
	require.NoError(t, err)
	assert.Equal(t, "nope\n", text)
}

func TestFetchConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	_, err := newTestClient(t).Fetch(t.Context(), u, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNetwork)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	assert.False(t, errors.Is(err, ErrAbort))
}

func TestFetchContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := newTestClient(t).Fetch(ctx, "http://127.0.0.1:1/", nil)
	assert.ErrorIs(t, err, ErrAbort)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestFetchDataURL(t *testing.T) {
	c := newTestClient(t)
	resp, err := c.Fetch(t.Context(), "data:text/plain;base64,SGVsbG8=#frag", nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.Status())
	assert.Equal(t, "OK", resp.StatusText())
	assert.Equal(t, "data:text/plain;base64,SGVsbG8=", resp.URL())
	ct, _ := resp.Headers().Get("Content-Type")
	assert.Equal(t, "text/plain", ct)
	text, err := resp.Text()
	require.NoError(t, err)
	assert.Equal(t, "Hello", text)

	resp, err = c.Fetch(t.Context(), "data:,a%20b", &RequestInit{Method: "POST", Body: String("ignored")})
	require.NoError(t, err)
	ct, _ = resp.Headers().Get("Content-Type")
	assert.Equal(t, "text/plain;charset=US-ASCII", ct)
	text, _ = resp.Text()
	assert.Equal(t, "a b", text)

	_, err = c.Fetch(t.Context(), "data:;base64,%", nil)
	assert.ErrorIs(t, err, ErrNetwork)
}

func TestAllowForbiddenHeaders(t *testing.T) {
	srv := echoServer(t)
	headers := HeaderMap{"Cookie": "a=b", "Origin": "https://app.example", "Sec-Custom": "1", "Host": "virtual.example", "X-Ok": "1"}

	resp, err := newTestClient(t).Fetch(t.Context(), srv.URL, &RequestInit{Headers: headers})
	require.NoError(t, err)
	var e echo
	require.NoError(t, resp.JSON(&e))
	assert.Empty(t, e.Header.Get("Cookie"))
	assert.Empty(t, e.Header.Get("Origin"))
	assert.Empty(t, e.Header.Get("Sec-Custom"))
	assert.Equal(t, "1", e.Header.Get("X-Ok"))

	c := newTestClient(t)
	c.AllowForbiddenHeaders = true
	var host string
	hostSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host = r.Host
		writeEcho(w, r, nil)
	}))
	defer hostSrv.Close()
	resp, err = c.Fetch(t.Context(), hostSrv.URL, &RequestInit{Headers: headers})
	require.NoError(t, err)
	e = echo{}
	require.NoError(t, resp.JSON(&e))
	assert.Equal(t, "a=b", e.Header.Get("Cookie"))
	assert.Equal(t, "https://app.example", e.Header.Get("Origin"))
	assert.Equal(t, "1", e.Header.Get("Sec-Custom"))
	assert.Equal(t, "virtual.example", host)
}

func TestCredentialsOmitSkipsJar(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "s", Value: "1", Path: "/"})
		}
		writeEcho(w, r, nil)
	}))
	defer srv.Close()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := newTestClient(t)
	c.HTTPClient.Jar = jar
	resp, err := c.Fetch(t.Context(), srv.URL+"/set", nil)
	require.NoError(t, err)
	_, _ = resp.Bytes()

	for _, tt := range []struct {
		cred RequestCredentials
		want string
	}{{"", "s=1"}, {CredentialsInclude, "s=1"}, {CredentialsOmit, ""}} {
		resp, err := c.Fetch(t.Context(), srv.URL+"/get", &RequestInit{Credentials: tt.cred})
		require.NoError(t, err)
		var e echo
		require.NoError(t, resp.JSON(&e))
		assert.Equal(t, tt.want, e.Header.Get("Cookie"), "credentials %q", tt.cred)
	}
}

func TestCacheModeHeaders(t *testing.T) {
	srv := echoServer(t)
	c := newTestClient(t)
	for _, tt := range []struct {
		mode          RequestCache
		pragma, cache string
	}{{"", "", ""}, {CacheNoStore, "no-cache", "no-cache"}, {CacheReload, "no-cache", "no-cache"}, {CacheNoCache, "", "max-age=0"}, {CacheForceCache, "", ""}} {
		resp, err := c.Fetch(t.Context(), srv.URL, &RequestInit{Cache: tt.mode})
		require.NoError(t, err)
		var e echo
		require.NoError(t, resp.JSON(&e))
		assert.Equal(t, tt.pragma, e.Header.Get("Pragma"), tt.mode)
		assert.Equal(t, tt.cache, e.Header.Get("Cache-Control"), tt.mode)
	}
}

func TestReferrer(t *testing.T) {
	srv := echoServer(t)
	c := newTestClient(t)
	same := srv.URL + "/page?q#frag"
	tests := []struct {
		referrer string
		policy   ReferrerPolicy
		want     string
	}{
		{"", "", ""},
		{same, "", srv.URL + "/page?q"},
		{"http://user:pw@other.example/p?q#f", "", "http://other.example/"},
		{"http://user:pw@other.example/p?q#f", ReferrerPolicyUnsafeURL, "http://other.example/p?q"},
		// Loopback is potentially trustworthy: https -> 127.0.0.1 is no downgrade.
		{"https://secure.example/p", "", "https://secure.example/"},
		{"https://secure.example/p", ReferrerPolicyUnsafeURL, "https://secure.example/p"},
		{same, ReferrerPolicyNoReferrer, ""},
		{same, ReferrerPolicyOrigin, srv.URL + "/"},
		{"http://other.example/p", ReferrerPolicySameOrigin, ""},
		{same, ReferrerPolicySameOrigin, srv.URL + "/page?q"},
		{"http://other.example/p", ReferrerPolicyOriginWhenCrossOrigin, "http://other.example/"},
		{"https://secure.example/p", ReferrerPolicyStrictOrigin, "https://secure.example/"},
		{"https://secure.example/p", ReferrerPolicyNoReferrerWhenDowngrade, "https://secure.example/p"},
		{"http://other.example/p", ReferrerPolicyNoReferrerWhenDowngrade, "http://other.example/p"},
	}
	for _, tt := range tests {
		resp, err := c.Fetch(t.Context(), srv.URL, &RequestInit{Referrer: tt.referrer, ReferrerPolicy: tt.policy})
		require.NoError(t, err)
		var e echo
		require.NoError(t, resp.JSON(&e))
		assert.Equal(t, tt.want, e.Header.Get("Referer"), "%q %q", tt.referrer, tt.policy)
	}
}

func TestFetchBlobAndBlobResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		_, _ = io.Copy(w, r.Body)
	}))
	defer srv.Close()
	img := blob.New([]blob.BlobPart{blob.String("<svg/>")}, &blob.BlobPropertyBag{Type: "image/svg+xml"})
	resp, err := newTestClient(t).Fetch(t.Context(), srv.URL, &RequestInit{Method: "POST", Body: img})
	require.NoError(t, err)
	b, err := resp.Blob()
	require.NoError(t, err)
	assert.Equal(t, "image/svg+xml", b.Type())
	assert.Equal(t, int64(6), b.Size())
}

func TestFormDataRedirectKeepsBoundaryConsistent(t *testing.T) {
	srv := redirectServer(t)
	mux := http.NewServeMux()
	var got *formdata.FormData
	var parseErr error
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		got, parseErr = formdata.Parse(r.Body, r.Header.Get("Content-Type"))
	})
	target := httptest.NewServer(mux)
	defer target.Close()
	fd := formdata.New()
	fd.Append("name", "John")
	fd.AppendBlob("file", blob.New([]blob.BlobPart{blob.String("content")}, nil), "a.txt")
	resp, err := newTestClient(t).Fetch(t.Context(), srv.URL+"/to?status=307&url="+target.URL, &RequestInit{Method: "POST", Body: fd})
	require.NoError(t, err)
	_, _ = resp.Bytes()
	require.NoError(t, parseErr)
	v, ok := got.Get("name")
	require.True(t, ok)
	assert.Equal(t, "John", v.String())
	f, ok := got.Get("file")
	require.True(t, ok)
	assert.Equal(t, "a.txt", f.File().Name())
}

func TestDetermineReferrerDowngrade(t *testing.T) {
	plain, err := parseURL("http://plain.example/x")
	require.NoError(t, err)
	for _, policy := range []ReferrerPolicy{"", ReferrerPolicyStrictOrigin, ReferrerPolicyNoReferrerWhenDowngrade, ReferrerPolicyStrictOriginWhenCrossOrigin} {
		assert.Equal(t, "", determineReferrer("https://secure.example/p", policy, plain), policy)
	}
	assert.Equal(t, "https://secure.example/", determineReferrer("https://secure.example/p", ReferrerPolicyOrigin, plain))
	assert.Equal(t, "", determineReferrer("data:,x", ReferrerPolicyUnsafeURL, plain))
	long := "http://plain.example/" + strings.Repeat("a", 4100)
	assert.Equal(t, "http://plain.example/", determineReferrer(long, ReferrerPolicyUnsafeURL, plain))
}
