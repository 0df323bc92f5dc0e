package fetch

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawServer accepts connections on loopback and hands each to serve after
// reading the request head. It is closed, and its goroutines waited for,
// when the test ends.
func rawServer(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				r := bufio.NewReader(c)
				if _, err := http.ReadRequest(r); err != nil {
					return
				}
				serve(c)
			})
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return "http://" + ln.Addr().String()
}

func TestTruncatedBody(t *testing.T) {
	u := rawServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
	})
	resp, err := newTestClient(t).Fetch(t.Context(), u, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.Status())
	_, err = resp.Text()
	assert.ErrorIs(t, err, ErrNetwork)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestServerResetMidBody(t *testing.T) {
	u := rawServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
		// Wait for the client to have the head, then reset the connection.
		_ = c.(*net.TCPConn).SetLinger(0)
	})
	resp, err := newTestClient(t).Fetch(t.Context(), u, nil)
	require.NoError(t, err)
	data, err := io.ReadAll(resp.Body())
	assert.ErrorIs(t, err, ErrNetwork)
	assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF), "cause: %v", err)
	assert.LessOrEqual(t, len(data), 10)
}

func TestResetBeforeHeaders(t *testing.T) {
	u := rawServer(t, func(c net.Conn) { _ = c.(*net.TCPConn).SetLinger(0) })
	_, err := newTestClient(t).Fetch(t.Context(), u, nil)
	assert.ErrorIs(t, err, ErrNetwork)
}

func TestResponseHeaderWithNUL(t *testing.T) {
	u := rawServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nMy-Custom-Header: x\x00x\r\nContent-Length: 0\r\n\r\n")
	})
	_, err := newTestClient(t).Fetch(t.Context(), u, nil)
	assert.ErrorIs(t, err, ErrNetwork)
}

func TestBadArguments(t *testing.T) {
	tests := []struct {
		name  string
		input string
		init  *RequestInit
		want  error
	}{
		{"relative URL", "/path", nil, ErrTypeError},
		{"garbage URL", "http://[::1", nil, ErrTypeError},
		{"credentials", "http://user:pass@127.0.0.1/", nil, ErrTypeError},
		{"username only", "http://user@127.0.0.1/", nil, ErrTypeError},
		{"forbidden method CONNECT", "http://127.0.0.1/", &RequestInit{Method: "CONNECT"}, ErrTypeError},
		{"forbidden method trace", "http://127.0.0.1/", &RequestInit{Method: "trace"}, ErrTypeError},
		{"forbidden method TRACK", "http://127.0.0.1/", &RequestInit{Method: "TRACK"}, ErrTypeError},
		{"invalid method", "http://127.0.0.1/", &RequestInit{Method: "GE T"}, ErrTypeError},
		{"body on GET", "http://127.0.0.1/", &RequestInit{Body: String("x")}, ErrTypeError},
		{"body on HEAD", "http://127.0.0.1/", &RequestInit{Method: "head", Body: String("x")}, ErrTypeError},
		{"invalid header name", "http://127.0.0.1/", &RequestInit{Headers: HeaderMap{"Bad Name": "x"}}, ErrInvalidHeader},
		{"header value with LF", "http://127.0.0.1/", &RequestInit{Headers: HeaderMap{"X-A": "a\nb"}}, ErrInvalidHeader},
		{"header value with NUL", "http://127.0.0.1/", &RequestInit{Headers: HeaderMap{"X-A": "a\x00b"}}, ErrInvalidHeader},
		{"mode navigate", "http://127.0.0.1/", &RequestInit{Mode: ModeNavigate}, ErrTypeError},
		{"bad enum", "http://127.0.0.1/", &RequestInit{Redirect: "sometimes"}, ErrTypeError},
		{"only-if-cached without same-origin", "http://127.0.0.1/", &RequestInit{Cache: CacheOnlyIfCached}, ErrTypeError},
		{"no-cors PUT", "http://127.0.0.1/", &RequestInit{Mode: ModeNoCORS, Method: "PUT"}, ErrTypeError},
		{"keepalive stream", "http://127.0.0.1/", &RequestInit{Method: "POST", Keepalive: true, Body: Reader(strings.NewReader(""))}, ErrTypeError},
		{"bad referrer", "http://127.0.0.1/", &RequestInit{Referrer: "::"}, ErrTypeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewRequest(tt.input, tt.init)
			assert.ErrorIs(t, err, tt.want)
			_, err = newTestClient(t).Fetch(t.Context(), tt.input, tt.init)
			assert.ErrorIs(t, err, tt.want)
		})
	}
	_, err := NewRequest("http://127.0.0.1/", &RequestInit{Headers: HeaderMap{"Bad Name": "x"}})
	assert.ErrorContains(t, err, `"Bad Name"`, "the error names the header")
}

func TestBlockedSchemesAndPorts(t *testing.T) {
	c := newTestClient(t)
	for _, u := range []string{"about:blank", "about:config", "blob:http://127.0.0.1/abc", "file:///etc/passwd", "ftp://127.0.0.1/", "http://127.0.0.1:25/", "http://127.0.0.1:6000/", "https://127.0.0.1:22/"} {
		t.Run(u, func(t *testing.T) {
			_, err := c.Fetch(t.Context(), u, nil)
			assert.ErrorIs(t, err, ErrNetwork)
		})
	}
	_, err := c.Fetch(t.Context(), "about:blank", &RequestInit{Method: "POST", Body: String("x")})
	assert.ErrorIs(t, err, ErrNetwork)
}

func TestSendTwice(t *testing.T) {
	srv := echoServer(t)
	c := newTestClient(t)
	req, err := NewRequest(srv.URL, &RequestInit{Method: "POST", Body: String("x")})
	require.NoError(t, err)
	clone, err := req.Clone()
	require.NoError(t, err)
	resp, err := c.Do(t.Context(), req)
	require.NoError(t, err)
	_, _ = resp.Bytes()
	assert.True(t, req.BodyUsed())
	_, err = c.Do(t.Context(), req)
	assert.ErrorIs(t, err, ErrBodyUsed)
	resp, err = c.Do(t.Context(), clone)
	require.NoError(t, err)
	var e echo
	require.NoError(t, resp.JSON(&e))
	assert.Equal(t, "x", e.Body)

	// A request without a body can be sent again.
	get, err := NewRequest(srv.URL, nil)
	require.NoError(t, err)
	for range 2 {
		resp, err := c.Do(t.Context(), get)
		require.NoError(t, err)
		_, err = resp.Bytes()
		require.NoError(t, err)
	}
}

func TestControlBytesInHeaderValue(t *testing.T) {
	// The Fetch Standard allows control bytes other than NUL, CR and LF in
	// header values, but net/http refuses to send them: a documented
	// deviation that surfaces as a network error.
	srv := echoServer(t)
	h, err := NewHeaders(HeaderList{{"X-Ctl", "a\x01b"}})
	require.NoError(t, err)
	_, err = newTestClient(t).Fetch(t.Context(), srv.URL, &RequestInit{Headers: h})
	assert.ErrorIs(t, err, ErrNetwork)
	assert.ErrorContains(t, err, "X-Ctl")
}

func TestUploadAbortSettles(t *testing.T) {
	// The server never reads the body and never answers; the client's body
	// reader blocks. An abort must unblock it and return only after net/http
	// has closed the body.
	srv, arrived := slowServer(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	ac := NewAbortController()
	errc := make(chan error, 1)
	go func() {
		_, err := newTestClient(t).Fetch(t.Context(), srv.URL+"/headers", &RequestInit{Method: "POST", Body: Reader(pr), Signal: ac.Signal()})
		errc <- err
	}()
	<-arrived
	ac.Abort(nil)
	err := <-errc
	assert.ErrorIs(t, err, ErrAbort)
	_, werr := pw.Write([]byte("x"))
	assert.ErrorIs(t, werr, io.ErrClosedPipe, "the body was closed")
}

func TestHTTPErrorBodyIsReadable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		_, _ = io.WriteString(w, "boom")
	}))
	defer srv.Close()
	resp, err := newTestClient(t).Fetch(t.Context(), srv.URL, nil)
	require.NoError(t, err)
	assert.Equal(t, 500, resp.Status())
	b, err := resp.Bytes()
	require.NoError(t, err)
	assert.Equal(t, "boom", string(b))
}

func TestBodyClosedOnNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	for _, body := range []BodyInit{String("x"), Reader(strings.NewReader("stream"))} {
		_, err := newTestClient(t).Fetch(t.Context(), u, &RequestInit{Method: "POST", Body: body})
		assert.ErrorIs(t, err, ErrNetwork)
	}
	rc := &closeCounter{Reader: strings.NewReader("stream")}
	_, err := newTestClient(t).Fetch(t.Context(), u, &RequestInit{Method: "POST", Body: Reader(rc)})
	assert.ErrorIs(t, err, ErrNetwork)
	assert.Equal(t, 1, rc.closes, "the Reader body was closed")

	// The schemes that send nothing close the body too.
	for _, u := range []string{"about:blank", "data:,x", "ftp://example.com/", "http://127.0.0.1:6000/"} {
		rc := &closeCounter{Reader: strings.NewReader("stream")}
		_, _ = newTestClient(t).Fetch(t.Context(), u, &RequestInit{Method: "POST", Body: Reader(rc)})
		assert.Equal(t, 1, rc.closes, "the Reader body of %s was closed", u)
	}
}
