// Command chat is the chat of the javascript.info WebSocket chapter: a Go
// server (package room, on coder/websocket) broadcasts every message, cut
// to 50 characters, to every client; the clients here are Go programs
// using webnet's browser-style websocket.WebSocket, and the chapter's HTML
// page is served for browsers.
//
// With no flags it starts the server on a loopback port, lets three Go
// clients talk, prints what each of them received, and exits:
//
//	go run ./examples/chat
//
// With -listen it keeps serving, so the page can be opened in browsers
// (the Go clients join the same room first):
//
//	go run ./examples/chat -listen 127.0.0.1:8080
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/webnet-go/webnet/examples/chat/room"
	"github.com/webnet-go/webnet/websocket"
)

func main() {
	listen := flag.String("listen", "", "keep serving the chat on this address (for browsers)")
	flag.Parse()
	addr := *listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	chat := room.New()
	srv := &http.Server{Handler: chat}
	go func() { _ = srv.Serve(ln) }()
	base := "http://" + ln.Addr().String() + "/"
	fmt.Printf("chat page: %s\n", base)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err = demo(ctx, os.Stdout, "ws://"+ln.Addr().String()+"/chat")
	cancel()
	if err != nil {
		log.Fatal(err)
	}
	if *listen != "" {
		fmt.Println("serving; open the page in a browser, Ctrl-C to stop")
		select {}
	}
	chat.Close()
	_ = srv.Close()
}

// demo lets three clients say hello and prints what each one received.
func demo(ctx context.Context, out io.Writer, url string) error {
	names := []string{"Ann", "Bob", "Cid"}
	var clients []*Client
	defer func() {
		for _, c := range clients {
			_ = c.Close()
		}
	}()
	for range names {
		c, err := Join(ctx, url)
		if err != nil {
			return err
		}
		clients = append(clients, c)
	}
	for i, c := range clients {
		if err := c.Send(fmt.Sprintf("%s: hello from client %d", names[i], i+1)); err != nil {
			return err
		}
	}
	long := "Cid: " + strings.Repeat("a very long message ", 5)
	if err := clients[2].Send(long); err != nil {
		return err
	}
	for i, c := range clients {
		fmt.Fprintf(out, "%s received:\n", names[i])
		for range len(names) + 1 {
			msg, err := c.Receive(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "  %s\n", msg)
		}
	}
	return nil
}

// Client is a chat client: a websocket.WebSocket whose messages are kept,
// in order, until Receive takes them.
type Client struct {
	ws       *websocket.WebSocket
	messages chan string
	closed   chan websocket.CloseEvent
}

// Join connects to the chat at url (ws:// or http://) and waits until the
// connection is open.
func Join(ctx context.Context, url string) (*Client, error) {
	c := &Client{messages: make(chan string, 1024), closed: make(chan websocket.CloseEvent, 1)}
	opened := make(chan struct{})
	failed := make(chan error, 1)
	ws, err := websocket.NewWithOptions(ctx, url, &websocket.Options{
		// Register the handlers before anything can happen, as JavaScript
		// does by setting onopen right after new WebSocket(url).
		Setup: func(ws *websocket.WebSocket) {
			ws.OnOpen(func() { close(opened) })
			ws.OnMessage(func(e websocket.MessageEvent) {
				if text, ok := e.Data.(string); ok {
					c.messages <- text
				}
			})
			ws.OnError(func(err error) { failed <- err })
			ws.OnClose(func(e websocket.CloseEvent) { c.closed <- e })
		},
	})
	if err != nil {
		return nil, err
	}
	c.ws = ws
	select {
	case <-opened:
		return c, nil
	case err := <-failed:
		_ = ws.Close()
		return nil, err
	}
}

// Send sends one chat message.
func (c *Client) Send(msg string) error { return c.ws.Send(msg) }

// Receive returns the next message the room broadcast, in order.
func (c *Client) Receive(ctx context.Context) (string, error) {
	select {
	case msg := <-c.messages:
		return msg, nil
	case e := <-c.closed:
		c.closed <- e // for the next call
		select {      // the messages that came before the close go first
		case msg := <-c.messages:
			return msg, nil
		default:
			return "", fmt.Errorf("chat: disconnected (code %d)", e.Code)
		}
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Close leaves the chat.
func (c *Client) Close() error { return c.ws.CloseWith(1000, "bye") }
