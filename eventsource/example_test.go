package eventsource_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/webnet-go/webnet/eventsource"
	"github.com/webnet-go/webnet/fetch"
)

// stream serves the given event stream bodies, one per connection, and a
// 204 No Content (which tells an EventSource to stop) after the last one.
func stream(bodies ...string) *httptest.Server {
	var n atomic.Int32
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(bodies) {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, bodies[i])
	}))
}

// The tutorial's first example: new EventSource(url) and onmessage. Each
// block of "data:" lines is one message; the stream here ends with a 204,
// the server's way of saying "do not reconnect".
func ExampleEventSource() {
	srv := stream("data: Message 1\n\ndata: Message 2\n\ndata: Message 3\ndata: of two lines\n\n")
	defer srv.Close()

	done := make(chan struct{})
	es, err := eventsource.New(context.Background(), srv.URL+"/events/subscribe", &eventsource.EventSourceInit{
		ReconnectionTime: time.Millisecond,
		OnMessage: func(ev eventsource.MessageEvent) {
			fmt.Printf("New message %q\n", ev.Data)
		},
		OnError: func(err error) {
			if errors.Is(err, io.EOF) {
				return // the stream ended; the EventSource reconnects
			}
			close(done) // the 204: the EventSource is CLOSED
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	es.Close()
	// Output:
	// New message "Message 1"
	// New message "Message 2"
	// New message "Message 3\nof two lines"
}

// Custom event types: a stream names them with "event:", and
// AddEventListener (here through EventSourceInit.Listeners, so that none is
// missed) receives them; OnMessage only gets the events without a type.
func ExampleEventSource_AddEventListener() {
	srv := stream("event: join\ndata: Bob\n\ndata: Hello\n\nevent: leave\ndata: Bob\n\n")
	defer srv.Close()

	done := make(chan struct{})
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		Listeners: map[string]func(eventsource.MessageEvent){
			"join":  func(ev eventsource.MessageEvent) { fmt.Println("Joined", ev.Data) },
			"leave": func(ev eventsource.MessageEvent) { fmt.Println("Left", ev.Data); close(done) },
		},
		OnMessage: func(ev eventsource.MessageEvent) { fmt.Println("Said:", ev.Data) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer es.Close()
	<-done
	// Output:
	// Joined Bob
	// Said: Hello
	// Left Bob
}

// "retry:" sets the reconnection time in milliseconds: here the server asks
// for 20 ms, and the EventSource reconnects that long after the stream
// ends, with an error event (in CONNECTING) in between.
func ExampleEventSourceInit_retry() {
	srv := stream("retry: 20\ndata: Hello, I set the reconnection delay to 20 ms\n\n", "data: back again\n\n")
	defer srv.Close()

	var es *eventsource.EventSource
	ready := make(chan struct{})
	done := make(chan struct{})
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		OnMessage: func(ev eventsource.MessageEvent) { fmt.Println(ev.Data) },
		OnError: func(err error) {
			<-ready
			fmt.Println("error, readyState", es.ReadyState())
			if es.ReadyState() == eventsource.StateClosed {
				close(done)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	close(ready)
	<-done
	es.Close()
	// Output:
	// Hello, I set the reconnection delay to 20 ms
	// error, readyState CONNECTING
	// back again
	// error, readyState CONNECTING
	// error, readyState CLOSED
}

// Message ids: the browser (and EventSource) remembers the last "id:" and
// sends it as Last-Event-ID when it reconnects, so the server can resume
// after the last message the client got. The id line comes after the data,
// so that the id is only updated once the message is received.
func ExampleEventSource_LastEventID() {
	msgs := []string{"Message 1", "Message 2", "Message 3"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next := 0
		if id := r.Header.Get("Last-Event-ID"); id != "" {
			fmt.Sscan(id, &next)
			fmt.Println("server: resuming after", id)
		}
		if next == len(msgs) {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		// Two messages per connection, then the connection drops.
		fmt.Fprint(w, "retry: 10\n")
		for i := next; i < min(next+2, len(msgs)); i++ {
			fmt.Fprintf(w, "data: %s\nid: %d\n\n", msgs[i], i+1)
		}
	}))
	defer srv.Close()

	done := make(chan struct{})
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		OnMessage: func(ev eventsource.MessageEvent) { fmt.Println(ev.Data, "lastEventId", ev.LastEventID) },
		OnError: func(err error) {
			var re *eventsource.ResponseError
			if errors.As(err, &re) {
				close(done)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	fmt.Println("last event ID:", es.LastEventID())
	es.Close()
	// Output:
	// Message 1 lastEventId 1
	// Message 2 lastEventId 2
	// server: resuming after 2
	// Message 3 lastEventId 3
	// server: resuming after 3
	// last event ID: 3
}

// A 204 No Content (or any status other than 200, or a Content-Type other
// than text/event-stream) fails the connection: one error event, CLOSED,
// and no reconnection. The error is a *ResponseError.
func ExampleEventSource_OnError() {
	srv := stream() // 204 at once
	defer srv.Close()

	errs := make(chan error, 1)
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		OnError: func(err error) { errs <- err },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer es.Close()
	err = <-errs
	var re *eventsource.ResponseError
	fmt.Println(errors.As(err, &re), re.Status, es.ReadyState())
	// Output:
	// true 204 CLOSED
}

// withCredentials: the JavaScript option is EventSourceInit.WithCredentials
// (credentials mode "include"); the cookies come from the fetch client's
// cookie jar.
func ExampleEventSource_WithCredentials() {
	srv := stream()
	defer srv.Close()
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{WithCredentials: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer es.Close()
	fmt.Println(es.WithCredentials())
	// Output: true
}

// readyState: CONNECTING after the constructor and while reconnecting, OPEN
// while the stream flows, CLOSED after Close or a failure.
func ExampleEventSource_ReadyState() {
	constructed := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-constructed // hold the response until the state has been printed
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: hi\n\n")
	}))
	defer srv.Close()

	var es *eventsource.EventSource
	ready := make(chan struct{})
	opened := make(chan struct{})
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		OnOpen: func() {
			<-ready
			fmt.Println("in onopen:", es.ReadyState())
			close(opened)
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("after the constructor:", es.ReadyState())
	close(ready)
	close(constructed)
	<-opened
	es.Close()
	fmt.Println("after close():", es.ReadyState())
	// Output:
	// after the constructor: CONNECTING
	// in onopen: OPEN
	// after close(): CLOSED
}

// Close ends the stream for good; it can be called from a listener, here
// after the second message. Once closed, an EventSource cannot be
// reopened: create a new one.
func ExampleEventSource_Close() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 1; r.Context().Err() == nil; i++ {
			fmt.Fprintf(w, "data: tick %d\n\n", i)
			http.NewResponseController(w).Flush()
		}
	}))
	defer srv.Close()

	var es *eventsource.EventSource
	ready := make(chan struct{})
	stopped := make(chan struct{})
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		OnMessage: func(ev eventsource.MessageEvent) {
			<-ready
			fmt.Println(ev.Data)
			if ev.Data == "tick 2" {
				es.Close() // returns at once; no further listener runs
				close(stopped)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	close(ready)
	<-stopped
	es.Close() // waits for the goroutine to exit; Close is idempotent
	fmt.Println(es.ReadyState())
	// Output:
	// tick 1
	// tick 2
	// CLOSED
}

// OnOpen listeners run each time a connection is established.
func ExampleEventSource_OnOpen() {
	srv := stream("retry: 1\n: first connection\n\n", ": second connection\n\n")
	defer srv.Close()
	done := make(chan struct{})
	var opens int
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		OnOpen: func() { opens++; fmt.Println("open", opens) },
		OnError: func(err error) {
			if !errors.Is(err, io.EOF) {
				close(done)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	es.Close()
	// Output:
	// open 1
	// open 2
}

// OnMessage returns a remover: a listener can remove itself (a "once"
// listener), which is safe from inside the listener.
func ExampleEventSource_OnMessage() {
	registered := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-registered // so that the example's listener sees every event
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: one\n\ndata: two\n\ndata: three\n\n")
	}))
	defer srv.Close()

	done := make(chan struct{})
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		OnMessage: func(ev eventsource.MessageEvent) {
			if ev.Data == "three" {
				close(done)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer es.Close()
	var remove func()
	remove = es.OnMessage(func(ev eventsource.MessageEvent) {
		fmt.Println("first message:", ev.Data)
		remove()
	})
	close(registered)
	<-done
	// Output:
	// first message: one
}

// New resolves a relative URL against EventSourceInit.BaseURL (a browser
// uses the document's base URL); without it a relative URL is a syntax
// error, as an invalid URL is.
func ExampleNew() {
	es, err := eventsource.New(context.Background(), "/events", nil)
	fmt.Println(es == nil, errors.Is(err, eventsource.ErrSyntax))

	srv := stream()
	defer srv.Close()
	es, err = eventsource.New(context.Background(), "../events?room=1", &eventsource.EventSourceInit{BaseURL: srv.URL + "/chat/"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer es.Close()
	fmt.Println(strings.TrimPrefix(es.URL(), srv.URL))
	// Output:
	// true true
	// /events?room=1
}

// A POST stream, as LLM APIs use: method, body and headers are Go
// extensions of EventSourceInit. The body is sent again on each
// reconnection.
func ExampleEventSourceInit() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		prompt, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: %s %s %s\n\n", r.Method, r.Header.Get("Authorization"), prompt)
		fmt.Fprint(w, "event: done\ndata: [DONE]\n\n")
	}))
	defer srv.Close()

	done := make(chan struct{})
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		Method:       "POST",
		Body:         fetch.String(`{"prompt":"hello"}`),
		Headers:      fetch.HeaderMap{"Authorization": "Bearer secret"},
		MaxEventSize: 1 << 20,
		StallTimeout: time.Minute,
		OnMessage:    func(ev eventsource.MessageEvent) { fmt.Println(ev.Data) },
		Listeners: map[string]func(eventsource.MessageEvent){
			"done": func(eventsource.MessageEvent) { close(done) },
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	es.Close()
	// Output:
	// POST Bearer secret {"prompt":"hello"}
}

// Parse reads a one-shot event stream, such as the body of an LLM API's
// streaming response, as an iterator: no reconnection, no goroutine.
func ExampleParse() {
	body := strings.NewReader("event: delta\ndata: Hel\n\nevent: delta\ndata: lo\n\n: keep-alive\r\ndata: [DONE]\r\n\r\n")
	for ev, err := range eventsource.Parse(body) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("%s %q\n", ev.Type, ev.Data)
	}
	// Output:
	// delta "Hel"
	// delta "lo"
	// message "[DONE]"
}

// ParseLimit bounds the size of an event; a larger one ends the sequence
// with an error wrapping ErrEventTooLarge.
func ExampleParseLimit() {
	body := strings.NewReader("data: small\n\ndata: " + strings.Repeat("x", 100) + "\n\n")
	for ev, err := range eventsource.ParseLimit(body, 64) {
		if err != nil {
			fmt.Println(errors.Is(err, eventsource.ErrEventTooLarge))
			break
		}
		fmt.Println(ev.Data)
	}
	// Output:
	// small
	// true
}

// The fields of a MessageEvent.
func ExampleMessageEvent() {
	for ev := range eventsource.Parse(strings.NewReader("id: 7\nevent: price\ndata: 42\n\n")) {
		fmt.Printf("%+v\n", ev)
	}
	// Output:
	// {Type:price Data:42 LastEventID:7 Origin:}
}

func ExampleReadyState() {
	for _, s := range []eventsource.ReadyState{eventsource.StateConnecting, eventsource.StateOpen, eventsource.StateClosed} {
		fmt.Println(uint16(s), s)
	}
	// Output:
	// 0 CONNECTING
	// 1 OPEN
	// 2 CLOSED
}

func ExampleReadyState_String() {
	fmt.Println(eventsource.StateOpen.String())
	// Output: OPEN
}

// A BackoffFunc that waits exactly the reconnection time, as the spec's
// base algorithm does (no exponential growth, no jitter).
func ExampleBackoffFunc() {
	var exact eventsource.BackoffFunc = func(_ int, d time.Duration) time.Duration { return d }
	fmt.Println(exact(5, eventsource.DefaultReconnectionTime))
	// Output: 3s
}

// The default policy: attempt 1 waits the reconnection time, later attempts
// a jittered, growing delay up to the cap.
func ExampleExponentialBackoff() {
	b := eventsource.ExponentialBackoff(eventsource.DefaultMaxBackoff)
	fmt.Println(b(1, time.Second))
	d := b(3, time.Second)
	fmt.Println(d >= time.Second && d <= 4*time.Second)
	fmt.Println(b(50, time.Second) <= eventsource.DefaultMaxBackoff)
	// Output:
	// 1s
	// true
	// true
}

func ExampleDefaultReconnectionTime() {
	fmt.Println(eventsource.DefaultReconnectionTime)
	// Output: 3s
}

func ExampleDefaultMaxBackoff() {
	fmt.Println(eventsource.DefaultMaxBackoff)
	// Output: 30s
}

func ExampleDefaultMaxEventSize() {
	fmt.Println(eventsource.DefaultMaxEventSize >> 20)
	// Output: 16
}

func ExampleErrSyntax() {
	_, err := eventsource.New(context.Background(), "http://this is invalid/", nil)
	fmt.Println(errors.Is(err, eventsource.ErrSyntax))
	// Output: true
}

func ExampleErrEventTooLarge() {
	for _, err := range eventsource.ParseLimit(strings.NewReader(strings.Repeat("y", 100)), 10) {
		fmt.Println(err)
	}
	// Output: eventsource: event too large: more than 10 bytes (at least 100)
}

// A stream that sends nothing for StallTimeout is treated as a network
// error and reestablished.
func ExampleErrStalled() {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		if n.Add(1) == 1 {
			http.NewResponseController(w).Flush()
			<-r.Context().Done() // silence
			return
		}
		fmt.Fprint(w, "data: fresh connection\n\n")
	}))
	defer srv.Close()

	done := make(chan struct{})
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		StallTimeout:     50 * time.Millisecond,
		ReconnectionTime: time.Millisecond,
		OnError: func(err error) {
			if errors.Is(err, eventsource.ErrStalled) {
				fmt.Println("stalled; network error:", errors.Is(err, fetch.ErrNetwork))
			}
		},
		OnMessage: func(ev eventsource.MessageEvent) { fmt.Println(ev.Data); close(done) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	<-done
	es.Close()
	// Output:
	// stalled; network error: true
	// fresh connection
}

func ExampleResponseError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such stream", http.StatusNotFound)
	}))
	defer srv.Close()
	errs := make(chan error, 1)
	es, err := eventsource.New(context.Background(), srv.URL, &eventsource.EventSourceInit{
		OnError: func(err error) { errs <- err },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer es.Close()
	err = <-errs
	var re *eventsource.ResponseError
	if errors.As(err, &re) {
		fmt.Println(re.Status, re.ContentType)
		fmt.Println(err)
	}
	// Output:
	// 404 text/plain; charset=utf-8
	// eventsource: response status 404, not 200
}

// The URL, resolved and serialized by the URL Standard.
func ExampleEventSource_URL() {
	srv := stream()
	defer srv.Close()
	es, err := eventsource.New(context.Background(), srv.URL+"/a/../events?x=1", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer es.Close()
	fmt.Println(strings.TrimPrefix(es.URL(), srv.URL))
	// Output: /events?x=1
}
