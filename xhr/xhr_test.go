package xhr

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/formdata"
	"github.com/webnet-go/webnet/url"
)

// rawServer runs handle for every connection accepted on a loopback
// listener, after reading the request head, and returns the server's URL.
// handle owns the connection; the listener and every connection are
// closed when the test ends, and the test waits for the handlers.
func rawServer(t *testing.T, handle func(conn net.Conn, br *bufio.Reader, head string)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				br := bufio.NewReader(conn)
				var head strings.Builder
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					head.WriteString(line)
					if line == "\r\n" {
						break
					}
				}
				handle(conn, br, head.String())
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// zeroReader yields n zero bytes without allocating them.
type zeroReader struct{ n int64 }

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	clear(p)
	z.n -= int64(len(p))
	return len(p), nil
}

// gateReader yields first bytes, then blocks until it is closed.
type gateReader struct {
	first int
	once  sync.Once
	gate  chan struct{}
}

func newGateReader(first int) *gateReader {
	return &gateReader{first: first, gate: make(chan struct{})}
}

func (g *gateReader) Read(p []byte) (int, error) {
	if g.first > 0 {
		n := min(len(p), g.first)
		clear(p[:n])
		g.first -= n
		return n, nil
	}
	<-g.gate
	return 0, errors.New("gate closed")
}

func (g *gateReader) Close() error {
	g.once.Do(func() { close(g.gate) })
	return nil
}

func TestReadyStateString(t *testing.T) {
	tests := []struct {
		s    ReadyState
		want string
	}{
		{StateUnsent, "UNSENT"}, {StateOpened, "OPENED"}, {StateHeadersReceived, "HEADERS_RECEIVED"},
		{StateLoading, "LOADING"}, {StateDone, "DONE"}, {ReadyState(7), "ReadyState(7)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.s.String())
		})
	}
}

func TestGetWithEvents(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.Header().Add("Set-Cookie", "id=1")
		_, _ = io.WriteString(w, "hello, world")
	}))
	t.Cleanup(srv.Close)
	x := newXHR(t, srv.URL)
	r := record(x)
	assert.Equal(t, StateUnsent, x.ReadyState())
	require.NoError(t, x.Open("get", "/hello#frag"))
	assert.Equal(t, StateOpened, x.ReadyState())
	require.NoError(t, x.Send(nil))
	r.waitLoadEnd(t)

	assert.Equal(t, []string{"1", "loadstart(0,0,false)", "2", "3", "progress(12,12,true)", "4", "load(12,12,true)", "loadend(12,12,true)"}, r.list())
	assert.Equal(t, StateDone, x.ReadyState())
	assert.Equal(t, 200, x.Status())
	assert.Equal(t, "OK", x.StatusText())
	assert.Equal(t, srv.URL+"/hello", x.ResponseURL())
	text, err := x.ResponseText()
	require.NoError(t, err)
	assert.Equal(t, "hello, world", text)
	assert.Equal(t, "hello, world", x.Response())
	v, ok := x.GetResponseHeader("x-MULTI")
	assert.True(t, ok)
	assert.Equal(t, "a, b", v)
	_, ok = x.GetResponseHeader("Set-Cookie")
	assert.False(t, ok, "Set-Cookie is never exposed")
	all := x.GetAllResponseHeaders()
	assert.Contains(t, all, "content-type: text/plain; charset=utf-8\r\n")
	assert.Contains(t, all, "x-multi: a, b\r\n")
	assert.NotContains(t, all, "set-cookie")
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name, method, url, base string
		want                    error
	}{
		{"method not a token", "GE T", "http://127.0.0.1/", "", ErrSyntax},
		{"empty method", "", "http://127.0.0.1/", "", ErrSyntax},
		{"CONNECT", "connect", "http://127.0.0.1/", "", ErrSecurity},
		{"TRACE", "TRACE", "http://127.0.0.1/", "", ErrSecurity},
		{"TRACK", "Track", "http://127.0.0.1/", "", ErrSecurity},
		{"bad URL", "GET", "http://[::1", "", ErrSyntax},
		{"relative without base", "GET", "/path", "", ErrSyntax},
		{"relative with bad base", "GET", "/path", "not a url", ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newXHR(t, tt.base)
			err := x.Open(tt.method, tt.url)
			require.ErrorIs(t, err, tt.want)
			assert.Equal(t, StateUnsent, x.ReadyState(), "a failed Open changes nothing")
		})
	}
}

func TestOpenNormalizesMethodAndResolvesURL(t *testing.T) {
	seen := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Method + " " + r.URL.RequestURI()
	}))
	t.Cleanup(srv.Close)
	for _, tt := range []struct{ method, want string }{{"post", "POST"}, {"patch", "patch"}, {"DeLeTe", "DELETE"}} {
		x := newXHR(t, srv.URL+"/base/")
		require.NoError(t, x.OpenAsync(tt.method, "rel?q=1", false, "", ""))
		require.NoError(t, x.Send(nil))
		assert.Equal(t, tt.want+" /base/rel?q=1", <-seen)
	}
}

func TestStateErrors(t *testing.T) {
	srv := eventServer(t)
	t.Run("Send before Open", func(t *testing.T) {
		x := newXHR(t, srv)
		require.ErrorIs(t, x.Send(nil), ErrInvalidState)
		assert.Equal(t, StateUnsent, x.ReadyState())
	})
	t.Run("SetRequestHeader before Open", func(t *testing.T) {
		x := newXHR(t, srv)
		require.ErrorIs(t, x.SetRequestHeader("X-A", "1"), ErrInvalidState)
	})
	t.Run("Send twice and SetRequestHeader after Send", func(t *testing.T) {
		x := newXHR(t, srv)
		r := record(x)
		require.NoError(t, x.Open("GET", "/hang"))
		require.NoError(t, x.Send(nil))
		require.ErrorIs(t, x.Send(nil), ErrInvalidState)
		require.ErrorIs(t, x.SetRequestHeader("X-A", "1"), ErrInvalidState)
		require.ErrorIs(t, x.SetWithCredentials(true), ErrInvalidState)
		x.Abort()
		r.waitLoadEnd(t)
		assert.Equal(t, []string{"1", "loadstart(0,0,false)", "4", "abort(0,0,false)", "loadend(0,0,false)"}, r.list())
		assert.Equal(t, StateUnsent, x.ReadyState())
		assert.Equal(t, 0, x.Status())
	})
	t.Run("Send after DONE", func(t *testing.T) {
		x := newXHR(t, srv)
		require.NoError(t, x.OpenAsync("GET", "/echo", false, "", ""))
		require.NoError(t, x.Send(nil))
		require.ErrorIs(t, x.Send(nil), ErrInvalidState)
		require.ErrorIs(t, x.OverrideMimeType("text/plain"), ErrInvalidState)
		require.ErrorIs(t, x.SetResponseType(ResponseTypeText), ErrInvalidState)
		require.ErrorIs(t, x.SetWithCredentials(true), ErrInvalidState)
	})
	t.Run("sync with response type or timeout", func(t *testing.T) {
		x := newXHR(t, srv)
		require.NoError(t, x.OpenAsync("GET", "/echo", false, "", ""))
		require.ErrorIs(t, x.SetResponseType(ResponseTypeJSON), ErrInvalidAccess)
		require.ErrorIs(t, x.SetTimeout(time.Second), ErrInvalidAccess)
		assert.Equal(t, ResponseTypeDefault, x.ResponseType())

		y := newXHR(t, srv)
		require.NoError(t, y.SetResponseType(ResponseTypeJSON))
		require.ErrorIs(t, y.OpenAsync("GET", "/echo", false, "", ""), ErrInvalidAccess)
		z := newXHR(t, srv)
		require.NoError(t, z.SetTimeout(time.Second))
		require.ErrorIs(t, z.OpenAsync("GET", "/echo", false, "", ""), ErrInvalidAccess)
		assert.Equal(t, time.Second, z.Timeout())
	})
	t.Run("unknown response type is ignored", func(t *testing.T) {
		x := newXHR(t, srv)
		require.NoError(t, x.SetResponseType(ResponseTypeJSON))
		require.NoError(t, x.SetResponseType("bogus"))
		assert.Equal(t, ResponseTypeJSON, x.ResponseType())
	})
	t.Run("wrong response getter", func(t *testing.T) {
		x := newXHR(t, srv)
		require.NoError(t, x.SetResponseType(ResponseTypeJSON))
		_, err := x.ResponseText()
		require.ErrorIs(t, err, ErrInvalidState)
		_, err = x.ResponseXML()
		require.ErrorIs(t, err, ErrInvalidState)
		require.NoError(t, x.SetResponseType(ResponseTypeDocument))
		_, err = x.ResponseText()
		require.ErrorIs(t, err, ErrInvalidState)
		doc, err := x.ResponseXML()
		require.NoError(t, err)
		assert.Nil(t, doc, "no document before DONE")
	})
}

func TestSetRequestHeader(t *testing.T) {
	got := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- r.Header.Clone() }))
	t.Cleanup(srv.Close)
	x := newXHR(t, srv.URL)
	require.NoError(t, x.OpenAsync("GET", "/", false, "", ""))
	require.NoError(t, x.SetRequestHeader("X-Auth", "123"))
	require.NoError(t, x.SetRequestHeader("x-auth", " 456\t"))
	require.NoError(t, x.SetRequestHeader("Cookie", "forbidden=1"))
	require.NoError(t, x.SetRequestHeader("Sec-Thing", "1"))
	require.NoError(t, x.SetRequestHeader("X-HTTP-Method-Override", "trace"))
	require.NoError(t, x.SetRequestHeader("X-HTTP-Method", "PATCH"))
	require.ErrorIs(t, x.SetRequestHeader("Bad Name", "1"), ErrSyntax)
	require.ErrorIs(t, x.SetRequestHeader("X-Bad", "a\nb"), ErrSyntax)
	require.NoError(t, x.Send(nil))
	h := <-got
	assert.Equal(t, []string{"123, 456"}, h.Values("X-Auth"), "repeated names are combined into one header")
	assert.Empty(t, h.Values("Cookie"))
	assert.Empty(t, h.Values("Sec-Thing"))
	assert.Empty(t, h.Values("X-Http-Method-Override"))
	assert.Equal(t, []string{"PATCH"}, h.Values("X-Http-Method"))
}

func TestAllowForbiddenHeaders(t *testing.T) {
	got := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- r.Header.Clone() }))
	t.Cleanup(srv.Close)
	client := newClient(t)
	client.AllowForbiddenHeaders = true
	x := New(t.Context(), &Options{Client: client})
	require.NoError(t, x.OpenAsync("GET", srv.URL, false, "", ""))
	require.NoError(t, x.SetRequestHeader("Cookie", "a=1"))
	require.NoError(t, x.Send(nil))
	assert.Equal(t, "a=1", (<-got).Get("Cookie"))
}

func TestURLCredentialsBecomeBasicAuth(t *testing.T) {
	got := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		got <- user + ":" + pass
	}))
	t.Cleanup(srv.Close)
	x := newXHR(t, srv.URL)
	require.NoError(t, x.OpenAsync("GET", "/", false, "alice", "s3cr3t"))
	require.NoError(t, x.Send(nil))
	assert.Equal(t, "alice:s3cr3t", <-got)
	assert.Equal(t, srv.URL+"/", x.ResponseURL(), "the credentials are not part of the response URL")

	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	u.SetUsername("bob")
	require.NoError(t, x.OpenAsync("GET", u.Href(), false, "", ""))
	require.NoError(t, x.Send(nil))
	assert.Equal(t, "bob:", <-got)
}

func TestWithCredentialsSendsCookies(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "42", Path: "/"})
			return
		}
		c, err := r.Cookie("session")
		if err != nil {
			got <- "none"
			return
		}
		got <- c.Value
	}))
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := newClient(t)
	client.HTTPClient.Jar = jar
	x := New(t.Context(), &Options{Client: client, BaseURL: srv.URL})
	require.NoError(t, x.SetWithCredentials(true))
	assert.True(t, x.WithCredentials())
	require.NoError(t, x.OpenAsync("GET", "/login", false, "", ""))
	require.NoError(t, x.Send(nil))
	require.NoError(t, x.OpenAsync("GET", "/check", false, "", ""))
	require.NoError(t, x.Send(nil))
	assert.Equal(t, "42", <-got)
}

func TestResponseTypes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		_, _ = io.WriteString(w, r.URL.Query().Get("body"))
	}))
	t.Cleanup(srv.Close)
	get := func(t *testing.T, rt ResponseType, contentType, body string) *XMLHttpRequest {
		x := newXHR(t, srv.URL)
		require.NoError(t, x.Open("GET", "/?type="+neturl.QueryEscape(contentType)+"&body="+neturl.QueryEscape(body)))
		require.NoError(t, x.SetResponseType(rt))
		r := record(x)
		require.NoError(t, x.Send(nil))
		r.waitLoadEnd(t)
		return x
	}
	t.Run("arraybuffer", func(t *testing.T) {
		x := get(t, ResponseTypeArrayBuffer, "application/octet-stream", "\x00\x01\xff")
		assert.Equal(t, []byte{0, 1, 0xff}, x.Response())
	})
	t.Run("blob", func(t *testing.T) {
		x := get(t, ResponseTypeBlob, "image/png", "PNG")
		b, ok := x.Response().(*blob.Blob)
		require.True(t, ok)
		assert.Equal(t, "image/png", b.Type())
		data, err := b.Bytes()
		require.NoError(t, err)
		assert.Equal(t, "PNG", string(data))
		assert.Same(t, b, x.Response().(*blob.Blob), "the same object every time")
	})
	t.Run("json", func(t *testing.T) {
		x := get(t, ResponseTypeJSON, "application/json", "\xef\xbb\xbf{\"message\": \"Hello, world!\", \"n\": [1, 2]}")
		obj, ok := x.Response().(map[string]any)
		require.True(t, ok)
		assert.Equal(t, "Hello, world!", obj["message"])
		assert.Equal(t, []any{1.0, 2.0}, obj["n"])
	})
	t.Run("invalid json", func(t *testing.T) {
		x := get(t, ResponseTypeJSON, "application/json", "{nope")
		assert.Nil(t, x.Response())
	})
	t.Run("html document", func(t *testing.T) {
		x := get(t, ResponseTypeDocument, "text/html", "<!doctype html><meta charset=windows-1252><title>T\xe9</title><p>hi")
		doc, ok := x.Response().(*Document)
		require.True(t, ok)
		assert.True(t, doc.IsHTML())
		assert.Equal(t, "text/html", doc.ContentType())
		assert.Equal(t, "windows-1252", doc.CharacterSet())
		assert.Equal(t, "html", doc.DocumentElement().Data)
		assert.Equal(t, "Té"+"hi", doc.TextContent())
		assert.Equal(t, x.ResponseURL(), doc.URL())
		same, err := x.ResponseXML()
		require.NoError(t, err)
		assert.Same(t, doc, same)
	})
	t.Run("xml document with responseType empty", func(t *testing.T) {
		x := get(t, ResponseTypeDefault, "application/xml", `<?xml version="1.0"?><root xmlns:a="urn:a"><a:item id="1">x</a:item></root>`)
		doc, err := x.ResponseXML()
		require.NoError(t, err)
		require.NotNil(t, doc)
		assert.False(t, doc.IsHTML())
		root := doc.DocumentElement()
		assert.Equal(t, "root", root.Data)
		assert.Equal(t, "urn:a", root.FirstChild.Namespace)
		assert.Equal(t, `<root xmlns:a="urn:a"><a:item id="1">x</a:item></root>`, doc.String())
	})
	t.Run("html with responseType empty is no document", func(t *testing.T) {
		x := get(t, ResponseTypeDefault, "text/html", "<p>hi")
		doc, err := x.ResponseXML()
		require.NoError(t, err)
		assert.Nil(t, doc)
	})
	t.Run("malformed xml", func(t *testing.T) {
		x := get(t, ResponseTypeDocument, "text/xml", "<a><b></a>")
		assert.Nil(t, x.Response())
	})
	t.Run("text with override", func(t *testing.T) {
		x := newXHR(t, srv.URL)
		require.NoError(t, x.Open("GET", "/?type=text/plain&body=%E9"))
		require.NoError(t, x.OverrideMimeType("text/plain;charset=iso-8859-1"))
		r := record(x)
		require.NoError(t, x.Send(nil))
		r.waitLoadEnd(t)
		text, err := x.ResponseText()
		require.NoError(t, err)
		assert.Equal(t, "é", text)
	})
	t.Run("unparsable override is octet-stream", func(t *testing.T) {
		x := newXHR(t, srv.URL)
		require.NoError(t, x.Open("GET", "/?type=text/html&body=x"))
		require.NoError(t, x.SetResponseType(ResponseTypeBlob))
		require.NoError(t, x.OverrideMimeType("nonsense"))
		r := record(x)
		require.NoError(t, x.Send(nil))
		r.waitLoadEnd(t)
		assert.Equal(t, "application/octet-stream", x.Response().(*blob.Blob).Type())
	})
}

// TestSendBodies sends every kind of body fetch accepts and checks what the
// server received, the Content-Type, and the upload events.
func TestSendBodies(t *testing.T) {
	type received struct{ contentType, body string }
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- received{r.Header.Get("Content-Type"), string(b)}
	}))
	t.Cleanup(srv.Close)

	path := filepath.Join(t.TempDir(), "data.bin")
	require.NoError(t, os.WriteFile(path, []byte("file contents"), 0o600))
	file, err := blob.OpenFile(path, &blob.FilePropertyBag{Type: "application/x-test"})
	require.NoError(t, err)
	fd := formdata.New()
	fd.Append("name", "John")
	htmlDoc, err := ParseDocument("<p>hi</p>", "text/html")
	require.NoError(t, err)
	xmlDoc, err := ParseDocument("<a>b</a>", "application/xml")
	require.NoError(t, err)

	tests := []struct {
		name        string
		body        fetch.BodyInit
		authorType  string
		wantType    string
		wantBody    string
		wantTotal   int64 // upload loadstart total; 0 for unknown
		multipartOK bool
	}{
		{name: "string", body: fetch.String("hello"), wantType: "text/plain;charset=UTF-8", wantBody: "hello", wantTotal: 5},
		{name: "string with charset", body: fetch.String("hello"), authorType: "text/plain; charset=latin1", wantType: "text/plain;charset=UTF-8", wantBody: "hello", wantTotal: 5},
		{name: "bytes", body: fetch.Bytes([]byte{1, 2, 3}), wantBody: "\x01\x02\x03", wantTotal: 3},
		{name: "bytes keep charset", body: fetch.Bytes([]byte("x")), authorType: "text/plain;charset=latin1", wantType: "text/plain;charset=latin1", wantBody: "x", wantTotal: 1},
		{name: "reader of unknown length", body: fetch.Reader(strings.NewReader("streamed")), wantBody: "streamed"},
		{name: "reader with length", body: fetch.ReaderWithLength(strings.NewReader("sized"), 5), wantBody: "sized", wantTotal: 5},
		{name: "blob", body: blob.New([]blob.BlobPart{blob.String("blob!")}, &blob.BlobPropertyBag{Type: "text/x-blob"}), wantType: "text/x-blob", wantBody: "blob!", wantTotal: 5},
		{name: "file", body: file, wantType: "application/x-test", wantBody: "file contents", wantTotal: 13},
		{name: "search params", body: url.NewSearchParams("a=1&b=2"), wantType: "application/x-www-form-urlencoded;charset=UTF-8", wantBody: "a=1&b=2", wantTotal: 7},
		{name: "form data", body: fd, multipartOK: true},
		{name: "html document", body: htmlDoc, wantType: "text/html;charset=UTF-8", wantBody: htmlDoc.String(), wantTotal: int64(len(htmlDoc.String()))},
		{name: "xml document with charset", body: xmlDoc, authorType: "application/xml;charset=shift_jis", wantType: "application/xml;charset=UTF-8", wantBody: "<a>b</a>", wantTotal: 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newXHR(t, srv.URL)
			r := record(x)
			require.NoError(t, x.Open("POST", "/upload"))
			if tt.authorType != "" {
				require.NoError(t, x.SetRequestHeader("Content-Type", tt.authorType))
			}
			require.NoError(t, x.Send(tt.body))
			r.waitLoadEnd(t)
			rec := <-got
			events := r.list()
			if tt.multipartOK {
				assert.True(t, strings.HasPrefix(rec.contentType, "multipart/form-data; boundary="), rec.contentType)
				assert.Contains(t, rec.body, "John")
				tt.wantBody, tt.wantTotal = rec.body, int64(len(rec.body))
			} else {
				assert.Equal(t, tt.wantType, rec.contentType)
				assert.Equal(t, tt.wantBody, rec.body)
			}
			size := int64(len(tt.wantBody))
			start := formatEvent("upload.loadstart", ProgressEvent{LengthComputable: tt.wantTotal != 0, Total: tt.wantTotal})
			end := ProgressEvent{LengthComputable: tt.wantTotal != 0, Loaded: size, Total: tt.wantTotal}
			assert.Equal(t, []string{
				"1", "loadstart(0,0,false)", start,
				formatEvent("upload.progress", end), formatEvent("upload.load", end), formatEvent("upload.loadend", end),
				"2", "4", "load(0,0,false)", "loadend(0,0,false)",
			}, withoutEvents(events, "progress"))
		})
	}
}

// withoutEvents drops the events named name, such as the progress events,
// whose number depends on timing ("progress" for the xhr's own,
// "upload.progress" for the upload object's).
func withoutEvents(events []string, name string) []string {
	var out []string
	for _, e := range events {
		if !strings.HasPrefix(e, name+"(") {
			out = append(out, e)
		}
	}
	return out
}

func TestGetIgnoresBody(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- fmt.Sprintf("%s %q %q", r.Method, b, r.Header.Get("Content-Type"))
	}))
	t.Cleanup(srv.Close)
	x := newXHR(t, srv.URL)
	r := record(x)
	require.NoError(t, x.Open("HEAD", "/"))
	require.NoError(t, x.Send(fetch.String("ignored")))
	r.waitLoadEnd(t)
	assert.Equal(t, `HEAD "" ""`, <-got)
	assert.NotContains(t, strings.Join(r.list(), " "), "upload.", "no upload events without a body")
}

func TestUploadEventsNeedAListener(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	var upload atomic.Int32
	done := make(chan struct{})
	x.OnLoadEnd(func(ProgressEvent) { close(done) })
	require.NoError(t, x.Open("POST", "/echo"))
	require.NoError(t, x.Send(fetch.String("data")))
	// A listener added after Send does not set the upload listener flag.
	x.Upload().OnProgress(func(ProgressEvent) { upload.Add(1) })
	<-done
	assert.Zero(t, upload.Load())
}

func TestSyncRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "Hello from sync")
	}))
	t.Cleanup(srv.Close)
	x := newXHR(t, srv.URL)
	r := record(x)
	require.NoError(t, x.OpenAsync("GET", "/hello.txt", false, "", ""))
	require.NoError(t, x.Send(nil))
	assert.Equal(t, StateDone, x.ReadyState())
	assert.Equal(t, 200, x.Status())
	assert.Equal(t, "Hello from sync", x.Response())
	assert.Equal(t, []string{"1", "4", "load(15,15,true)", "loadend(15,15,true)"}, r.list())
}

func TestSyncNetworkError(t *testing.T) {
	x := newXHR(t, "")
	r := record(x)
	require.NoError(t, x.OpenAsync("POST", refusedURL(t), false, "", ""))
	x.Upload().OnProgress(func(ProgressEvent) {})
	err := x.Send(fetch.String("x"))
	require.ErrorIs(t, err, fetch.ErrNetwork)
	assert.Equal(t, StateDone, x.ReadyState())
	assert.Equal(t, 0, x.Status())
	assert.Equal(t, []string{"1"}, r.list(), "a synchronous request fires no events when it fails")
}

func TestAsyncNetworkErrorEvent(t *testing.T) {
	x := newXHR(t, "")
	got := make(chan error, 1)
	x.OnError(func(err error) { got <- err })
	require.NoError(t, x.Open("GET", refusedURL(t)))
	require.NoError(t, x.Send(nil))
	err := <-got
	require.ErrorIs(t, err, fetch.ErrNetwork)
	assert.Equal(t, StateDone, x.ReadyState())
	assert.Equal(t, 0, x.Status())
	assert.Empty(t, x.GetAllResponseHeaders())
}

// TestServerDropsMidUpload: the server reads part of a large body and
// resets the connection.
func TestServerDropsMidUpload(t *testing.T) {
	srv := rawServer(t, func(conn net.Conn, br *bufio.Reader, _ string) {
		_, _ = io.CopyN(io.Discard, br, 1<<20)
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // reset, not a graceful close
		}
	})
	x := newXHR(t, srv)
	r := record(x)
	require.NoError(t, x.Open("POST", "/upload"))
	const size = 256 << 20
	require.NoError(t, x.Send(fetch.ReaderWithLength(&zeroReader{n: size}, size)))
	r.waitLoadEnd(t)
	events := withoutEvents(r.list(), "upload.progress")
	assert.Equal(t, []string{"1", "loadstart(0,0,false)", fmt.Sprintf("upload.loadstart(0,%d,true)", size),
		"4", "upload.error(0,0,false)", "upload.loadend(0,0,false)", "error(0,0,false)", "loadend(0,0,false)"}, events)
	assert.Equal(t, StateDone, x.ReadyState())
	assert.Equal(t, 0, x.Status())
}

// TestServerDropsMidDownload: the server promises 1 MiB and closes after
// 64 KiB.
func TestServerDropsMidDownload(t *testing.T) {
	srv := rawServer(t, func(conn net.Conn, _ *bufio.Reader, _ string) {
		_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n")
		_, _ = conn.Write(make([]byte, 64<<10))
	})
	x := newXHR(t, srv)
	r := record(x)
	got := make(chan error, 1)
	x.OnError(func(err error) { got <- err })
	require.NoError(t, x.Open("GET", "/download"))
	require.NoError(t, x.Send(nil))
	r.waitLoadEnd(t)
	require.ErrorIs(t, <-got, fetch.ErrNetwork)
	events := r.list()
	require.GreaterOrEqual(t, len(events), 7)
	assert.Equal(t, []string{"1", "loadstart(0,0,false)", "2", "3"}, events[:4])
	assert.Equal(t, []string{"4", "error(0,0,false)", "loadend(0,0,false)"}, events[len(events)-3:])
	assert.NotContains(t, events, "load(")
	assert.Equal(t, 0, x.Status())
	text, err := x.ResponseText()
	require.NoError(t, err)
	assert.Empty(t, text, "a network error has no body")
}

// TestTimeoutDuringUpload: the server never reads the body, so the upload
// stalls until the timeout fires.
func TestTimeoutDuringUpload(t *testing.T) {
	// The server reads nothing past the request head until the test ends,
	// so once the socket buffers are full the upload cannot progress and
	// the timeout must fire while it is under way, however fast the
	// machine is.
	testDone := t.Context().Done()
	srv := rawServer(t, func(net.Conn, *bufio.Reader, string) { <-testDone })
	x := newXHR(t, srv)
	r := record(x)
	require.NoError(t, x.SetTimeout(200*time.Millisecond))
	require.NoError(t, x.Open("POST", "/upload"))
	const size = 256 << 20 // far more than the socket buffers hold
	require.NoError(t, x.Send(fetch.ReaderWithLength(&zeroReader{n: size}, size)))
	r.waitLoadEnd(t)
	assert.Equal(t, []string{"1", "loadstart(0,0,false)", fmt.Sprintf("upload.loadstart(0,%d,true)", size),
		"4", "upload.timeout(0,0,false)", "upload.loadend(0,0,false)", "timeout(0,0,false)", "loadend(0,0,false)"},
		withoutEvents(r.list(), "upload.progress"))
	assert.Equal(t, StateDone, x.ReadyState())
	assert.Equal(t, 0, x.Status())
}

func TestTimeoutChangedInFlight(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	r := record(x)
	require.NoError(t, x.Open("GET", "/hang"))
	require.NoError(t, x.Send(nil))
	require.NoError(t, x.SetTimeout(50*time.Millisecond))
	r.waitLoadEnd(t)
	assert.Equal(t, []string{"1", "loadstart(0,0,false)", "4", "timeout(0,0,false)", "loadend(0,0,false)"}, r.list())
}

// TestAbortDuringUpload aborts from an upload progress listener while the
// body is being sent, and from another goroutine while the upload of a
// stream is stalled.
func TestAbortDuringUpload(t *testing.T) {
	srv := rawServer(t, func(conn net.Conn, br *bufio.Reader, _ string) { _, _ = io.Copy(io.Discard, br) })
	x := newXHR(t, srv)
	x.interval = -1 // report every read, so the first one is an event
	r := record(x)
	x.Upload().OnProgress(func(ProgressEvent) { x.Abort() })
	require.NoError(t, x.Open("POST", "/upload"))
	const size = 256 << 20
	require.NoError(t, x.Send(fetch.ReaderWithLength(&zeroReader{n: size}, size)))
	r.waitLoadEnd(t)
	events := r.list()
	require.Len(t, events, 9)
	assert.Equal(t, []string{"1", "loadstart(0,0,false)", fmt.Sprintf("upload.loadstart(0,%d,true)", size)}, events[:3])
	assert.True(t, strings.HasPrefix(events[3], "upload.progress("), events[3])
	assert.Equal(t, []string{"4", "upload.abort(0,0,false)", "upload.loadend(0,0,false)", "abort(0,0,false)", "loadend(0,0,false)"}, events[4:])
	assert.Equal(t, StateUnsent, x.ReadyState())
	assert.Equal(t, 0, x.Status())

	// A stream whose producer stalls: Abort from another goroutine ends
	// the request at once, and the stream is closed.
	y := newXHR(t, srv)
	y.interval = -1
	ry := record(y)
	started := make(chan struct{}, 1)
	y.Upload().OnProgress(func(ProgressEvent) {
		select {
		case started <- struct{}{}:
		default:
		}
	})
	require.NoError(t, y.Open("POST", "/upload"))
	g := newGateReader(64 << 10)
	require.NoError(t, y.Send(fetch.Reader(g)))
	<-started
	y.Abort()
	select {
	case <-g.gate:
	case <-time.After(10 * time.Second):
		t.Fatal("the stalled stream was not closed")
	}
	assert.Equal(t, []string{"4", "upload.abort(0,0,false)", "upload.loadend(0,0,false)", "abort(0,0,false)", "loadend(0,0,false)"},
		ry.list()[len(ry.list())-5:])
}

// TestAbortDuringDownload aborts from the test's goroutine once the body
// has started to arrive, and checks that no listener runs for the aborted
// request after Abort returns.
func TestAbortDuringDownload(t *testing.T) {
	srv := rawServer(t, func(conn net.Conn, _ *bufio.Reader, _ string) {
		_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n")
		_, _ = conn.Write(make([]byte, 64<<10))
		_, _ = io.Copy(io.Discard, conn) // hold the connection until the client leaves
	})
	x := newXHR(t, srv)
	x.interval = -1
	r := record(x)
	progress := make(chan struct{}, 1)
	x.OnProgress(func(ProgressEvent) {
		select {
		case progress <- struct{}{}:
		default:
		}
	})
	require.NoError(t, x.Open("GET", "/download"))
	require.NoError(t, x.Send(nil))
	<-progress
	x.Abort()
	events := r.list()
	assert.Equal(t, []string{"1", "loadstart(0,0,false)", "2", "3"}, events[:4])
	assert.Equal(t, []string{"4", "abort(0,0,false)", "loadend(0,0,false)"}, events[len(events)-3:])
	assert.Equal(t, StateUnsent, x.ReadyState())
	assert.Equal(t, 0, x.Status())

	// Open runs on the event loop after every task queued before it: if a
	// task of the aborted request were still to deliver an event, it would
	// show up before Open's readystatechange.
	require.NoError(t, x.Open("GET", "/again"))
	assert.Equal(t, append(events, "1"), r.list())
}

// TestOpenDuringSend: Open terminates the request in flight without
// events.
func TestOpenDuringSend(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	r := record(x)
	require.NoError(t, x.Open("GET", "/hang"))
	require.NoError(t, x.Send(nil))
	require.NoError(t, x.Open("POST", "/echo"))
	assert.Equal(t, StateOpened, x.ReadyState())
	assert.Equal(t, []string{"1", "loadstart(0,0,false)"}, r.list(), "Open fires readystatechange only when the state changes")
	require.NoError(t, x.Send(fetch.String("again")))
	r.waitLoadEnd(t)
	text, err := x.ResponseText()
	require.NoError(t, err)
	assert.Equal(t, "again", text)
	assert.NotContains(t, r.list(), "abort(0,0,false)")
}

// TestOpenFromListener reuses the object from its own load listener, as
// JavaScript code does.
func TestOpenFromListener(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	done := make(chan string, 2)
	calls := 0
	x.OnLoad(func(ProgressEvent) {
		text, _ := x.ResponseText()
		done <- text
		calls++
		if calls == 1 {
			assert.NoError(t, x.Open("POST", "/echo"))
			assert.NoError(t, x.Send(fetch.String("second")))
		}
	})
	require.NoError(t, x.Open("POST", "/echo"))
	require.NoError(t, x.Send(fetch.String("first")))
	assert.Equal(t, "first", <-done)
	assert.Equal(t, "second", <-done)
}

func TestContextCancelAborts(t *testing.T) {
	srv := eventServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	x := New(ctx, &Options{Client: newClient(t), BaseURL: srv})
	r := record(x)
	require.NoError(t, x.Open("GET", "/hang"))
	require.NoError(t, x.Send(nil))
	cancel()
	r.waitLoadEnd(t)
	assert.Equal(t, []string{"1", "loadstart(0,0,false)", "4", "abort(0,0,false)", "loadend(0,0,false)"}, r.list())
	require.ErrorIs(t, x.Open("GET", "/echo"), ErrInvalidState)
	require.ErrorIs(t, x.Send(nil), context.Canceled)
}

func TestListenerRemoval(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	var order []string
	var removeA func()
	removeA = x.OnReadyStateChange(func(s ReadyState) {
		order = append(order, "a"+s.String())
		removeA() // a once-listener removes itself
	})
	var removeC func()
	x.OnReadyStateChange(func(s ReadyState) {
		order = append(order, "b"+s.String())
		removeC() // removing a later listener stops its delivery at once
	})
	removeC = x.OnReadyStateChange(func(s ReadyState) { order = append(order, "c"+s.String()) })
	removeNil := x.OnLoad(nil)
	removeNil()
	require.NoError(t, x.OpenAsync("GET", "/echo", false, "", ""))
	require.NoError(t, x.Send(nil))
	assert.Equal(t, []string{"aOPENED", "bOPENED", "bDONE"}, order)
}

// TestProgressBounded downloads and uploads 64 MiB and checks that the
// progress events are throttled, not one per read.
func TestProgressBounded(t *testing.T) {
	const size = 64 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Length", strconv.Itoa(size))
		_, _ = io.Copy(w, &zeroReader{n: size})
	}))
	t.Cleanup(srv.Close)
	x := newXHR(t, srv.URL)
	var down, up []ProgressEvent
	x.OnProgress(func(e ProgressEvent) { down = append(down, e) })
	x.Upload().OnProgress(func(e ProgressEvent) { up = append(up, e) })
	require.NoError(t, x.SetResponseWriter(io.Discard))
	done := make(chan struct{})
	x.OnLoadEnd(func(ProgressEvent) { close(done) })
	start := time.Now()
	require.NoError(t, x.Open("POST", "/"))
	require.NoError(t, x.Send(fetch.ReaderWithLength(&zeroReader{n: size}, size)))
	<-done
	limit := int(time.Since(start)/(50*time.Millisecond)) + 2
	require.NotEmpty(t, down)
	require.NotEmpty(t, up)
	assert.LessOrEqual(t, len(down), limit)
	assert.LessOrEqual(t, len(up), limit)
	assert.Equal(t, ProgressEvent{LengthComputable: true, Loaded: size, Total: size}, down[len(down)-1])
	assert.Equal(t, ProgressEvent{LengthComputable: true, Loaded: size, Total: size}, up[len(up)-1])
	assert.Equal(t, 200, x.Status())
	assert.Equal(t, "", x.Response(), "a response written to a writer is not kept")
}

func TestResponseWriter(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	var sb strings.Builder
	require.NoError(t, x.SetResponseWriter(&sb))
	require.NoError(t, x.OpenAsync("POST", "/echo", false, "", ""))
	require.NoError(t, x.Send(fetch.String("streamed to a writer")))
	assert.Equal(t, "streamed to a writer", sb.String())
	require.ErrorIs(t, x.SetResponseWriter(nil), ErrInvalidState)
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestResponseWriterError(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	require.NoError(t, x.SetResponseWriter(failingWriter{}))
	got := make(chan error, 1)
	x.OnError(func(err error) { got <- err })
	require.NoError(t, x.Open("POST", "/echo"))
	require.NoError(t, x.Send(fetch.String("data")))
	err := <-got
	require.ErrorIs(t, err, fetch.ErrNetwork)
	assert.ErrorContains(t, err, "disk full")
}

func TestAbortIdle(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	x.Abort() // nothing to abort
	assert.Equal(t, StateUnsent, x.ReadyState())
	require.NoError(t, x.OpenAsync("GET", "/echo", false, "", ""))
	require.NoError(t, x.Send(nil))
	assert.Equal(t, StateDone, x.ReadyState())
	r := record(x)
	x.Abort()
	assert.Equal(t, StateUnsent, x.ReadyState(), "abort resets a DONE request")
	assert.Empty(t, r.list(), "without events")
	assert.Equal(t, 0, x.Status())
}

func TestDocumentParsing(t *testing.T) {
	_, err := ParseDocument("x", "text/plain")
	require.ErrorIs(t, err, ErrNotSupported)
	_, err = ParseDocument("<a><b></a>", "application/xml")
	require.ErrorIs(t, err, ErrSyntax)
	_, err = ParseDocument("<a/><b/>", "application/xml")
	require.ErrorIs(t, err, ErrSyntax)
	_, err = ParseDocument("  ", "application/xml")
	require.ErrorIs(t, err, ErrSyntax)
	doc, err := ParseDocument(`<!DOCTYPE note><note xmlns="urn:n" xmlns:x="urn:x" x:a="1&amp;2"><!--c--><x:to>A &lt; B</x:to><e/></note>`, "image/svg+xml")
	require.NoError(t, err)
	assert.Equal(t, "image/svg+xml", doc.ContentType())
	assert.Equal(t, "UTF-8", doc.CharacterSet())
	assert.Equal(t, "", doc.URL())
	assert.Equal(t, html.DoctypeNode, doc.Node().FirstChild.Type)
	assert.Equal(t, `<!DOCTYPE note><note xmlns="urn:n" xmlns:x="urn:x" x:a="1&amp;2"><!--c--><x:to>A &lt; B</x:to><e/></note>`, doc.String())
	assert.Equal(t, "A < B", doc.TextContent())

	h, err := ParseDocument("<title>x</title>", "text/html; charset=utf-8")
	require.NoError(t, err)
	assert.Equal(t, "<html><head><title>x</title></head><body></body></html>", h.String())
	rc, n, ct, err := h.ExtractBody()
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.Equal(t, int64(len(b)), n)
	assert.Equal(t, "text/html;charset=UTF-8", ct)

	empty := &Document{node: &html.Node{Type: html.DocumentNode}}
	assert.Nil(t, empty.DocumentElement())
	assert.Equal(t, "", empty.TextContent())
}

// TestRedirect307ResendsBody: a 307 makes fetch extract the body again;
// the upload events still describe one upload.
func TestRedirect307ResendsBody(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		http.Redirect(w, r, "/new", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, _ = fmt.Fprintf(w, "%s %s", r.Header.Get("Content-Type"), b)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	doc, err := ParseDocument("<a/>", "text/xml")
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		body fetch.BodyInit
		want string
	}{
		{"string", fetch.String("hello"), "text/plain;charset=UTF-8 hello"},
		{"document", doc, "application/xml;charset=UTF-8 <a/>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := newXHR(t, srv.URL)
			r := record(x)
			require.NoError(t, x.Open("POST", "/old"))
			require.NoError(t, x.Send(tt.body))
			r.waitLoadEnd(t)
			text, err := x.ResponseText()
			require.NoError(t, err)
			assert.Equal(t, tt.want, text)
			assert.Equal(t, srv.URL+"/new", x.ResponseURL())
			assert.Contains(t, r.list(), "upload.load"+strings.TrimPrefix(r.list()[3], "upload.progress"))
		})
	}
}

// TestSyncAbortFromAnotherGoroutine: a synchronous Send blocked on the
// network returns an abort error when another goroutine calls Abort.
func TestSyncAbortFromAnotherGoroutine(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	x := newXHR(t, srv.URL)
	r := record(x)
	require.NoError(t, x.OpenAsync("GET", "/", false, "", ""))
	go func() {
		<-arrived
		x.Abort()
	}()
	err := x.Send(nil)
	require.ErrorIs(t, err, fetch.ErrAbort)
	x.Abort() // settle: the abort steps have run once this returns
	assert.Equal(t, StateUnsent, x.ReadyState())
	assert.Equal(t, []string{"1"}, r.list(), "a synchronous request fires no abort events")
}

func TestSyncResponseWriter(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	var sb strings.Builder
	require.NoError(t, x.SetResponseWriter(&sb))
	require.NoError(t, x.OpenAsync("POST", "/echo", false, "", ""))
	require.NoError(t, x.Send(fetch.String("to the writer")))
	assert.Equal(t, "to the writer", sb.String())
	text, err := x.ResponseText()
	require.NoError(t, err)
	assert.Empty(t, text)

	y := newXHR(t, srv)
	require.NoError(t, y.SetResponseWriter(failingWriter{}))
	require.NoError(t, y.OpenAsync("POST", "/echo", false, "", ""))
	require.ErrorIs(t, y.Send(fetch.String("x")), fetch.ErrNetwork)
}

func TestDocumentWithBOM(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		switch r.URL.Query().Get("bom") {
		case "utf-16le":
			_, _ = w.Write([]byte("\xFF\xFE<\x00p\x00>\x00\xe9\x00"))
		case "utf-16be":
			_, _ = w.Write([]byte("\xFE\xFF\x00<\x00a\x00>\x00\xe9\x00<\x00/\x00a\x00>"))
		case "utf-8":
			_, _ = w.Write([]byte("\xEF\xBB\xBF<a>\xc3\xa9</a>"))
		}
	}))
	t.Cleanup(srv.Close)
	for _, tt := range []struct{ bom, contentType, charset string }{
		{"utf-16le", "text/html;charset=windows-1252", "utf-16le"},
		{"utf-16be", "application/xml", "utf-16be"},
		{"utf-8", "text/xml;charset=latin1", "UTF-8"},
	} {
		t.Run(tt.bom, func(t *testing.T) {
			x := newXHR(t, srv.URL)
			require.NoError(t, x.Open("GET", "/?bom="+tt.bom+"&type="+neturl.QueryEscape(tt.contentType)))
			require.NoError(t, x.SetResponseType(ResponseTypeDocument))
			r := record(x)
			require.NoError(t, x.Send(nil))
			r.waitLoadEnd(t)
			doc, err := x.ResponseXML()
			require.NoError(t, err)
			require.NotNil(t, doc)
			assert.Equal(t, tt.charset, doc.CharacterSet())
			assert.Equal(t, "é", doc.TextContent())
		})
	}
}

func TestStatusAndHeadersBeforeResponse(t *testing.T) {
	x := newXHR(t, "http://127.0.0.1/")
	assert.Equal(t, 0, x.Status())
	assert.Equal(t, "", x.StatusText())
	assert.Equal(t, "", x.ResponseURL())
	assert.Equal(t, "", x.GetAllResponseHeaders())
	_, ok := x.GetResponseHeader("Content-Type")
	assert.False(t, ok)
	assert.Equal(t, "", x.Response())
	require.NoError(t, x.SetResponseType(ResponseTypeBlob))
	assert.Nil(t, x.Response())
	require.NoError(t, x.SetResponseType(ResponseTypeText))
	s, err := x.ResponseText()
	require.NoError(t, err)
	assert.Empty(t, s)
	assert.Equal(t, StateUnsent, x.ReadyState())
	assert.NotPanics(t, func() { x.OnReadyStateChange(nil)() })
	assert.NotPanics(t, func() { x.OnError(nil)() })
}

// closeSignal is a reader that reports its Close.
type closeSignal struct {
	io.Reader
	closed chan struct{}
	once   sync.Once
}

func (c *closeSignal) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

// TestAbandonedBodyIsClosed: a body whose request is aborted before the
// fetch starts is closed, and a one-shot body cannot be sent twice.
func TestAbandonedBodyIsClosed(t *testing.T) {
	srv := eventServer(t)
	x := newXHR(t, srv)
	x.OnLoadStart(func(ProgressEvent) { x.Abort() })
	body := &closeSignal{Reader: strings.NewReader("never sent"), closed: make(chan struct{})}
	stream := fetch.Reader(body)
	require.NoError(t, x.Open("POST", "/echo"))
	require.NoError(t, x.Send(stream))
	select {
	case <-body.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the abandoned body was not closed")
	}
	assert.Equal(t, StateUnsent, x.ReadyState())

	y := newXHR(t, srv)
	require.NoError(t, y.Open("POST", "/echo"))
	require.ErrorIs(t, y.Send(stream), fetch.ErrTypeError, "a Reader body is extracted once")
	assert.Equal(t, StateOpened, y.ReadyState())
}

// abortingWriter calls Abort from the response writer, on the request's
// network goroutine.
type abortingWriter struct {
	x      *XMLHttpRequest
	n      int
	called chan struct{}
}

func (w *abortingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	if w.n >= 64<<10 && w.called != nil {
		close(w.called)
		w.called = nil
		w.x.Abort()
	}
	return len(p), nil
}

// TestAbortSettles: Abort from outside a listener returns after the
// request's goroutines are done; Abort from the response writer does not
// wait for itself.
func TestAbortSettles(t *testing.T) {
	srv := rawServer(t, func(conn net.Conn, _ *bufio.Reader, _ string) {
		_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n")
		_, _ = conn.Write(make([]byte, 256<<10))
		_, _ = io.Copy(io.Discard, conn)
	})
	x := newXHR(t, srv)
	r := record(x)
	w := &abortingWriter{x: x, called: make(chan struct{})}
	called := w.called
	require.NoError(t, x.SetResponseWriter(w))
	require.NoError(t, x.Open("GET", "/"))
	require.NoError(t, x.Send(nil))
	r.waitLoadEnd(t)
	<-called
	assert.Equal(t, "abort(0,0,false)", r.list()[len(r.list())-2])

	y := newXHR(t, srv)
	ry := record(y)
	require.NoError(t, y.Open("GET", "/"))
	require.NoError(t, y.Send(nil))
	y.Abort()
	y.mu.Lock()
	assert.Nil(t, y.fetchExited)
	y.mu.Unlock()
	y.loop.mu.Lock()
	assert.False(t, y.loop.running, "the dispatch goroutine has exited")
	y.loop.mu.Unlock()
	assert.Equal(t, "loadend(0,0,false)", ry.list()[len(ry.list())-1])
}
