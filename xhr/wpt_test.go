package xhr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/internal/testutil"
	"github.com/webnet-go/webnet/internal/textenc"
)

// xhrTables is xhr/xhr-tables.json.
type xhrTables struct {
	GetAllResponseHeaders struct {
		Cases []struct {
			Asis     string `json:"asis"`
			Expected string `json:"expected"`
		} `json:"cases"`
	} `json:"getAllResponseHeaders"`
	Combining struct {
		Calls          []string `json:"calls"`
		Header         string   `json:"header"`
		ExpectedServer string   `json:"expected_server_saw"`
	} `json:"setRequestHeader_combining"`
	InvalidNames struct {
		Names         []string `json:"names"`
		NonByteString []string `json:"non_bytestring_names_TypeError"`
	} `json:"setRequestHeader_invalid_names_SyntaxError"`
	InvalidValues struct {
		SyntaxError []string `json:"SyntaxError"`
		TypeError   []string `json:"TypeError"`
	} `json:"setRequestHeader_invalid_values"`
	ContentTypeCharset struct {
		Cases [][2]*string `json:"cases"`
	} `json:"send_content_type_charset"`
	ContentTypeDefault struct {
		Cases [][2]string `json:"cases"`
	} `json:"send_content_type_default"`
	ResponseText struct {
		Cases [][3]string `json:"cases"`
	} `json:"responseText_decoding_text_plain"`
	EventOrder struct {
		Sequences []struct {
			File     string `json:"file"`
			Title    string `json:"title"`
			Expected []any  `json:"expected_order"`
		} `json:"sequences"`
	} `json:"event_order_sequences"`
}

// TestWPTXHRTables runs every case of xhr-tables.json against real
// loopback servers.
func TestWPTXHRTables(t *testing.T) {
	var tables xhrTables
	testutil.LoadWPTJSON(t, "xhr/xhr-tables.json", &tables)
	c := testutil.NewConformance(t, "xhr-tables.json")

	t.Run("getAllResponseHeaders", func(t *testing.T) { wptAllResponseHeaders(t, c, &tables) })
	t.Run("setRequestHeader", func(t *testing.T) { wptSetRequestHeader(t, c, &tables) })
	t.Run("contentTypeCharset", func(t *testing.T) { wptContentTypeCharset(t, c, &tables) })
	t.Run("responseText", func(t *testing.T) { wptResponseText(t, c, &tables) })
	t.Run("eventOrder", func(t *testing.T) { wptEventOrder(t, c, &tables) })
}

// serveAsis serves the bytes of an .asis file, exactly, to each
// connection of a loopback listener after reading its request head, then
// closes the connection (wptserve's as-is handler). It returns the
// server's URL.
func serveAsis(t *testing.T, raw []byte) string {
	return rawServer(t, func(conn net.Conn, _ *bufio.Reader, _ string) { _, _ = conn.Write(raw) })
}

// lenientTransport is an HTTP/1.x client transport for the .asis
// responses, which browsers accept and net/http rejects: a header block
// ended by the end of the connection instead of an empty line, control
// bytes such as VT and FF in a value, and repeated Content-Length headers
// (which net/http merges into one). It sends one request per connection
// and reads the response until the server closes it, keeping every header
// line as it came (the value with HTTP tabs and spaces trimmed, as the
// Fetch Standard's header parsing does).
type lenientTransport struct{}

func (lenientTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	var d net.Dialer
	conn, err := d.DialContext(req.Context(), "tcp", req.URL.Host)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(req.Context(), func() { conn.Close() })
	defer stop()
	if _, err := fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", req.Method, req.URL.RequestURI(), req.URL.Host); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(conn)
	if err != nil {
		return nil, err
	}
	return parseLenientResponse(raw, req)
}

func parseLenientResponse(raw []byte, req *http.Request) (*http.Response, error) {
	head, body := raw, []byte(nil)
	if i := bytes.Index(raw, []byte("\n\r\n")); i >= 0 {
		head, body = raw[:i+1], raw[i+3:]
	} else if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		head, body = raw[:i+1], raw[i+2:]
	}
	lines := strings.Split(strings.TrimRight(string(head), "\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	proto, rest, ok := strings.Cut(lines[0], " ")
	if !ok {
		return nil, fmt.Errorf("malformed status line %q", lines[0])
	}
	codeStr, _, _ := strings.Cut(rest, " ")
	code, err := strconv.Atoi(codeStr)
	if err != nil {
		return nil, fmt.Errorf("malformed status line %q", lines[0])
	}
	major, minor, _ := http.ParseHTTPVersion(proto)
	resp := &http.Response{
		Status: rest, StatusCode: code, Proto: proto, ProtoMajor: major, ProtoMinor: minor,
		Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)), Request: req,
	}
	for _, line := range lines[1:] {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("malformed header line %q", line)
		}
		key := http.CanonicalHeaderKey(name)
		resp.Header[key] = append(resp.Header[key], strings.Trim(value, " \t"))
	}
	return resp, nil
}

func wptAllResponseHeaders(t *testing.T, c *testutil.Conformance, tables *xhrTables) {
	dir := testutil.WPTFile(t, "xhr/asis")
	client := &fetch.Client{HTTPClient: &http.Client{Transport: lenientTransport{}}}
	for _, tc := range tables.GetAllResponseHeaders.Cases {
		raw, err := os.ReadFile(dir + "/" + tc.Asis)
		require.NoError(t, err)
		srv := serveAsis(t, raw)
		x := New(t.Context(), &Options{Client: client})
		require.NoError(t, x.OpenAsync("GET", srv+"/"+tc.Asis, false, "", ""))
		if err := x.Send(nil); err != nil {
			c.Fail(tc.Asis, "Send: %v", err)
			continue
		}
		got := x.GetAllResponseHeaders()
		c.Check(got == tc.Expected, tc.Asis, "getAllResponseHeaders() = %q, want %q", got, tc.Expected)
	}
}

// rawHeadServer is a loopback server that reads each request head as
// bytes and answers with the lines of the header named header, "name:
// value\n" as the client sent them, like WPT's inspect-headers.py.
func rawHeadServer(t *testing.T, header string) string {
	return rawServer(t, func(conn net.Conn, _ *bufio.Reader, head string) {
		var out strings.Builder
		for line := range strings.SplitSeq(head, "\r\n") {
			name, value, ok := strings.Cut(line, ":")
			if ok && strings.EqualFold(name, header) {
				out.WriteString(strings.ToLower(name) + ":" + value + "\n")
			}
		}
		fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n%s", out.Len(), out.String())
	})
}

func wptSetRequestHeader(t *testing.T, c *testutil.Conformance, tables *xhrTables) {
	// Combining: the author request headers hold exactly the value the
	// table gives; the server, which reads the header line, sees it too
	// (net/http, like every HTTP/1 implementation, drops the trailing
	// whitespace of a field value, which RFC 9110 says is not part of it).
	comb := tables.Combining
	srv := rawHeadServer(t, comb.Header)
	x := newXHR(t, srv)
	require.NoError(t, x.OpenAsync("GET", "/inspect", false, "", ""))
	for _, v := range comb.Calls {
		require.NoError(t, x.SetRequestHeader(comb.Header, v))
	}
	x.mu.Lock()
	authored, _ := x.authorHeaders.get(comb.Header)
	x.mu.Unlock()
	wantValue := strings.TrimPrefix(strings.TrimSuffix(comb.ExpectedServer, "\n"), comb.Header+": ")
	err := x.Send(nil)
	text, _ := x.ResponseText()
	wantWire := comb.Header + ": " + strings.TrimRight(wantValue, " \t") + "\n"
	c.Check(err == nil && authored == wantValue && text == wantWire, "setRequestHeader-combining",
		"author header %q (want %q), server saw %q (want %q), err %v", authored, wantValue, text, wantWire, err)

	open := func() *XMLHttpRequest {
		x := newXHR(t, "http://127.0.0.1/")
		require.NoError(t, x.Open("GET", "/"))
		return x
	}
	for _, name := range tables.InvalidNames.Names {
		err := open().SetRequestHeader(name, "x")
		c.Check(errors.Is(err, ErrSyntax), "invalid name "+strconv.Quote(name), "SetRequestHeader error %v, want ErrSyntax", err)
	}
	for _, name := range tables.InvalidNames.NonByteString {
		// JavaScript throws a TypeError converting the name to a
		// ByteString; the UTF-8 bytes of the Go string are not a token,
		// so Go reports ErrSyntax.
		err := open().SetRequestHeader(name, "x")
		c.Check(errors.Is(err, ErrSyntax), "non-ByteString name "+strconv.Quote(name), "SetRequestHeader error %v, want ErrSyntax", err)
	}
	for _, value := range tables.InvalidValues.SyntaxError {
		err := open().SetRequestHeader("x-test", value)
		c.Check(errors.Is(err, ErrSyntax), "invalid value "+strconv.Quote(value), "SetRequestHeader error %v, want ErrSyntax", err)
	}
	for _, value := range tables.InvalidValues.TypeError {
		c.Skip("TypeError value "+strconv.Quote(value),
			"WebIDL coercion: JavaScript's ByteString conversion of a string or of a missing argument; a Go string is already bytes and the argument cannot be omitted")
	}
}

// contentTypeEcho answers each request with the Content-Type it carried,
// or "NO" when it had none (WPT's content.py).
func contentTypeEcho(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		v, ok := r.Header["Content-Type"]
		if !ok {
			_, _ = io.WriteString(w, "NO")
			return
		}
		_, _ = io.WriteString(w, v[0])
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func wptContentTypeCharset(t *testing.T, c *testutil.Conformance, tables *xhrTables) {
	srv := contentTypeEcho(t)
	send := func(contentType *string) (string, error) {
		x := newXHR(t, srv)
		require.NoError(t, x.OpenAsync("POST", "/content", false, "", ""))
		if contentType != nil {
			require.NoError(t, x.SetRequestHeader("Content-Type", *contentType))
		}
		if err := x.Send(fetch.String("TEST")); err != nil {
			return "", err
		}
		return x.ResponseText()
	}
	for _, tc := range tables.ContentTypeCharset.Cases {
		name := "null"
		if tc[0] != nil {
			name = strconv.Quote(*tc[0])
		}
		got, err := send(tc[0])
		c.Check(err == nil && got == *tc[1], "send-content-type-charset "+name, "server saw %q, want %q (err %v)", got, *tc[1], err)
	}
	for _, tc := range tables.ContentTypeDefault.Cases {
		got, err := send(nil)
		c.Check(err == nil && got == tc[1], tc[0], "server saw %q, want %q (err %v)", got, tc[1], err)
	}
}

func wptResponseText(t *testing.T, c *testutil.Conformance, tables *xhrTables) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// WPT's status.py: ?type= is the Content-Type, ?content= the body.
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		_, _ = io.WriteString(w, r.URL.Query().Get("content"))
	}))
	t.Cleanup(srv.Close)
	get := func(contentType string, body []byte, rt ResponseType) (string, error) {
		x := newXHR(t, srv.URL)
		q := "?type=" + neturl.QueryEscape(contentType) + "&content=" + neturl.QueryEscape(string(body))
		require.NoError(t, x.Open("GET", "/status"+q))
		require.NoError(t, x.SetResponseType(rt))
		r := record(x)
		require.NoError(t, x.Send(nil))
		r.waitLoadEnd(t)
		return x.ResponseText()
	}
	for _, tc := range tables.ResponseText.Cases {
		contentType, body, want := tc[0], []byte(textenc.PercentDecode(tc[1])), tc[2]
		types := []ResponseType{ResponseTypeDefault, ResponseTypeText}
		if ct, rt, ok := strings.Cut(contentType, " (responseType '"); ok {
			contentType = ct
			types = []ResponseType{ResponseType(strings.TrimSuffix(rt, "')"))}
		}
		name := fmt.Sprintf("%s %q", tc[0], tc[1])
		ok, msg := true, ""
		for _, rt := range types {
			got, err := get(contentType, body, rt)
			if err != nil || got != want {
				ok = false
				msg += fmt.Sprintf("responseType %q: responseText %q, want %q (err %v); ", rt, got, want, err)
			}
		}
		c.Check(ok, name, "%s", msg)
	}
}

// eventServer serves the requests of the event-order scenarios:
// /echo answers with the request body (Content-Length set), /empty with an
// empty body, /hang never answers until the client goes away.
func eventServer(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/echo":
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			_, _ = w.Write(b)
		case "/empty":
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Length", "0")
		case "/hang":
			<-r.Context().Done()
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// refusedURL returns the URL of a loopback port nothing listens on.
func refusedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr + "/"
}

// slowDialClient is a client whose connections are never established
// before the request's context (or the test) ends: the network of a
// request that times out before its first byte leaves.
func slowDialClient(t *testing.T) *fetch.Client {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-stop:
			return nil, errors.New("test over")
		}
	}}
	return &fetch.Client{HTTPClient: &http.Client{Transport: tr}}
}

// eventScenarios drive each sequence of the table the way its WPT test
// does. Each returns the recorder once the last expected event is in.
var eventScenarios = map[string]func(t *testing.T, srv string) *recorder{
	"xhr/abort-after-send.any.js": func(t *testing.T, srv string) *recorder {
		x := newXHR(t, srv)
		r := record(x)
		require.NoError(t, x.Open("GET", "/hang"))
		require.NoError(t, x.Send(nil))
		x.Abort()
		r.waitLoadEnd(t)
		return r
	},
	"xhr/abort-during-upload.any.js": func(t *testing.T, srv string) *recorder {
		x := newXHR(t, srv)
		r := record(x)
		x.Upload().OnLoadStart(func(ProgressEvent) { x.Abort() })
		require.NoError(t, x.Open("POST", "/hang"))
		require.NoError(t, x.Send(fetch.String(strings.Repeat("A", 9999))))
		r.waitLoadEnd(t)
		return r
	},
	"xhr/abort-event-order.htm": func(t *testing.T, srv string) *recorder {
		x := newXHR(t, srv)
		r := record(x)
		x.OnLoadStart(func(ProgressEvent) {
			if x.ReadyState() == StateOpened {
				x.Abort()
			}
		})
		require.NoError(t, x.Open("POST", "/echo"))
		require.NoError(t, x.Send(fetch.String("Test Message")))
		r.waitLoadEnd(t)
		return r
	},
	"xhr/event-error-order.sub.html": func(t *testing.T, _ string) *recorder {
		x := newXHR(t, "")
		r := record(x)
		require.NoError(t, x.Open("POST", refusedURL(t)))
		require.NoError(t, x.Send(fetch.String("Test Message")))
		r.waitLoadEnd(t)
		return r
	},
	"xhr/event-timeout-order.any.js": func(t *testing.T, srv string) *recorder {
		x := New(t.Context(), &Options{Client: slowDialClient(t), BaseURL: srv})
		r := record(x)
		require.NoError(t, x.SetTimeout(5*time.Millisecond))
		require.NoError(t, x.Open("POST", "/hang"))
		require.NoError(t, x.Send(fetch.String("Test Message")))
		r.waitLoadEnd(t)
		return r
	},
	"xhr/send-no-response-event-order.htm": func(t *testing.T, srv string) *recorder {
		x := newXHR(t, srv)
		r := record(x)
		require.NoError(t, x.Open("POST", "/empty"))
		require.NoError(t, x.Send(nil))
		r.waitLoadEnd(t)
		return r
	},
	"xhr/send-response-event-order.htm": func(t *testing.T, srv string) *recorder {
		x := newXHR(t, srv)
		r := record(x)
		require.NoError(t, x.Open("POST", "/echo"))
		require.NoError(t, x.Send(fetch.String("Test Message")))
		r.waitLoadEnd(t)
		return r
	},
	"xhr/send-sync-response-event-order.htm": func(t *testing.T, srv string) *recorder {
		x := newXHR(t, srv)
		r := record(x)
		require.NoError(t, x.OpenAsync("POST", "/echo", false, "", ""))
		require.NoError(t, x.Send(fetch.String("Test Message")))
		r.waitLoadEnd(t)
		return r
	},
}

func wptEventOrder(t *testing.T, c *testutil.Conformance, tables *xhrTables) {
	srv := eventServer(t)
	for _, seq := range tables.EventOrder.Sequences {
		scenario, ok := eventScenarios[seq.File]
		if !assert.True(t, ok, "no scenario for %s", seq.File) {
			c.Fail(seq.File, "no scenario")
			continue
		}
		want := make([]string, len(seq.Expected))
		for i, e := range seq.Expected {
			switch v := e.(type) {
			case float64:
				want[i] = strconv.Itoa(int(v))
			default:
				want[i] = fmt.Sprint(v)
			}
		}
		var got []string
		t.Run(seq.File, func(t *testing.T) {
			got = scenario(t, srv).list()
		})
		c.Check(slices.Equal(got, want), seq.File, "events %q, want %q", got, want)
	}
}
