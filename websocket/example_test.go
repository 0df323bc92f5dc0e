package websocket_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	cws "github.com/coder/websocket"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/websocket"
)

// startServer starts the loopback server the examples talk to and returns
// its ws:// URL:
//
//   - /hello answers a name with "Hello from server, <name>" and closes
//     (1000, "bye"), like the tutorial's demo server;
//   - /echo sends every message back;
//   - /protocols accepts "soap" and sends the subprotocol it selected;
//   - /forbidden refuses the handshake with 403;
//   - /restart closes at once with 1012 (service restart);
//   - /deflate echoes like /echo, and accepts permessage-deflate.
func startServer() (url string, stop func()) {
	mux := http.NewServeMux()
	serve := func(path string, opts *cws.AcceptOptions, run func(c *cws.Conn)) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			c, err := cws.Accept(w, r, opts)
			if err != nil {
				return
			}
			defer c.CloseNow()
			c.SetReadLimit(-1)
			run(c)
		})
	}
	ctx := context.Background()
	serve("/hello", nil, func(c *cws.Conn) {
		_, name, err := c.Read(ctx)
		if err != nil {
			return
		}
		_ = c.Write(ctx, cws.MessageText, []byte("Hello from server, "+strings.TrimPrefix(string(name), "My name is ")))
		_ = c.Close(cws.StatusNormalClosure, "bye")
	})
	serve("/echo", nil, func(c *cws.Conn) {
		for {
			typ, data, err := c.Read(ctx)
			if err != nil || c.Write(ctx, typ, data) != nil {
				return
			}
		}
	})
	serve("/protocols", &cws.AcceptOptions{Subprotocols: []string{"soap"}}, func(c *cws.Conn) {
		_ = c.Write(ctx, cws.MessageText, []byte("selected: "+c.Subprotocol()))
		for {
			if _, _, err := c.Read(ctx); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	})
	serve("/restart", nil, func(c *cws.Conn) {
		_ = c.Close(cws.StatusServiceRestart, "restarting")
	})
	serve("/deflate", &cws.AcceptOptions{CompressionMode: cws.CompressionContextTakeover}, func(c *cws.Conn) {
		for {
			typ, data, err := c.Read(ctx)
			if err != nil || c.Write(ctx, typ, data) != nil {
				return
			}
		}
	})
	srv := httptest.NewServer(mux)
	return "ws" + strings.TrimPrefix(srv.URL, "http"), srv.Close
}

// The tutorial's first example: open, send a name, get a greeting, and the
// server closes the connection. Handlers go in Setup so that the open event
// cannot be missed.
func Example() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/hello", &websocket.Options{
		Setup: func(socket *websocket.WebSocket) {
			socket.OnOpen(func() {
				fmt.Println("[open] Connection established")
				fmt.Println("Sending to server")
				_ = socket.Send("My name is John")
			})
			socket.OnMessage(func(event websocket.MessageEvent) {
				fmt.Printf("[message] Data received from server: %s\n", event.Data)
			})
			socket.OnClose(func(event websocket.CloseEvent) {
				if event.WasClean {
					fmt.Printf("[close] Connection closed cleanly, code=%d reason=%s\n", event.Code, event.Reason)
				} else {
					fmt.Println("[close] Connection died")
				}
				close(done)
			})
			socket.OnError(func(err error) {
				fmt.Printf("[error] %v\n", err)
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = ws.Close()
	// Output:
	// [open] Connection established
	// Sending to server
	// [message] Data received from server: Hello from server, John
	// [close] Connection closed cleanly, code=1000 reason=bye
}

// New checks the URL and the subprotocols before any network I/O: http:
// and https: become ws: and wss:, and anything the browser would reject
// with a SyntaxError is an ErrSyntax.
func ExampleNew() {
	url, stop := startServer()
	defer stop()

	ws, err := websocket.New(context.Background(), "http"+strings.TrimPrefix(url, "ws")+"/echo", "soap", "wamp")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(ws.URL(), "ws://"))
	_ = ws.Close()
	fmt.Println(ws.ReadyState())

	for _, bad := range []struct {
		url       string
		protocols []string
	}{
		{"ftp://example.com/", nil},
		{"wss://example.com/chat#", nil},
		{"wss://example.com/chat", []string{"chat", "CHAT"}},
		{"wss://example.com/chat", []string{"two words"}},
	} {
		_, err := websocket.New(context.Background(), bad.url, bad.protocols...)
		fmt.Println(errors.Is(err, websocket.ErrSyntax))
	}
	// Output:
	// true
	// CLOSED
	// true
	// true
	// true
	// true
}

// Subprotocols, as new WebSocket(url, ["soap", "wamp"]): the server picks
// one, which Protocol reports once the connection is open.
func ExampleNewWithOptions() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/protocols", &websocket.Options{
		Protocols: []string{"soap", "wamp"},
		Setup: func(ws *websocket.WebSocket) {
			ws.OnMessage(func(e websocket.MessageEvent) {
				fmt.Println(e.Data)
				fmt.Printf("protocol %q, extensions %q\n", ws.Protocol(), ws.Extensions())
				close(done)
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = ws.Close()
	// Output:
	// selected: soap
	// protocol "soap", extensions ""
}

// The ready state through a connection's life. Close from a handler returns
// at once, in the CLOSING state, as in JavaScript.
func ExampleWebSocket_ReadyState() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			fmt.Println("created:", ws.ReadyState())
			ws.OnOpen(func() {
				fmt.Println("open:", ws.ReadyState())
				_ = ws.Close()
				fmt.Println("after close():", ws.ReadyState())
			})
			ws.OnClose(func(websocket.CloseEvent) {
				fmt.Println("close event:", ws.ReadyState(), uint16(ws.ReadyState()))
				close(done)
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = ws.Close() // already closed: returns at once
	// Output:
	// created: CONNECTING
	// open: OPEN
	// after close(): CLOSING
	// close event: CLOSED 3
}

// ReadyState values print as the spec's constant names.
func ExampleReadyState_String() {
	for _, s := range []websocket.ReadyState{websocket.StateConnecting, websocket.StateOpen, websocket.StateClosing, websocket.StateClosed} {
		fmt.Println(uint16(s), s)
	}
	// Output:
	// 0 CONNECTING
	// 1 OPEN
	// 2 CLOSING
	// 3 CLOSED
}

// Binary messages arrive as Blobs by default; with binaryType
// "arraybuffer" they arrive as []byte. Text always arrives as a string.
func ExampleWebSocket_SetBinaryType() {
	url, stop := startServer()
	defer stop()

	got := make(chan any)
	opened := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			ws.OnOpen(func() { close(opened) })
			ws.OnMessage(func(e websocket.MessageEvent) { got <- e.Data })
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()
	<-opened

	fmt.Println(ws.BinaryType())
	_ = ws.SendBytes([]byte{1, 2, 3})
	b := (<-got).(*blob.Blob)
	fmt.Println("Blob of", b.Size(), "bytes")

	ws.SetBinaryType(websocket.BinaryTypeArrayBuffer)
	ws.SetBinaryType("nonsense") // ignored, as in browsers
	fmt.Println(ws.BinaryType())
	_ = ws.SendBytes([]byte{1, 2, 3})
	fmt.Println((<-got).([]byte))

	_ = ws.Send("text")
	fmt.Printf("%T\n", <-got)
	// Output:
	// blob
	// Blob of 3 bytes
	// arraybuffer
	// [1 2 3]
	// string
}

// Rate limiting with bufferedAmount, the tutorial's setInterval loop: send
// more only when everything sent so far has gone out to the network.
func ExampleWebSocket_BufferedAmount() {
	url, stop := startServer()
	defer stop()

	opened := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) { ws.OnOpen(func() { close(opened) }) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()
	<-opened

	chunk := make([]byte, 64<<10)
	sent := 0
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for sent < 10 && ws.ReadyState() == websocket.StateOpen {
		<-tick.C
		if ws.BufferedAmount() == 0 {
			_ = ws.SendBytes(chunk)
			sent++
		}
	}
	fmt.Println("sent", sent, "chunks")
	// Output:
	// sent 10 chunks
}

// Closing with a code and a reason; the peer's close event reports them.
// Codes other than 1000 and 3000-4999 are refused, and so are reasons over
// 123 bytes.
func ExampleWebSocket_CloseWith() {
	url, stop := startServer()
	defer stop()

	opened := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			ws.OnOpen(func() { close(opened) })
			ws.OnClose(func(e websocket.CloseEvent) {
				fmt.Printf("code=%d reason=%q wasClean=%t\n", e.Code, e.Reason, e.WasClean)
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-opened
	err = ws.CloseWith(1001, "going away")
	fmt.Println(errors.Is(err, websocket.ErrInvalidAccess))
	err = ws.CloseWith(4000, strings.Repeat("x", 124))
	fmt.Println(errors.Is(err, websocket.ErrSyntax))

	_ = ws.CloseWith(1000, "Work complete") // waits for the close event
	// Output:
	// true
	// true
	// code=1000 reason="Work complete" wasClean=true
}

// Close without a code: the peer sees 1005 ("no status received"), and so
// does this side when the peer echoes it.
func ExampleWebSocket_Close() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			ws.OnOpen(func() { _ = ws.Close() })
			ws.OnClose(func(e websocket.CloseEvent) {
				fmt.Println(e.Code, e.WasClean)
				close(done)
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = ws.Close()
	// Output:
	// 1005 true
}

// A refused handshake: an error event, then a close event with 1006 and
// WasClean false ("the connection died").
func ExampleWebSocket_OnError() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/forbidden", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			ws.OnError(func(err error) {
				fmt.Println("[error]", errors.Is(err, websocket.ErrFailed), strings.Contains(err.Error(), "403"))
			})
			ws.OnClose(func(e websocket.CloseEvent) {
				fmt.Println("[close]", e.Code, e.WasClean)
				close(done)
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = ws.Close()
	// Output:
	// [error] true true
	// [close] 1006 false
}

// Handlers are added and removed like event listeners; a handler can
// remove itself, as a { once: true } listener.
func ExampleWebSocket_OnMessage() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			var removeFirst func()
			removeFirst = ws.OnMessage(func(e websocket.MessageEvent) {
				fmt.Println("first only:", e.Data)
				removeFirst()
			})
			ws.OnMessage(func(e websocket.MessageEvent) {
				fmt.Println("every message:", e.Data)
				if e.Data == "two" {
					close(done)
				}
			})
			ws.OnOpen(func() {
				_ = ws.Send("one")
				_ = ws.Send("two")
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = ws.Close()
	// Output:
	// first only: one
	// every message: one
	// every message: two
}

// Send while CONNECTING is an InvalidStateError; once open, text goes out
// at once and BufferedAmount falls back to 0 when it is written.
func ExampleWebSocket_Send() {
	url, stop := startServer()
	defer stop()

	echoed := make(chan string)
	var early error
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			early = ws.Send("too early")
			ws.OnOpen(func() { _ = ws.Send("héllo") })
			ws.OnMessage(func(e websocket.MessageEvent) { echoed <- e.Data.(string) })
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()
	fmt.Println(errors.Is(early, websocket.ErrInvalidState))
	fmt.Println(<-echoed)
	// Output:
	// true
	// héllo
}

// SendBytes copies the bytes (JavaScript's send(arrayBuffer)); SendBlob
// streams a Blob (send(blob)). Both are binary messages.
func ExampleWebSocket_SendBlob() {
	url, stop := startServer()
	defer stop()

	got := make(chan []byte)
	opened := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		BinaryType: websocket.BinaryTypeArrayBuffer,
		Setup: func(ws *websocket.WebSocket) {
			ws.OnOpen(func() { close(opened) })
			ws.OnMessage(func(e websocket.MessageEvent) { got <- e.Data.([]byte) })
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()
	<-opened

	b := blob.New([]blob.BlobPart{blob.String("from "), blob.Bytes([]byte("a Blob"))}, nil)
	_ = ws.SendBlob(b)
	fmt.Printf("%s\n", <-got)

	buf := []byte("from bytes")
	_ = ws.SendBytes(buf)
	buf[0] = 'F' // SendBytes took a copy
	fmt.Printf("%s\n", <-got)
	// Output:
	// from a Blob
	// from bytes
}

// The opt-in heartbeat pings every PingInterval and fails the connection
// when a pong does not come back within PongTimeout.
func ExampleOptions_heartbeat() {
	url, stop := startServer()
	defer stop()

	opened := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		PingInterval: 10 * time.Millisecond,
		PongTimeout:  5 * time.Second,
		Compression:  websocket.CompressionContextTakeover,
		ReadLimit:    1 << 20,
		Setup:        func(ws *websocket.WebSocket) { ws.OnOpen(func() { close(opened) }) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-opened
	time.Sleep(50 * time.Millisecond) // a few pings go back and forth
	fmt.Println(ws.ReadyState())
	_ = ws.Close()
	// Output:
	// OPEN
}

// A ReconnectingWebSocket reconnects, with backoff, after a server restart
// (1012); ShouldReconnect here gives up after the third close. Messages
// sent while no connection is open wait for the next one.
func ExampleNewReconnecting() {
	url, stop := startServer()
	defer stop()

	closes := 0
	done := make(chan struct{})
	rws, err := websocket.NewReconnecting(context.Background(), url+"/restart", &websocket.ReconnectOptions{
		InitialDelay:    10 * time.Millisecond,
		MaxDelay:        time.Second,
		Jitter:          0.2,
		ShouldReconnect: func(e websocket.CloseEvent) bool { closes++; return closes < 3 },
		Setup: func(rws *websocket.ReconnectingWebSocket) {
			rws.OnOpen(func() { fmt.Println("open") })
			rws.OnClose(func(e websocket.CloseEvent) {
				fmt.Println("close", e.Code, e.Reason, rws.ReadyState())
				if rws.ReadyState() == websocket.StateClosed {
					close(done) // no reconnection follows
				}
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = rws.Send("queued until a connection is open")
	<-done
	_ = rws.Close()
	fmt.Println(rws.ReadyState())
	// Output:
	// open
	// close 1012 restarting CONNECTING
	// open
	// close 1012 restarting CONNECTING
	// open
	// close 1012 restarting CLOSED
	// CLOSED
}

// MessageEvent.Data holds a string, a *blob.Blob or a []byte: a type
// switch tells them apart, as typeof and instanceof do in JavaScript.
func ExampleMessageEvent() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/echo", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			ws.OnOpen(func() {
				_ = ws.Send("text")
				_ = ws.SendBytes([]byte("binary"))
			})
			ws.OnMessage(func(e websocket.MessageEvent) {
				switch data := e.Data.(type) {
				case string:
					fmt.Println("text:", data)
				case *blob.Blob:
					b, _ := data.Bytes()
					fmt.Println("Blob:", string(b))
					close(done)
				case []byte:
					fmt.Println("bytes:", string(data))
				}
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = ws.Close()
	// Output:
	// text: text
	// Blob: binary
}

// Unlike a WebSocket, a ReconnectingWebSocket accepts messages before its
// connection is open, and sends them once it is.
func ExampleReconnectingWebSocket_Send() {
	url, stop := startServer()
	defer stop()

	echoed := make(chan string, 1)
	rws, err := websocket.NewReconnecting(context.Background(), url+"/echo", &websocket.ReconnectOptions{
		Setup: func(rws *websocket.ReconnectingWebSocket) {
			rws.OnMessage(func(e websocket.MessageEvent) { echoed <- e.Data.(string) })
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = rws.Send("sent while CONNECTING")
	fmt.Println(<-echoed)
	_ = rws.Close()
	fmt.Println(rws.ReadyState())
	// Output:
	// sent while CONNECTING
	// CLOSED
}

// openWS opens a WebSocket to url with opts (nil means defaults) and
// returns once its open event has fired, or with the error it failed with.
func openWS(url string, opts *websocket.Options) (*websocket.WebSocket, error) {
	var o websocket.Options
	if opts != nil {
		o = *opts
	}
	setup := o.Setup
	opened := make(chan struct{})
	closed := make(chan struct{})
	o.Setup = func(ws *websocket.WebSocket) {
		ws.OnOpen(func() { close(opened) })
		ws.OnClose(func(websocket.CloseEvent) { close(closed) })
		if setup != nil {
			setup(ws)
		}
	}
	ws, err := websocket.NewWithOptions(context.Background(), url, &o)
	if err != nil {
		return nil, err
	}
	select {
	case <-opened:
		return ws, nil
	case <-closed:
		return nil, errors.New("closed before open")
	}
}

// openRWS is openWS for a ReconnectingWebSocket: it returns once the first
// connection is open.
func openRWS(url string, opts *websocket.ReconnectOptions) (*websocket.ReconnectingWebSocket, error) {
	var o websocket.ReconnectOptions
	if opts != nil {
		o = *opts
	}
	setup := o.Setup
	opened := make(chan struct{}, 1)
	o.Setup = func(rws *websocket.ReconnectingWebSocket) {
		rws.OnOpen(func() {
			select {
			case opened <- struct{}{}:
			default:
			}
		})
		if setup != nil {
			setup(rws)
		}
	}
	rws, err := websocket.NewReconnecting(context.Background(), url, &o)
	if err != nil {
		return nil, err
	}
	<-opened
	return rws, nil
}

// A close event carries the peer's status code and reason, and whether
// the closing handshake completed.
func ExampleCloseEvent() {
	url, stop := startServer()
	defer stop()

	events := make(chan websocket.CloseEvent, 1)
	ws, err := websocket.NewWithOptions(context.Background(), url+"/restart", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			ws.OnClose(func(e websocket.CloseEvent) { events <- e })
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	e := <-events
	fmt.Printf("code=%d reason=%q wasClean=%t\n", e.Code, e.Reason, e.WasClean)
	_ = ws.Close()
	// Output:
	// code=1012 reason="restarting" wasClean=true
}

// Compression offers permessage-deflate in the handshake; Extensions
// reports what the server accepted. A server that does not support it
// simply leaves it out.
func ExampleCompression() {
	url, stop := startServer()
	defer stop()

	for _, path := range []string{"/deflate", "/echo"} {
		ws, err := openWS(url+path, &websocket.Options{Compression: websocket.CompressionContextTakeover})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %q\n", path, ws.Extensions())
		_ = ws.Close()
	}
	// Output:
	// /deflate: "permessage-deflate"
	// /echo: ""
}

// The two binary types, as in JavaScript; Options.BinaryType picks the
// initial one.
func ExampleBinaryType() {
	fmt.Println(websocket.BinaryTypeBlob, websocket.BinaryTypeArrayBuffer)
	opts := websocket.Options{BinaryType: websocket.BinaryTypeArrayBuffer}
	fmt.Println(opts.BinaryType)
	// Output:
	// blob arraybuffer
	// arraybuffer
}

// A refused handshake is a close that was not clean, so by default it is
// retried; MaxRetries bounds the failed attempts in a row.
func ExampleReconnectOptions() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	rws, err := websocket.NewReconnecting(context.Background(), url+"/forbidden", &websocket.ReconnectOptions{
		InitialDelay: time.Millisecond,
		MaxRetries:   2,
		Setup: func(rws *websocket.ReconnectingWebSocket) {
			rws.OnClose(func(e websocket.CloseEvent) {
				fmt.Println("close", e.Code, rws.ReadyState())
				if rws.ReadyState() == websocket.StateClosed {
					close(done)
				}
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = rws.Close()
	// Output:
	// close 1006 CONNECTING
	// close 1006 CONNECTING
	// close 1006 CLOSED
}

// URL is the URL every connection is made to, as parsed.
func ExampleReconnectingWebSocket_URL() {
	url, stop := startServer()
	defer stop()

	rws, err := openRWS("http"+strings.TrimPrefix(url, "ws")+"/echo", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rws.Close()
	fmt.Println(rws.URL() == url+"/echo")
	// Output:
	// true
}

// reconnectingState prints what a ReconnectingWebSocket reports about its
// connection when it opens and after it closes.
func reconnectingState(path string, opts *websocket.ReconnectOptions) {
	url, stop := startServer()
	defer stop()

	rws, err := openRWS(url+path, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s protocol=%q extensions=%q\n", rws.ReadyState(), rws.Protocol(), rws.Extensions())
	_ = rws.Close()
	fmt.Printf("%s protocol=%q extensions=%q\n", rws.ReadyState(), rws.Protocol(), rws.Extensions())
}

// ReadyState is OPEN while a connection is open and CLOSED once Close has
// returned.
func ExampleReconnectingWebSocket_ReadyState() {
	reconnectingState("/echo", nil)
	// Output:
	// OPEN protocol="" extensions=""
	// CLOSED protocol="" extensions=""
}

// Protocol is the subprotocol of the current connection.
func ExampleReconnectingWebSocket_Protocol() {
	reconnectingState("/protocols", &websocket.ReconnectOptions{
		Options: websocket.Options{Protocols: []string{"soap", "wamp"}},
	})
	// Output:
	// OPEN protocol="soap" extensions=""
	// CLOSED protocol="" extensions=""
}

// Extensions are those of the current connection.
func ExampleReconnectingWebSocket_Extensions() {
	reconnectingState("/deflate", &websocket.ReconnectOptions{
		Options: websocket.Options{Compression: websocket.CompressionContextTakeover},
	})
	// Output:
	// OPEN protocol="" extensions="permessage-deflate"
	// CLOSED protocol="" extensions=""
}

// OnOpen runs for every connection's open event.
func ExampleReconnectingWebSocket_OnOpen() {
	url, stop := startServer()
	defer stop()

	opened := make(chan websocket.ReadyState, 1)
	rws, err := websocket.NewReconnecting(context.Background(), url+"/echo", &websocket.ReconnectOptions{
		Setup: func(rws *websocket.ReconnectingWebSocket) {
			rws.OnOpen(func() { opened <- rws.ReadyState() })
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("open:", <-opened)
	_ = rws.Close()
	// Output:
	// open: OPEN
}

// reconnectingEcho sends send over an echo connection opened with
// binaryType bt and prints what comes back, with its Go type.
func reconnectingEcho(bt websocket.BinaryType, send func(*websocket.ReconnectingWebSocket) error) {
	url, stop := startServer()
	defer stop()

	got := make(chan any, 1)
	rws, err := openRWS(url+"/echo", &websocket.ReconnectOptions{
		Setup: func(rws *websocket.ReconnectingWebSocket) {
			rws.OnMessage(func(e websocket.MessageEvent) { got <- e.Data })
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rws.Close()
	rws.SetBinaryType(bt)
	if err := send(rws); err != nil {
		fmt.Println(err)
		return
	}
	switch data := (<-got).(type) {
	case *blob.Blob:
		b, _ := data.Bytes()
		fmt.Printf("%s: Blob %q\n", rws.BinaryType(), b)
	default:
		fmt.Printf("%s: %T %q\n", rws.BinaryType(), data, data)
	}
}

// Binary messages arrive as Blobs by default.
func ExampleReconnectingWebSocket_BinaryType() {
	reconnectingEcho(websocket.BinaryTypeBlob, func(rws *websocket.ReconnectingWebSocket) error {
		return rws.SendBytes([]byte("bytes"))
	})
	// Output:
	// blob: Blob "bytes"
}

// SetBinaryType applies to the current connection and every later one.
func ExampleReconnectingWebSocket_SetBinaryType() {
	reconnectingEcho(websocket.BinaryTypeArrayBuffer, func(rws *websocket.ReconnectingWebSocket) error {
		return rws.SendBytes([]byte("bytes"))
	})
	// Output:
	// arraybuffer: []uint8 "bytes"
}

// OnMessage sees the messages of every connection.
func ExampleReconnectingWebSocket_OnMessage() {
	reconnectingEcho(websocket.BinaryTypeBlob, func(rws *websocket.ReconnectingWebSocket) error {
		return rws.Send("text")
	})
	// Output:
	// blob: string "text"
}

// SendBytes sends a copy of the bytes as a binary message.
func ExampleReconnectingWebSocket_SendBytes() {
	reconnectingEcho(websocket.BinaryTypeArrayBuffer, func(rws *websocket.ReconnectingWebSocket) error {
		buf := []byte("copied")
		err := rws.SendBytes(buf)
		buf[0] = 'C'
		return err
	})
	// Output:
	// arraybuffer: []uint8 "copied"
}

// SendBlob sends a Blob's bytes as a binary message.
func ExampleReconnectingWebSocket_SendBlob() {
	reconnectingEcho(websocket.BinaryTypeArrayBuffer, func(rws *websocket.ReconnectingWebSocket) error {
		return rws.SendBlob(blob.New([]blob.BlobPart{blob.String("a "), blob.String("Blob")}, nil))
	})
	// Output:
	// arraybuffer: []uint8 "a Blob"
}

// Once stopped, messages are not sent but stay counted in BufferedAmount,
// as after close() in JavaScript.
func ExampleReconnectingWebSocket_BufferedAmount() {
	url, stop := startServer()
	defer stop()

	rws, err := openRWS(url+"/echo", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rws.BufferedAmount())
	_ = rws.Close()
	_ = rws.Send("lost")
	fmt.Println(rws.BufferedAmount())
	// Output:
	// 0
	// 4
}

// A refused connection: an error event, then a close event; here
// ShouldReconnect declines, so ReadyState is CLOSED in the close handler.
func ExampleReconnectingWebSocket_OnError() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	rws, err := websocket.NewReconnecting(context.Background(), url+"/forbidden", &websocket.ReconnectOptions{
		ShouldReconnect: func(websocket.CloseEvent) bool { return false },
		Setup: func(rws *websocket.ReconnectingWebSocket) {
			rws.OnError(func(err error) { fmt.Println("[error]", errors.Is(err, websocket.ErrFailed)) })
			rws.OnClose(func(e websocket.CloseEvent) {
				fmt.Println("[close]", e.Code, e.WasClean, rws.ReadyState())
				close(done)
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = rws.Close()
	// Output:
	// [error] true
	// [close] 1006 false CLOSED
}

// A clean close with 1000 is not retried by default.
func ExampleReconnectingWebSocket_OnClose() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	rws, err := openRWS(url+"/hello", &websocket.ReconnectOptions{
		Setup: func(rws *websocket.ReconnectingWebSocket) {
			rws.OnMessage(func(e websocket.MessageEvent) { fmt.Println(e.Data) })
			rws.OnClose(func(e websocket.CloseEvent) {
				fmt.Println("close", e.Code, e.Reason, rws.ReadyState())
				close(done)
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = rws.Send("My name is Ann")
	<-done
	_ = rws.Close()
	// Output:
	// Hello from server, Ann
	// close 1000 bye CLOSED
}

// reconnectingClose opens an echo connection, runs closeIt and prints the
// close event and the final state.
func reconnectingClose(closeIt func(*websocket.ReconnectingWebSocket)) {
	url, stop := startServer()
	defer stop()

	events := make(chan websocket.CloseEvent, 1)
	rws, err := openRWS(url+"/echo", &websocket.ReconnectOptions{
		Setup: func(rws *websocket.ReconnectingWebSocket) {
			rws.OnClose(func(e websocket.CloseEvent) { events <- e })
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	closeIt(rws)
	e := <-events
	fmt.Printf("code=%d reason=%q wasClean=%t %s\n", e.Code, e.Reason, e.WasClean, rws.ReadyState())
}

// Close stops reconnecting and closes without a status code.
func ExampleReconnectingWebSocket_Close() {
	reconnectingClose(func(rws *websocket.ReconnectingWebSocket) { _ = rws.Close() })
	// Output:
	// code=1005 reason="" wasClean=true CLOSED
}

// CloseWith checks the code and reason as WebSocket.CloseWith does.
func ExampleReconnectingWebSocket_CloseWith() {
	reconnectingClose(func(rws *websocket.ReconnectingWebSocket) {
		fmt.Println(errors.Is(rws.CloseWith(1001, ""), websocket.ErrInvalidAccess))
		fmt.Println(errors.Is(rws.CloseWith(4000, strings.Repeat("x", 124)), websocket.ErrSyntax))
		_ = rws.CloseWith(4000, "done")
	})
	// Output:
	// true
	// true
	// code=4000 reason="done" wasClean=true CLOSED
}

// URL is the parsed, serialized URL: the scheme is lowercased and dot
// segments are removed.
func ExampleWebSocket_URL() {
	url, stop := startServer()
	defer stop()

	ws, err := openWS("WS"+strings.TrimPrefix(url, "ws")+"/a/../echo", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()
	fmt.Println(strings.TrimPrefix(ws.URL(), url))
	// Output:
	// /echo
}

// Extensions is what the server accepted of the offered extensions.
func ExampleWebSocket_Extensions() {
	url, stop := startServer()
	defer stop()

	ws, err := openWS(url+"/deflate", &websocket.Options{Compression: websocket.CompressionNoContextTakeover})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()
	fmt.Printf("%q\n", ws.Extensions())
	// Output:
	// "permessage-deflate; client_no_context_takeover; server_no_context_takeover"
}

// Protocol is the subprotocol the server selected, "" when none.
func ExampleWebSocket_Protocol() {
	url, stop := startServer()
	defer stop()

	for _, path := range []string{"/protocols", "/echo"} {
		ws, err := openWS(url+path, &websocket.Options{Protocols: []string{"soap"}})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %q\n", path, ws.Protocol())
		_ = ws.Close()
	}
	// Output:
	// /protocols: "soap"
	// /echo: ""
}

// BinaryType starts as Options.BinaryType, "blob" when unset.
func ExampleWebSocket_BinaryType() {
	url, stop := startServer()
	defer stop()

	for _, bt := range []websocket.BinaryType{"", websocket.BinaryTypeArrayBuffer} {
		ws, err := openWS(url+"/echo", &websocket.Options{BinaryType: bt})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ws.BinaryType())
		_ = ws.Close()
	}
	// Output:
	// blob
	// arraybuffer
}

// OnOpen's remover takes a handler out before it runs.
func ExampleWebSocket_OnOpen() {
	url, stop := startServer()
	defer stop()

	ws, err := openWS(url+"/echo", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			remove := ws.OnOpen(func() { fmt.Println("removed: never printed") })
			ws.OnOpen(func() { fmt.Println("open:", ws.ReadyState()) })
			remove()
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = ws.Close()
	// Output:
	// open: OPEN
}

// The close handler runs once, in the CLOSED state.
func ExampleWebSocket_OnClose() {
	url, stop := startServer()
	defer stop()

	done := make(chan struct{})
	ws, err := websocket.NewWithOptions(context.Background(), url+"/restart", &websocket.Options{
		Setup: func(ws *websocket.WebSocket) {
			ws.OnClose(func(e websocket.CloseEvent) {
				fmt.Println(e.Code, e.Reason, ws.ReadyState())
				close(done)
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	_ = ws.Close()
	// Output:
	// 1012 restarting CLOSED
}

// SendBytes sends a binary message; with binaryType "arraybuffer" the echo
// comes back as []byte.
func ExampleWebSocket_SendBytes() {
	url, stop := startServer()
	defer stop()

	got := make(chan []byte, 1)
	ws, err := openWS(url+"/echo", &websocket.Options{
		BinaryType: websocket.BinaryTypeArrayBuffer,
		Setup: func(ws *websocket.WebSocket) {
			ws.OnMessage(func(e websocket.MessageEvent) { got <- e.Data.([]byte) })
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()
	_ = ws.SendBytes([]byte{0xde, 0xad, 0xbe, 0xef})
	fmt.Printf("% x\n", <-got)
	// Output:
	// de ad be ef
}
