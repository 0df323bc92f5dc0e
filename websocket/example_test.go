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
//   - /restart closes at once with 1012 (service restart).
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
