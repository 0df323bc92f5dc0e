package websocket

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/internal/testutil"
	"github.com/webnet-go/webnet/url"
)

// wptTables is the part of websockets-tables.json the tests read.
type wptTables struct {
	ClientSide struct {
		CloseCode struct {
			Throws   [][2]json.RawMessage `json:"throws_InvalidAccessError"`
			Accepted []json.RawMessage    `json:"accepted"`
		} `json:"close_code_validation"`
		CloseReason struct {
			Cases []struct {
				Reason string `json:"reason"`
				Bytes  int    `json:"bytes"`
				Expect string `json:"expect"`
			} `json:"cases"`
		} `json:"close_reason_validation"`
		InvalidURLs struct {
			Inputs []string `json:"inputs"`
		} `json:"invalid_urls_SyntaxError"`
		URLWithSpace struct {
			Input  string `json:"input"`
			Expect string `json:"expect"`
		} `json:"url_with_space"`
		HTTPSchemes struct {
			Cases [][2]string `json:"cases"`
		} `json:"http_schemes_mapped"`
		RelativeURLs struct {
			Inputs []string `json:"inputs"`
		} `json:"relative_urls"`
		BlockedPorts struct {
			Ports []int `json:"ports"`
		} `json:"blocked_ports"`
		Protocols struct {
			Cases [][2]string `json:"cases"`
		} `json:"protocols_validation_SyntaxError"`
		Initial struct {
			BinaryType string `json:"binaryType_initial"`
			Protocol   string `json:"protocol_initial"`
			Extensions string `json:"extensions_after_open_without_extensions"`
			ReadyState int    `json:"readyState_initial"`
		} `json:"initial_attributes"`
	} `json:"client_side_no_server"`
	EchoServer struct {
		CloseEvents []struct {
			From   string         `json:"from"`
			Action string         `json:"action"`
			Expect map[string]any `json:"expect"`
		} `json:"close_events"`
		Send []struct {
			From   string          `json:"from"`
			Data   *string         `json:"data"`
			Expect json.RawMessage `json:"expect"`
		} `json:"send"`
	} `json:"needs_echo_server"`
}

// countingServer wraps the test server to count the HTTP requests it gets,
// to prove that constructor errors come before any network I/O.
type countingServer struct {
	*testServer
	requests atomic.Int64
}

func newCountingServer(t *testing.T) *countingServer {
	cs := &countingServer{testServer: newTestServer(t)}
	inner := cs.Config.Handler
	cs.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.requests.Add(1)
		inner.ServeHTTP(w, r)
	})
	return cs
}

// subst fills in WPT's placeholders.
func (cs *countingServer) subst(s string) string {
	host := strings.TrimPrefix(cs.URL, "http://")
	s = strings.ReplaceAll(s, "<origin>", cs.URL)
	s = strings.ReplaceAll(s, "<host>", host)
	s = strings.ReplaceAll(s, "web platform.test:<port>", "web platform.test:"+strings.Split(host, ":")[1])
	return s
}

// TestWPTWebSocketsTables runs every client-side rule of
// websockets-tables.json, and the echo-server cases against the loopback
// test server.
func TestWPTWebSocketsTables(t *testing.T) {
	var tables wptTables
	testutil.LoadWPTJSON(t, "websockets/websockets-tables.json", &tables)
	c := testutil.NewConformance(t, "websockets-tables.json")
	cs := newCountingServer(t)
	cl := tables.ClientSide
	// Every table the loops below read must be there: one that is missing
	// or renamed would make its loop run zero times, and its rule pass
	// unchecked.
	for name, n := range map[string]int{
		"close_code_validation.throws_InvalidAccessError": len(cl.CloseCode.Throws),
		"close_code_validation.accepted":                  len(cl.CloseCode.Accepted),
		"close_reason_validation.cases":                   len(cl.CloseReason.Cases),
		"invalid_urls_SyntaxError.inputs":                 len(cl.InvalidURLs.Inputs),
		"url_with_space.input":                            len(cl.URLWithSpace.Input),
		"http_schemes_mapped.cases":                       len(cl.HTTPSchemes.Cases),
		"relative_urls.inputs":                            len(cl.RelativeURLs.Inputs),
		"blocked_ports.ports":                             len(cl.BlockedPorts.Ports),
		"protocols_validation_SyntaxError.cases":          len(cl.Protocols.Cases),
		"initial_attributes.binaryType_initial":           len(cl.Initial.BinaryType),
		"needs_echo_server.close_events":                  len(tables.EchoServer.CloseEvents),
		"needs_echo_server.send":                          len(tables.EchoServer.Send),
	} {
		require.NotZero(t, n, "websockets-tables.json has no %s", name)
	}

	// close(code): InvalidAccessError on a socket that is still
	// CONNECTING (no server needed for the throw) and on an open one.
	for _, tc := range cl.CloseCode.Throws {
		name := "close code " + string(tc[0]) + " (" + string(tc[1]) + ")"
		code, ok := jsCloseCode(tc[0])
		if !ok {
			c.Fail(name, "unreadable case")
			continue
		}
		connecting, _ := dial(t, cs.ws+"/never", nil)
		err1 := connecting.CloseWith(code, "")
		state1 := connecting.ReadyState()
		_ = connecting.Close()
		open, rec := dial(t, cs.ws+"/echo", nil)
		rec.expectOpen(t)
		err2 := open.CloseWith(code, "")
		state2 := open.ReadyState()
		_ = open.Close()
		c.Check(errors.Is(err1, ErrInvalidAccess) && errors.Is(err2, ErrInvalidAccess) &&
			state1 == StateConnecting && state2 == StateOpen,
			name, "CloseWith(%d): %v / %v, states %v / %v", code, err1, err2, state1, state2)
	}
	for _, raw := range cl.CloseCode.Accepted {
		name := "close code " + string(raw) + " accepted"
		ws, rec := dial(t, cs.ws+"/echo", nil)
		rec.expectOpen(t)
		var err error
		want := 1005
		if code, ok := jsCloseCode(raw); ok {
			err, want = ws.CloseWith(code, ""), code
		} else { // undefined: close()
			err = ws.Close()
		}
		ev := rec.expectClose(t)
		c.Check(err == nil && ev.Code == want && ev.WasClean, name, "err %v, close event %+v", err, ev)
	}

	// close(code, reason): SyntaxError for a reason over 123 bytes, and no
	// close event follows; the code is checked first.
	for _, tc := range cl.CloseReason.Cases {
		name := fmt.Sprintf("close reason of %d bytes", tc.Bytes)
		ws, rec := dial(t, cs.ws+"/echo", nil)
		rec.expectOpen(t)
		err := ws.CloseWith(1000, tc.Reason)
		errCode := ws.CloseWith(2999, tc.Reason)
		state := ws.ReadyState()
		_ = ws.Close() // now a real close
		ev := rec.expectClose(t)
		c.Check(len(tc.Reason) == tc.Bytes && tc.Expect == "SyntaxError" && errors.Is(err, ErrSyntax) &&
			errors.Is(errCode, ErrInvalidAccess) && state == StateOpen && ev.Code == 1005,
			name, "err %v, with a bad code %v, state %v, then %+v", err, errCode, state, ev)
	}
	{
		// WTF-8 for the lone surrogate U+D807: Go strings hold bytes, so a
		// lone surrogate arrives as invalid UTF-8, which becomes U+FFFD.
		name := "close reason with an unpaired surrogate"
		ws, rec := dial(t, cs.ws+"/echo", nil)
		rec.expectOpen(t)
		err := ws.CloseWith(1000, "\xed\xa0\x87")
		ev := rec.expectClose(t)
		c.Check(err == nil && ev.Reason == "\uFFFD", name, "err %v, event %+v", err, ev)
	}

	// Constructor errors, all before any network I/O.
	syntaxCase := func(name, input string, protocols ...string) {
		before := cs.requests.Load()
		ws, err := New(t.Context(), input, protocols...)
		if ws != nil {
			_ = ws.Close()
		}
		c.Check(ws == nil && errors.Is(err, ErrSyntax) && cs.requests.Load() == before,
			name, "New(%q, %q): %v", input, protocols, err)
	}
	for _, in := range cl.InvalidURLs.Inputs {
		syntaxCase("invalid URL "+in, cs.subst(in))
	}
	syntaxCase("URL with a space", cs.subst(cl.URLWithSpace.Input))
	for _, tc := range cl.Protocols.Cases {
		syntaxCase("subprotocols "+tc[0], cs.ws+"/echo", jsProtocols(t, tc[0])...)
	}

	// http: and https: are mapped to ws: and wss:.
	for _, tc := range cl.HTTPSchemes.Cases {
		in, want := cs.subst(tc[0]), cs.subst(tc[1])
		ws, err := New(t.Context(), in)
		if err != nil {
			c.Fail("scheme "+tc[0], "New: %v", err)
			continue
		}
		got := ws.URL()
		_ = ws.Close()
		c.Check(got == want, "scheme "+tc[0], "URL() = %q, want %q", got, want)
	}

	// Relative URLs are resolved against the base URL (Options.Base).
	base := cs.URL + "/echo"
	for _, in := range cl.RelativeURLs.Inputs {
		input, _, _ := strings.Cut(in, " (")
		ref, err := url.ParseWithBase(input, base)
		require.NoError(t, err)
		want := "ws" + strings.TrimPrefix(ref.Href(), "http")
		ws, err := NewWithOptions(t.Context(), input, &Options{Base: base})
		if err != nil {
			c.Fail("relative URL "+in, "NewWithOptions: %v", err)
			continue
		}
		got := ws.URL()
		_ = ws.Close()
		c.Check(got == want, "relative URL "+in, "URL() = %q, want %q", got, want)
	}

	// A bad port does not make the constructor fail: an error event, then
	// a close event, and no open event.
	for _, port := range cl.BlockedPorts.Ports {
		name := fmt.Sprintf("blocked port %d", port)
		ws, rec := dial(t, fmt.Sprintf("ws://127.0.0.1:%d/echo", port), nil)
		err := rec.expectError(t)
		ev := rec.expectClose(t)
		<-ws.done
		rest := rec.rest()
		c.Check(errors.Is(err, ErrFailed) && strings.Contains(err.Error(), "bad port") &&
			ev.Code == 1006 && !ev.WasClean && len(rest) == 0,
			name, "error %v, close %+v, then %v", err, ev, rest)
	}
	{
		ws, rec := dial(t, cs.ws+"/echo", nil)
		rec.expectOpen(t)
		c.Check(ws.ReadyState() == StateOpen, "blocked ports: basic check", "state %v", ws.ReadyState())
		_ = ws.Close()
	}

	// send() while CONNECTING: InvalidStateError.
	{
		ws, _ := dial(t, cs.ws+"/never", nil)
		e1, e2, e3 := ws.Send("x"), ws.SendBytes([]byte("x")), ws.SendBlob(blob.New(nil, nil))
		buffered := ws.BufferedAmount()
		_ = ws.Close()
		c.Check(errors.Is(e1, ErrInvalidState) && errors.Is(e2, ErrInvalidState) && errors.Is(e3, ErrInvalidState) &&
			buffered == 0, "send before open", "%v / %v / %v, buffered %d", e1, e2, e3, buffered)
	}

	// Initial attributes, and extensions after an open without any.
	{
		ini := cl.Initial
		var (
			bt    BinaryType
			proto string
			state ReadyState
		)
		ws, rec := dial(t, cs.ws+"/echo", &Options{Setup: func(ws *WebSocket) {
			// Right after construction, as JavaScript reads them.
			bt, proto, state = ws.BinaryType(), ws.Protocol(), ws.ReadyState()
		}})
		rec.expectOpen(t)
		ext := ws.Extensions()
		_ = ws.Close()
		c.Check(string(bt) == ini.BinaryType, "binaryType initial", "%q", bt)
		c.Check(ini.Protocol == "''" && proto == "", "protocol initial", "%q", proto)
		c.Check(ini.Extensions == "''" && ext == "", "extensions after open", "%q", ext)
		c.Check(int(state) == ini.ReadyState, "readyState initial", "%v", state)
	}

	// An invalid binaryType is ignored; the socket still closes cleanly.
	{
		ws, rec := dial(t, cs.ws+"/echo", nil)
		rec.expectOpen(t)
		ws.SetBinaryType("notBlobOrArrayBuffer")
		ws.SetBinaryType("")
		bt := ws.BinaryType()
		err := ws.CloseWith(1000, "")
		ev := rec.expectClose(t)
		c.Check(bt == BinaryTypeBlob && err == nil && ev.WasClean, "binaryType invalid", "%q, %+v", bt, ev)
	}

	wptCloseEvents(t, c, cs, tables)
	wptSend(t, c, cs, tables)
	wptBufferedAmount(t, c, cs)
	wptProtocols(t, c, cs)
}

// jsCloseCode turns a WPT close code argument into the Go int: WebIDL's
// [Clamp] unsigned short conversion maps NaN, null and strings to 0, and
// 66536 to 65535 (which is just as invalid as the int 66536 Go passes).
func jsCloseCode(raw json.RawMessage) (int, bool) {
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return n, true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return 0, false
	}
	switch {
	case s == "NaN", s == "null", strings.HasPrefix(s, "'"):
		return 0, true
	case strings.HasPrefix(s, "undefined"):
		return 0, false
	}
	return 0, false
}

// jsProtocols turns a WPT protocols argument ("['echo','eCho'] (...)" or
// "'\u0080echo'") into Go strings.
func jsProtocols(t *testing.T, js string) []string {
	js, _, _ = strings.Cut(js, " (")
	js = strings.Trim(js, "[]")
	var out []string
	for p := range strings.SplitSeq(js, ",") {
		p = strings.Trim(strings.TrimSpace(p), "'")
		p = strings.ReplaceAll(p, `\u0080`, "\u0080")
		out = append(out, p)
	}
	require.NotEmpty(t, out)
	return out
}

// wptCloseEvents runs the needs_echo_server close_events cases.
func wptCloseEvents(t *testing.T, c *testutil.Conformance, cs *countingServer, tables wptTables) {
	// closeWith opens /echo, runs close, and returns the close event and
	// the ready state seen inside the close handler.
	closeWith := func(close func(ws *WebSocket) error) (error, CloseEvent, ReadyState) {
		inClose := make(chan ReadyState, 1)
		ws, rec := dial(t, cs.ws+"/echo", &Options{Setup: func(ws *WebSocket) {
			ws.OnClose(func(CloseEvent) { inClose <- ws.ReadyState() })
		}})
		rec.expectOpen(t)
		err := close(ws)
		ev := rec.expectClose(t)
		return err, ev, <-inClose
	}
	for _, tc := range tables.EchoServer.CloseEvents {
		name := tc.From
		switch tc.From {
		case "Close-1000-verify-code.any.js", "Close-3000-verify-code.any.js":
			code := 1000
			if strings.HasPrefix(tc.From, "Close-3000") {
				code = 3000
			}
			err, ev, _ := closeWith(func(ws *WebSocket) error { return ws.CloseWith(code, "Clean Close") })
			want, _ := tc.Expect["code"].(float64)
			reason, hasReason := tc.Expect["reason"].(string)
			c.Check(err == nil && ev.Code == int(want) && (!hasReason || ev.Reason == reason) && ev.WasClean,
				name, "err %v, event %+v", err, ev)
		case "Close-1005-verify-code.any.js", "Close-undefined.any.js":
			err, ev, _ := closeWith(func(ws *WebSocket) error { return ws.Close() })
			c.Check(err == nil && ev.Code == 1005 && ev.Reason == "" && ev.WasClean, name, "err %v, event %+v", err, ev)
		case "Close-1000-reason.any.js / Close-4999-reason.any.js / Close-readyState-Closed.any.js":
			for _, sub := range []struct {
				code   int
				reason string
			}{{1000, "Clean Close"}, {4999, "Close with code 4999"}, {1000, ""}} {
				err, ev, st := closeWith(func(ws *WebSocket) error { return ws.CloseWith(sub.code, sub.reason) })
				c.Check(err == nil && ev.Code == sub.code && ev.Reason == sub.reason && ev.WasClean && st == StateClosed,
					fmt.Sprintf("%s close(%d, %q)", name, sub.code, sub.reason), "err %v, event %+v, state %v", err, ev, st)
			}
		case "Close-readyState-Closing.any.js":
			var inOpen ReadyState
			ws, rec := dial(t, cs.ws+"/echo", &Options{Setup: func(ws *WebSocket) {
				ws.OnOpen(func() {
					_ = ws.Close() // from a handler: returns at once, as in JavaScript
					inOpen = ws.ReadyState()
				})
			}})
			rec.expectOpen(t)
			ev := rec.expectClose(t)
			<-ws.done
			c.Check(inOpen == StateClosing && ev.WasClean, name, "state right after close: %v, %+v", inOpen, ev)
		case "Close-server-initiated-close.any.js":
			err, ev, st := closeWith(func(ws *WebSocket) error { return ws.Send("Goodbye") })
			c.Check(err == nil && st == StateClosed && ev.WasClean && ev.Code == 1000 && ev.Reason == "Goodbye",
				name, "state %v, %+v", st, ev)
		case "Close-delayed.any.js":
			// The WPT handler waits 1 s; 300 ms proves the same point: the
			// close event waits for the peer's answer and is still clean.
			const delay = 300 * time.Millisecond
			var started time.Time
			ws, rec := dial(t, cs.ws+"/delayed-passive-close?ms=300", &Options{Setup: func(ws *WebSocket) {
				ws.OnOpen(func() {
					_ = ws.Send("wait")
					started = time.Now()
					_ = ws.Close()
				})
			}})
			rec.expectOpen(t)
			ev := rec.expectClose(t)
			<-ws.done
			elapsed := time.Since(started)
			c.Check(ev.WasClean && elapsed >= delay-50*time.Millisecond, name, "after %v: %+v", elapsed, ev)
		default:
			c.Fail(name, "case not understood by the test")
		}
	}
}

// wptSend runs the needs_echo_server send cases.
func wptSend(t *testing.T, c *testutil.Conformance, cs *countingServer, tables wptTables) {
	echoText := func(name, data, want string, wantBuffered int) {
		gate := make(chan struct{})
		ws, rec := dial(t, cs.ws+"/echo", &Options{beforeWrite: func(context.Context) { <-gate }})
		rec.expectOpen(t)
		require.NoError(t, ws.Send(data))
		buffered := ws.BufferedAmount()
		close(gate)
		m := rec.expectMessage(t)
		_ = ws.Close()
		c.Check(m.Data == want && int(buffered) == wantBuffered, name,
			"echo %q (want %q), bufferedAmount right after send %d (want %d)", m.Data, want, buffered, wantBuffered)
	}
	for _, tc := range tables.EchoServer.Send {
		switch {
		case tc.Data != nil && *tc.Data == "''":
			echoText(tc.From, "", "", 0)
		case tc.Data != nil && strings.HasPrefix(*tc.Data, "'x'*65000"):
			data := strings.Repeat("x", 65000)
			echoText(tc.From, data, data, 65000)
		case tc.Data != nil && *tc.Data == `'\uD807'`:
			// Go spells the lone surrogate as its WTF-8 bytes.
			echoText(tc.From, "\xed\xa0\x87", "\uFFFD", 3)
		case tc.Data != nil && *tc.Data == "null":
			c.Skip(tc.From, "JavaScript coerces null to the string 'null'; Go's Send takes a string")
		case strings.HasPrefix(tc.From, "Send-paired-surrogates"):
			for _, s := range []string{"\U0001F600 paired", "Unicode: äöü €  中文", "Hello World!"} {
				echoText(tc.From+" "+s, s, s, len(s))
			}
		case strings.HasPrefix(tc.From, "Send-binary"):
			wptSendBinary(t, c, cs, tc.From)
		default:
			c.Fail(tc.From, "case not understood by the test")
		}
	}
}

// wptSendBinary echoes binary messages: whole buffers, sub-slices at
// offsets (what typed-array views with offsets are to Go), a Blob and 65K,
// receiving them as []byte ("arraybuffer") and as Blobs ("blob").
func wptSendBinary(t *testing.T, c *testutil.Conformance, cs *countingServer, from string) {
	buf := make([]byte, 256)
	for i := range buf {
		buf[i] = byte(i)
	}
	big := bytes.Repeat([]byte{0xAB, 0x00, 0xFF}, 65000/3+1)[:65000]
	cases := []struct {
		name string
		send func(ws *WebSocket) error
		want []byte
	}{
		{"arraybuffer", func(ws *WebSocket) error { return ws.SendBytes(buf) }, buf},
		{"view with offset 2, length 8", func(ws *WebSocket) error { return ws.SendBytes(buf[2:10]) }, buf[2:10]},
		{"view with offset 16, length 64", func(ws *WebSocket) error { return ws.SendBytes(buf[16:80]) }, buf[16:80]},
		{"empty", func(ws *WebSocket) error { return ws.SendBytes(nil) }, []byte{}},
		{"blob", func(ws *WebSocket) error {
			return ws.SendBlob(blob.New([]blob.BlobPart{blob.Bytes(buf[:10]), blob.String("abc")}, nil))
		}, append(append([]byte(nil), buf[:10]...), "abc"...)},
		{"65K", func(ws *WebSocket) error { return ws.SendBytes(big) }, big},
	}
	for _, bt := range []BinaryType{BinaryTypeArrayBuffer, BinaryTypeBlob} {
		ws, rec := dial(t, cs.ws+"/echo", &Options{BinaryType: bt})
		rec.expectOpen(t)
		for _, tc := range cases {
			name := fmt.Sprintf("%s: %s as %s", from, tc.name, bt)
			require.NoError(t, tc.send(ws))
			m := rec.expectMessage(t)
			var got []byte
			switch d := m.Data.(type) {
			case []byte:
				if bt == BinaryTypeArrayBuffer {
					got = d
				}
			case *blob.Blob:
				if bt == BinaryTypeBlob {
					got, _ = d.Bytes()
				}
			}
			c.Check(got != nil && bytes.Equal(got, tc.want), name, "got %T %d bytes", m.Data, len(got))
		}
		_ = ws.Close()
	}
}

// wptBufferedAmount: bufferedAmount grows synchronously by each send's
// byte length, does not fall until the data is written, and keeps growing
// after the close has started.
func wptBufferedAmount(t *testing.T, c *testutil.Conformance, cs *countingServer) {
	const name = "bufferedAmount"
	gate := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(gate) }) }
	ws, rec := dial(t, cs.ws+"/echo", &Options{beforeWrite: func(context.Context) { <-gate }})
	defer release()
	rec.expectOpen(t)
	var want uint64
	ok := true
	for i, n := range []int{10, 0, 1000, 65536} {
		require.NoError(t, ws.SendBytes(make([]byte, n)))
		want += uint64(n)
		if got := ws.BufferedAmount(); got != want {
			ok = false
			c.Fail(fmt.Sprintf("%s after send %d", name, i), "got %d, want %d", got, want)
		}
	}
	require.NoError(t, ws.Send("é")) // 2 bytes of UTF-8
	want += 2
	held := ws.BufferedAmount()
	release()
	for range 4 + 1 {
		rec.expectMessage(t)
	}
	_ = ws.Close() // everything queued is written before the close frame
	drained := ws.BufferedAmount()
	_ = ws.Send("after close") // not sent, still counted
	after := ws.BufferedAmount()
	c.Check(ok && held == want && drained == 0 && after == uint64(len("after close")),
		name, "held %d (want %d), drained %d, after close %d", held, want, drained, after)
}

// wptProtocols: subprotocol negotiation with the protocol_array-like
// handler, which sends the selected subprotocol back.
func wptProtocols(t *testing.T, c *testutil.Conformance, cs *countingServer) {
	for _, tc := range []struct {
		offer []string
		want  string
	}{
		{[]string{"superchat"}, "superchat"},
		{[]string{"foo", "chat"}, "chat"},
		{[]string{"echo", "chat"}, "chat"}, // the server prefers chat
		{nil, ""},
		{[]string{"unknown"}, ""},
	} {
		name := fmt.Sprintf("protocol negotiation %q", tc.offer)
		var before string
		ws, rec := dial(t, cs.ws+"/protocol", &Options{Protocols: tc.offer, Setup: func(ws *WebSocket) {
			before = ws.Protocol()
		}})
		rec.expectOpen(t)
		m := rec.expectMessage(t)
		got := ws.Protocol()
		_ = ws.Close()
		c.Check(before == "" && got == tc.want && m.Data == tc.want, name,
			"Protocol() %q then %q, server selected %q", before, got, m.Data)
	}
}
