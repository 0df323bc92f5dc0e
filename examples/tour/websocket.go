package main

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/webnet-go/webnet/examples/chat/room"
	"github.com/webnet-go/webnet/websocket"
)

// The WebSocket chapter: the tutorial's chat. The chat server of
// examples/chat is mounted under /ws/ (its page at /ws/, its WebSocket
// endpoint at /ws/chat); two clients, Ann and Bob, join and talk, each
// receiving every message, their own included; then they leave with
// close codes.
func init() {
	register(chapter{
		order:  50,
		title:  "WebSocket: a chat with two clients",
		routes: wsRoutes,
		run:    wsRun,
	})
}

func wsRoutes(mux *http.ServeMux) {
	mux.Handle("/ws/", http.StripPrefix("/ws", room.New()))
}

// wsEvent is one event of one client, handed to the chapter's goroutine to
// print (handlers of two WebSockets run on two goroutines).
type wsEvent struct {
	who  string
	what string
}

func wsRun(ctx context.Context, out io.Writer, base string) error {
	events := make(chan wsEvent, 64)
	join := func(who string) (*websocket.WebSocket, error) {
		// http: is mapped to ws:, as new WebSocket("http://...") is in
		// browsers. Handlers go in Setup so that open is not missed.
		return websocket.NewWithOptions(ctx, base+"/ws/chat", &websocket.Options{
			Setup: func(ws *websocket.WebSocket) {
				ws.OnOpen(func() {
					events <- wsEvent{who, fmt.Sprintf("[open] connected to %s", ws.URL())}
				})
				ws.OnMessage(func(e websocket.MessageEvent) {
					events <- wsEvent{who, fmt.Sprintf("[message] %v", e.Data)}
				})
				ws.OnError(func(err error) {
					events <- wsEvent{who, fmt.Sprintf("[error] %v", err)}
				})
				ws.OnClose(func(e websocket.CloseEvent) {
					events <- wsEvent{who, fmt.Sprintf("[close] code=%d reason=%q wasClean=%t", e.Code, e.Reason, e.WasClean)}
				})
			},
		})
	}
	// next prints the next event, which must be from who.
	next := func(who string) error {
		select {
		case e := <-events:
			fmt.Fprintf(out, "%-3s %s\n", e.who, e.what)
			if e.who != who {
				return fmt.Errorf("expected an event of %s", who)
			}
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}

	ann, err := join("Ann")
	if err != nil {
		return err
	}
	defer ann.Close()
	fmt.Fprintf(out, "Ann's readyState right after New: %v\n", ann.ReadyState())
	if err := next("Ann"); err != nil {
		return err
	}
	bob, err := join("Bob")
	if err != nil {
		return err
	}
	defer bob.Close()
	if err := next("Bob"); err != nil {
		return err
	}

	if err := ann.Send("Hi Bob! This message is longer than fifty characters, so the server cuts it."); err != nil {
		return err
	}
	fmt.Fprintf(out, "Ann sent a message; bufferedAmount right after Send: %d bytes (0 once written)\n", ann.BufferedAmount())
	if err := wsBoth(ctx, out, events); err != nil {
		return err
	}
	if err := bob.Send("Hello Ann"); err != nil {
		return err
	}
	if err := wsBoth(ctx, out, events); err != nil {
		return err
	}

	// Bob leaves with a code and a reason; Close waits for his close
	// event. Ann's socket is then closed without a code: 1005.
	if err := bob.CloseWith(1000, "Work complete"); err != nil {
		return err
	}
	if err := next("Bob"); err != nil {
		return err
	}
	if err := bob.CloseWith(999, ""); err != nil {
		fmt.Fprintf(out, "Bob: CloseWith(999, \"\") is refused: %v\n", err)
	}
	if err := ann.Close(); err != nil {
		return err
	}
	if err := next("Ann"); err != nil {
		return err
	}
	fmt.Fprintf(out, "readyStates now: Ann %v, Bob %v\n", ann.ReadyState(), bob.ReadyState())
	return nil
}

// wsBoth prints one event of each client, Ann's first (the two sockets'
// handlers run on two goroutines, so they may come in either order).
func wsBoth(ctx context.Context, out io.Writer, events chan wsEvent) error {
	got := map[string]string{}
	for len(got) < 2 {
		select {
		case e := <-events:
			if _, dup := got[e.who]; dup {
				return fmt.Errorf("two events of %s in a row", e.who)
			}
			got[e.who] = e.what
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for _, who := range []string{"Ann", "Bob"} {
		fmt.Fprintf(out, "%-3s %s\n", who, got[who])
	}
	return nil
}
