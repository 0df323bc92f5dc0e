package websocket

import (
	"context"
	"io"
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
// one-byte text message "k" for each message read, and discarded).
func newBenchServer(b *testing.B) string {
	mux := http.NewServeMux()
	// handle accepts and runs exchange once per message until the
	// connection ends.
	handle := func(exchange func(ctx context.Context, c *cws.Conn) error) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			c, err := cws.Accept(w, r, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			c.SetReadLimit(-1)
			for exchange(context.Background(), c) == nil {
			}
		}
	}
	mux.Handle("/echo", handle(func(ctx context.Context, c *cws.Conn) error {
		typ, data, err := c.Read(ctx)
		if err != nil {
			return err
		}
		return c.Write(ctx, typ, data)
	}))
	ack := []byte("k")
	mux.Handle("/ack", handle(func(ctx context.Context, c *cws.Conn) error {
		// Discarded as it arrives: the server's own cost should weigh as
		// little as it can on the client's figures.
		_, r, err := c.Reader(ctx)
		if err == nil {
			_, err = io.Copy(io.Discard, r)
		}
		if err != nil {
			return err
		}
		return c.Write(ctx, cws.MessageText, ack)
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

// dialBenchReader dials like dialBench and reads in a goroutine of its
// own, which passes each message on the returned channel: the shape of a
// raw coder/websocket program that sends from one goroutine while it
// receives, and the baseline of the "-goroutine" benchmarks.
func dialBenchReader(b *testing.B, url string) (*cws.Conn, chan []byte) {
	c := dialBench(b, url)
	got := make(chan []byte, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			_, data, err := c.Read(context.Background())
			if err != nil {
				return
			}
			got <- data
		}
	}()
	b.Cleanup(func() {
		_ = c.CloseNow()
		<-done
	})
	return c, got
}

// benchFromHandler is the "webnet" shape: the message handler checks each
// reply (check may be nil) and sends the next message of size bytes with
// send, b.N times in all.
func benchFromHandler(b *testing.B, url string, size int, send func(*WebSocket) error, check func(MessageEvent) bool) {
	var left int
	done := make(chan struct{})
	opened := make(chan struct{})
	ws, err := NewWithOptions(context.Background(), url, &Options{Setup: func(w *WebSocket) {
		w.OnOpen(func() { close(opened) })
		w.OnMessage(func(e MessageEvent) {
			if check != nil && !check(e) {
				panic("short reply")
			}
			if left--; left == 0 {
				done <- struct{}{}
				return
			}
			_ = send(w)
		})
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ws.Close() })
	<-opened
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	left = b.N
	if err := send(ws); err != nil {
		b.Fatal(err)
	}
	<-done
}

// benchFromGoroutine is the "webnet-goroutine" shape: the benchmark's
// goroutine sends each message of size bytes with send, then waits for
// the handler to pass on the reply, which check checks (check may be nil).
func benchFromGoroutine(b *testing.B, url string, size int, send func(*WebSocket) error, check func(MessageEvent) bool) {
	ws, got := openBench(b, url)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if err := send(ws); err != nil {
			b.Fatal(err)
		}
		if e := <-got; check != nil && !check(e) {
			b.Fatal("short reply")
		}
	}
}

// benchCoderGoroutine is the "coder-goroutine" baseline: it writes msg,
// then waits for the reading goroutine to pass on the reply, which must be
// replyLen bytes long.
func benchCoderGoroutine(b *testing.B, url string, typ cws.MessageType, msg []byte, replyLen int) {
	c, got := dialBenchReader(b, url)
	ctx := context.Background()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Write(ctx, typ, msg); err != nil {
			b.Fatal(err)
		}
		if data := <-got; len(data) != replyLen {
			b.Fatal("short reply")
		}
	}
}

// BenchmarkEcho1KiB measures round trips of a 1 KiB text message: send,
// then wait for the echo. There are two shapes, each measured through this
// package and through raw coder/websocket (the baseline):
//
//   - "webnet" against "coder": one goroutine does everything. With this
//     package that is the message handler sending the next message, the
//     way JavaScript code does it; with coder/websocket, one goroutine
//     that writes and then reads.
//   - "webnet-goroutine" against "coder-goroutine": messages are sent from
//     one goroutine and received on another, which passes each echo back
//     on a channel. That is what a program pays as soon as it receives
//     while it sends, whichever library it uses: this package's handlers
//     run on the connection's goroutine, and a raw coder/websocket program
//     needs a reading goroutine of its own.
func BenchmarkEcho1KiB(b *testing.B) {
	url := newBenchServer(b) + "/echo"
	msg := strings.Repeat("m", 1024)
	send := func(ws *WebSocket) error { return ws.Send(msg) }
	check := func(e MessageEvent) bool { return len(e.Data.(string)) == len(msg) }
	b.Run("webnet", func(b *testing.B) { benchFromHandler(b, url, len(msg), send, check) })
	b.Run("webnet-goroutine", func(b *testing.B) { benchFromGoroutine(b, url, len(msg), send, check) })
	b.Run("coder-goroutine", func(b *testing.B) {
		benchCoderGoroutine(b, url, cws.MessageText, []byte(msg), len(msg))
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
// acknowledged by the server with a one-byte message, in the two shapes of
// BenchmarkEcho1KiB: "webnet" sends the next message from the handler of
// the acknowledgement, and "webnet-goroutine" from another goroutine.
func BenchmarkThroughput1MiB(b *testing.B) {
	url := newBenchServer(b) + "/ack"
	msg := make([]byte, 1<<20)
	for i := range msg {
		msg[i] = byte(i)
	}
	send := func(ws *WebSocket) error { return ws.SendBytes(msg) }
	b.Run("webnet", func(b *testing.B) { benchFromHandler(b, url, len(msg), send, nil) })
	b.Run("webnet-goroutine", func(b *testing.B) { benchFromGoroutine(b, url, len(msg), send, nil) })
	b.Run("coder-goroutine", func(b *testing.B) {
		benchCoderGoroutine(b, url, cws.MessageBinary, msg, 1)
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
