package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/webnet-go/webnet/eventsource"
)

// The server-sent events chapter: a chat stream with custom event types,
// a dropped connection resumed with Last-Event-ID, and a 204 that tells
// the EventSource to stop.
func init() {
	register(chapter{
		order:  40,
		title:  "Server-sent events: EventSource",
		routes: sseRoutes,
		run:    sseRun,
	})
}

// sseChat is the chat's event log; the id of each event is its position
// (1-based).
var sseChat = []struct{ typ, data string }{
	{"join", "Bob"},
	{"", "Hello, I am Bob"},
	{"", "a message\nof two lines"},
	{"leave", "Bob"},
}

func sseRoutes(mux *http.ServeMux) {
	mux.HandleFunc("/sse/chat", func(w http.ResponseWriter, r *http.Request) {
		// Resume after the last event the client has seen.
		next := 0
		if id := r.Header.Get("Last-Event-ID"); id != "" {
			next, _ = strconv.Atoi(id)
		}
		if next >= len(sseChat) {
			// Nothing more to say: 204 No Content stops the EventSource.
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		// Reconnect 50 ms after a drop (the default is 3 s).
		io.WriteString(w, "retry: 50\n\n")
		if next > 0 {
			fmt.Fprintf(w, "event: resume\ndata: resuming after event %d\n\n", next)
		}
		// Send two events, then drop the connection, as a flaky network
		// or a restarting server would.
		for i := next; i < min(next+2, len(sseChat)); i++ {
			ev := sseChat[i]
			if ev.typ != "" {
				fmt.Fprintf(w, "event: %s\n", ev.typ)
			}
			for _, line := range strings.Split(ev.data, "\n") {
				fmt.Fprintf(w, "data: %s\n", line)
			}
			// The id comes after the data, so it counts once the event
			// has arrived.
			fmt.Fprintf(w, "id: %d\n\n", i+1)
		}
	})
}

func sseRun(ctx context.Context, out io.Writer, base string) error {
	var es *eventsource.EventSource
	// The listeners run on the EventSource's goroutine; ready tells them
	// that es is set and that this goroutine is done printing.
	ready := make(chan struct{})
	done := make(chan error, 1)
	// finish reports the first outcome; a later error (the stream may fail
	// again before Close) must not block the EventSource's goroutine.
	finish := func(err error) {
		select {
		case done <- err:
		default:
		}
	}
	say := func(format string, args ...any) {
		<-ready
		fmt.Fprintf(out, format+"\n", args...)
	}
	es, err := eventsource.New(ctx, base+"/sse/chat", &eventsource.EventSourceInit{
		// Listeners given here cannot miss the first events.
		OnOpen: func() { <-ready; say("open, readyState %v", es.ReadyState()) },
		OnMessage: func(ev eventsource.MessageEvent) {
			say("message %q (lastEventId %q)", ev.Data, ev.LastEventID)
		},
		Listeners: map[string]func(eventsource.MessageEvent){
			"join":   func(ev eventsource.MessageEvent) { say("%s joined", ev.Data) },
			"leave":  func(ev eventsource.MessageEvent) { say("%s left", ev.Data) },
			"resume": func(ev eventsource.MessageEvent) { say("server: %s", ev.Data) },
		},
		OnError: func(err error) {
			<-ready
			state := es.ReadyState()
			var re *eventsource.ResponseError
			switch {
			case errors.Is(err, io.EOF):
				say("error: the connection dropped; readyState %v, reconnecting with Last-Event-ID %q",
					state, es.LastEventID())
			case errors.As(err, &re) && state == eventsource.StateClosed:
				say("error: status %d; readyState %v: the server said stop", re.Status, state)
				finish(nil)
			default:
				say("error: %v", err)
				finish(err)
			}
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "new EventSource(%q): readyState %v\n", es.URL(), es.ReadyState())
	close(ready)
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	es.Close()
	fmt.Fprintf(out, "after close(): readyState %v\n", es.ReadyState())
	return err
}
