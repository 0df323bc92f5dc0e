package websocket

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	cws "github.com/coder/websocket"
)

// Each benchmark runs the same exchange over loopback twice: through this
// package ("webnet") and through raw coder/websocket ("coder"), the
// baseline, so one `go test -bench` run gives both:
//
//	go test -run '^$' -bench . -count 5 ./websocket/

// benchClient makes the raw coder/websocket handshakes.
var benchClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

// newBenchServer serves /echo (every message sent back) and /ack (a
// one-byte text message "k" for each message read).
func newBenchServer(b *testing.B) string {
	mux := http.NewServeMux()
	handle := func(reply func(c *cws.Conn, typ cws.MessageType, data []byte) error) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			c, err := cws.Accept(w, r, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			c.SetReadLimit(-1)
			ctx := context.Background()
			for {
				typ, data, err := c.Read(ctx)
				if err != nil {
					return
				}
				if err := reply(c, typ, data); err != nil {
					return
				}
			}
		}
	}
	mux.Handle("/echo", handle(func(c *cws.Conn, typ cws.MessageType, data []byte) error {
		return c.Write(context.Background(), typ, data)
	}))
	ack := []byte("k")
	mux.Handle("/ack", handle(func(c *cws.Conn, _ cws.MessageType, _ []byte) error {
		return c.Write(context.Background(), cws.MessageText, ack)
	}))
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// openBench opens a WebSocket whose messages are signalled on the returned
// channel, and waits for the open event.
func openBench(b *testing.B, url string) (*WebSocket, chan MessageEvent) {
	got := make(chan MessageEvent, 1)
	opened := make(chan struct{})
	ws, err := NewWithOptions(context.Background(), url, &Options{
		BinaryType: BinaryTypeArrayBuffer,
		Setup: func(ws *WebSocket) {
			ws.OnOpen(func() { close(opened) })
			ws.OnMessage(func(e MessageEvent) { got <- e })
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ws.Close() })
	<-opened
	return ws, got
}

func dialBench(b *testing.B, url string) *cws.Conn {
	c, _, err := cws.Dial(context.Background(), url, &cws.DialOptions{HTTPClient: benchClient})
	if err != nil {
		b.Fatal(err)
	}
	c.SetReadLimit(-1)
	b.Cleanup(func() { _ = c.Close(cws.StatusNormalClosure, "") })
	return c
}

// BenchmarkEcho1KiB measures round trips of a 1 KiB text message: send,
// then wait for the echo. "webnet" is written the way JavaScript code does
// it: the message handler sends the next message. "webnet-goroutine" sends
// from another goroutine and waits for each echo on a channel: it pays two
// goroutine switches per round trip (to the writer goroutine, and from the
// handler back to the sender) that neither of the others does.
func BenchmarkEcho1KiB(b *testing.B) {
	url := newBenchServer(b) + "/echo"
	msg := strings.Repeat("m", 1024)
	b.Run("webnet", func(b *testing.B) {
		var left int
		done := make(chan struct{})
		var ws *WebSocket
		opened := make(chan struct{})
		ws, err := NewWithOptions(context.Background(), url, &Options{Setup: func(w *WebSocket) {
			w.OnOpen(func() { close(opened) })
			w.OnMessage(func(e MessageEvent) {
				if len(e.Data.(string)) != len(msg) {
					panic("short echo")
				}
				if left--; left == 0 {
					done <- struct{}{}
					return
				}
				_ = w.Send(msg)
			})
		}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = ws.Close() })
		<-opened
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		b.ResetTimer()
		left = b.N
		if err := ws.Send(msg); err != nil {
			b.Fatal(err)
		}
		<-done
	})
	b.Run("webnet-goroutine", func(b *testing.B) {
		ws, got := openBench(b, url)
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			if err := ws.Send(msg); err != nil {
				b.Fatal(err)
			}
			if e := <-got; len(e.Data.(string)) != len(msg) {
				b.Fatal("short echo")
			}
		}
	})
	b.Run("coder", func(b *testing.B) {
		c := dialBench(b, url)
		ctx := context.Background()
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			if err := c.Write(ctx, cws.MessageText, []byte(msg)); err != nil {
				b.Fatal(err)
			}
			_, data, err := c.Read(ctx)
			if err != nil || len(string(data)) != len(msg) {
				b.Fatal("short echo", err)
			}
		}
	})
}

// BenchmarkThroughput1MiB measures sending 1 MiB binary messages, each
// acknowledged by the server with a one-byte message. As in
// BenchmarkEcho1KiB, "webnet" sends the next message from the handler of
// the acknowledgement, and "webnet-goroutine" from another goroutine.
func BenchmarkThroughput1MiB(b *testing.B) {
	url := newBenchServer(b) + "/ack"
	msg := make([]byte, 1<<20)
	for i := range msg {
		msg[i] = byte(i)
	}
	b.Run("webnet", func(b *testing.B) {
		var left int
		done := make(chan struct{})
		opened := make(chan struct{})
		ws, err := NewWithOptions(context.Background(), url, &Options{Setup: func(w *WebSocket) {
			w.OnOpen(func() { close(opened) })
			w.OnMessage(func(MessageEvent) {
				if left--; left == 0 {
					done <- struct{}{}
					return
				}
				_ = w.SendBytes(msg)
			})
		}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = ws.Close() })
		<-opened
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		b.ResetTimer()
		left = b.N
		if err := ws.SendBytes(msg); err != nil {
			b.Fatal(err)
		}
		<-done
	})
	b.Run("webnet-goroutine", func(b *testing.B) {
		ws, got := openBench(b, url)
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			if err := ws.SendBytes(msg); err != nil {
				b.Fatal(err)
			}
			<-got
		}
	})
	b.Run("coder", func(b *testing.B) {
		c := dialBench(b, url)
		ctx := context.Background()
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			if err := c.Write(ctx, cws.MessageBinary, msg); err != nil {
				b.Fatal(err)
			}
			if _, _, err := c.Read(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
