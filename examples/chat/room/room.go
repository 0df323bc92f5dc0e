// Package room is the chat server of the javascript.info WebSocket
// chapter, in Go: every message a client sends, cut to 50 characters, is
// broadcast to every connected client, the sender included, and the
// chapter's HTML page is served for browsers.
//
// It uses github.com/coder/websocket on the server side; the clients in
// examples/chat and examples/tour use webnet's browser-style
// websocket.WebSocket.
package room

import (
	"context"
	_ "embed"
	"net/http"
	"sync"

	cws "github.com/coder/websocket"
)

// MaxMessage is the longest message the room relays, in characters
// (Unicode code points): longer ones are cut, as the chapter's server
// does with message.slice(0, 50).
const MaxMessage = 50

// outbox is how many messages may wait for a slow client before it is
// dropped (closed with 1008), so that one stuck client cannot stall the
// room.
const outbox = 256

//go:embed index.html
var page []byte

// Room is a chat room: an http.Handler serving the page at "/" and the
// WebSocket endpoint at "/chat" (relative to where it is mounted, for
// example with http.StripPrefix). The zero value is not usable; call New.
// A Room is safe for concurrent use.
type Room struct {
	mux *http.ServeMux

	mu      sync.Mutex
	clients map[*client]struct{}
	closed  bool
	wg      sync.WaitGroup // one per connection handler
}

type client struct {
	conn *cws.Conn
	out  chan string    // messages to send, in broadcast order
	bye  cws.StatusCode // the close code when the room drops it
}

// New returns an empty room.
func New() *Room {
	r := &Room{clients: make(map[*client]struct{})}
	r.mux = http.NewServeMux()
	r.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
	r.mux.HandleFunc("GET /chat", r.chat)
	return r
}

// ServeHTTP serves the page and the WebSocket endpoint.
func (r *Room) ServeHTTP(w http.ResponseWriter, req *http.Request) { r.mux.ServeHTTP(w, req) }

// Clients returns how many clients are connected.
func (r *Room) Clients() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.clients)
}

// Close disconnects every client with 1001 (going away) and waits for
// their handlers to return; later connections are refused.
func (r *Room) Close() {
	r.mu.Lock()
	r.closed = true
	for c := range r.clients {
		r.drop(c, cws.StatusGoingAway)
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// chat runs one client's connection: a writer goroutine sends what the
// room broadcasts, while this one reads the client's messages.
func (r *Room) chat(w http.ResponseWriter, req *http.Request) {
	// Join the room before the handshake completes, so that the client is
	// sure to receive every message broadcast after its open event: what
	// comes meanwhile waits in its outbox.
	c := &client{out: make(chan string, outbox)}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		http.Error(w, "the room is closed", http.StatusServiceUnavailable)
		return
	}
	r.clients[c] = struct{}{}
	r.wg.Add(1)
	r.mu.Unlock()
	defer r.wg.Done()

	conn, err := cws.Accept(w, req, nil)
	if err != nil { // Accept has answered the request
		r.mu.Lock()
		r.drop(c, cws.StatusNormalClosure)
		r.mu.Unlock()
		return
	}
	c.conn = conn

	written := make(chan struct{})
	go func() {
		defer close(written)
		for msg := range c.out {
			if err := conn.Write(context.Background(), cws.MessageText, []byte(msg)); err != nil {
				return
			}
		}
		// The room dropped this client (or it left): say goodbye.
		_ = conn.Close(c.bye, "")
	}()

	for {
		typ, data, err := conn.Read(context.Background())
		if err != nil {
			break
		}
		if typ != cws.MessageText {
			continue // the chat is text only
		}
		r.broadcast(cut(string(data), MaxMessage))
	}
	r.mu.Lock()
	r.drop(c, cws.StatusNormalClosure)
	r.mu.Unlock()
	<-written
	_ = conn.CloseNow()
}

// broadcast queues msg for every client. Holding the lock while queueing
// makes every client see the messages in the same order.
func (r *Room) broadcast(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.clients {
		select {
		case c.out <- msg:
		default: // too slow: drop it rather than stall everyone
			r.drop(c, cws.StatusPolicyViolation)
		}
	}
}

// drop removes c from the room; its writer then sends what is still
// queued and closes the connection with code. r.mu must be held.
func (r *Room) drop(c *client, code cws.StatusCode) {
	if _, ok := r.clients[c]; ok {
		delete(r.clients, c)
		c.bye = code
		close(c.out)
	}
}

// cut returns s cut to at most n characters.
func cut(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
