// Package eventsource implements the HTML Standard's server-sent events: the
// EventSource client, which keeps a connection to an event stream open,
// dispatches its events and reconnects when the connection is lost, and the
// event stream parser on its own, as an iterator over an [io.Reader], for
// one-shot streams such as the responses of LLM APIs.
//
// Every request goes through the fetch package ([fetch.Client]), so its
// policies (cookie jar, redirects, forbidden headers) apply. A minimal
// client:
//
//	es, err := eventsource.New(ctx, "https://example.com/events", &eventsource.EventSourceInit{
//		OnMessage: func(ev eventsource.MessageEvent) { fmt.Println(ev.Data) },
//		OnError:   func(err error) { log.Print(err) },
//	})
//	if err != nil { ... }
//	defer es.Close()
//
// and a one-shot stream:
//
//	for ev, err := range eventsource.Parse(resp.Body) { ... }
//
// The parser follows "interpret an event stream" exactly (UTF-8 with
// U+FFFD, one leading BOM, CRLF/LF/CR line endings even when split across
// reads, "retry" in milliseconds, ids with U+0000 ignored, an unterminated
// final event discarded), has no line length limit other than the maximum
// event size, and allocates only for dispatched events. The client follows
// the spec's processing model: a 200 response with text/event-stream opens
// the connection; any other status (204 included) or Content-Type fails it
// for good; a network error or the end of the stream reestablishes it
// after the reconnection time, with Last-Event-ID.
//
// # JavaScript to Go
//
//	JavaScript                                  Go
//	new EventSource(url)                        eventsource.New(ctx, url, nil)
//	new EventSource(url, {withCredentials})     eventsource.New(ctx, url, &eventsource.EventSourceInit{WithCredentials: true})
//	new EventSource("/relative")                New(ctx, "/relative", &EventSourceInit{BaseURL: "https://host/"})
//	es.url                                      es.URL()
//	es.withCredentials                          es.WithCredentials()
//	es.readyState                               es.ReadyState()
//	EventSource.CONNECTING, OPEN, CLOSED        StateConnecting, StateOpen, StateClosed (String: "CONNECTING"...)
//	es.onopen = fn                              es.OnOpen(fn), or EventSourceInit.OnOpen
//	es.onmessage = fn                           es.OnMessage(fn), or EventSourceInit.OnMessage
//	es.onerror = fn                             es.OnError(func(err error)), or EventSourceInit.OnError
//	es.addEventListener(type, fn)               remove := es.AddEventListener(type, fn), or EventSourceInit.Listeners
//	es.removeEventListener(type, fn)            remove()
//	es.close()                                  es.Close()
//	event.type, data, lastEventId, origin       MessageEvent{Type, Data, LastEventID, Origin}
//	(lastEventId outside an event)              es.LastEventID()
//	(no equivalent)                             eventsource.Parse(r), ParseLimit(r, max)
//
// The server's side of the protocol (status 204 to stop, "retry:" in
// milliseconds, "id:" and the Last-Event-ID request header, "event:" for
// custom types) works as in a browser; the package examples are the Go
// twins of the javascript.info chapter "Server Sent Events".
//
// # Deviations from the HTML Standard
//
//   - Error listeners receive the reason as an error (io.EOF for the end of
//     the stream, the fetch error, a *ResponseError, ErrEventTooLarge,
//     ErrStalled); the JavaScript error event carries none.
//   - EventSourceInit has Go extensions, each documented as such: Client,
//     BaseURL, Method, Body, Headers, LastEventID, ReconnectionTime,
//     Backoff, MaxEventSize, StallTimeout, and listeners registered before
//     the connection starts.
//   - Events larger than the maximum event size (16 MiB by default) fail the
//     connection with ErrEventTooLarge; browsers have no limit.
//   - Reconnections back off exponentially, with jitter, after consecutive
//     failures ([ExponentialBackoff]); the spec allows waiting longer than
//     the reconnection time, never shorter, and the first attempt waits
//     exactly that time.
//   - A relative URL needs EventSourceInit.BaseURL: there is no document.
//   - webnet has no document origin and no CORS: WithCredentials selects
//     the credentials mode "include" instead of "same-origin", but both send
//     the fetch client's cookies, and cross-origin streams are not checked.
//   - Cancelling the lifetime context fails the connection with an error
//     event (wrapping fetch.ErrAbort), as an aborted fetch does in the spec;
//     Close, as in JavaScript, dispatches nothing.
//   - After Close (even when called by a listener) no listener runs, not
//     even the remaining listeners of the event being dispatched.
//   - AddEventListener("open") and AddEventListener("error") receive only the
//     stream's own events of those types; the connection's open and error go
//     to OnOpen and OnError.
//   - The last event ID buffer starts each connection at the last event ID,
//     as browsers do and the web-platform-tests require (the spec's text
//     starts it empty).
//   - A URL whose scheme is not http or https fails the connection
//     asynchronously, as the spec allows when fetching is "futile".
//   - The stream is always read as UTF-8 (a charset parameter is ignored),
//     as specified; the request's cache mode is "no-store", for which fetch
//     sends Cache-Control: no-cache and Pragma: no-cache.
//
// # Concurrency
//
// An [EventSource] is safe for concurrent use by multiple goroutines. Its
// listeners run one at a time on a single goroutine owned by the
// EventSource (started by New, ended by Close, by the cancellation of the
// context given to New, or by a failed connection), in the order the spec
// dispatches the events, and never while an internal lock is held: a
// listener may register and remove listeners, itself included, and call
// Close. A slow listener delays the following events and the reading of
// the stream, as a busy JavaScript event loop would. When Close returns,
// the goroutine has exited and no listener will run again; called from a
// listener, Close returns at once and the goroutine exits when the
// listener returns.
//
// [Parse] and [ParseLimit] start no goroutine: they read as the caller
// iterates. [EventSourceInit] and [MessageEvent] are plain values; New
// copies the init and never modifies it.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html
package eventsource
