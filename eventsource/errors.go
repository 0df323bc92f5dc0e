package eventsource

import (
	"errors"
	"fmt"

	"github.com/webnet-go/webnet/fetch"
)

// ErrEventTooLarge is wrapped by the error reported when an event (its data
// plus the line being read) exceeds the maximum event size: by [Parse] and
// [ParseLimit] as the sequence's last error, and by an [EventSource] to its
// error listeners when it fails the connection because of it.
//
// Deviation: browsers set no limit; an unbounded event would let a server
// exhaust the client's memory.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
var ErrEventTooLarge = errors.New("eventsource: event too large")

// ErrSyntax is wrapped by the error [New] returns when its url argument does
// not parse as a URL (relative to EventSourceInit.BaseURL, when set): the
// SyntaxError DOMException of the constructor. The URL parser's error is
// wrapped too.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource
var ErrSyntax = errors.New("eventsource: SyntaxError: invalid URL")

// ErrStalled is wrapped, together with fetch.ErrNetwork, by the error
// reported when a connection received no byte for
// [EventSourceInit].StallTimeout; the EventSource then reestablishes the
// connection.
//
// Deviation: browsers have no stall timeout.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
var ErrStalled = errors.New("eventsource: connection stalled")

// ResponseError is the error an [EventSource] reports when it fails the
// connection because the response was not a 200 with the Content-Type
// text/event-stream (a 204 No Content, the server's way to say "stop", is
// one). The EventSource does not reconnect after it.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#fail-the-connection
type ResponseError struct {
	// Status is the response status (after redirects).
	Status int
	// ContentType is the response's Content-Type header value, "" when
	// it has none.
	ContentType string
	// Headers are the response headers (immutable), for headers such as
	// Retry-After or WWW-Authenticate.
	Headers *fetch.Headers
}

// Error describes the response: its status, or its Content-Type when the
// status is 200.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#fail-the-connection
func (e *ResponseError) Error() string {
	if e.Status != 200 {
		return fmt.Sprintf("eventsource: response status %d, not 200", e.Status)
	}
	return fmt.Sprintf("eventsource: response Content-Type %q, not text/event-stream", e.ContentType)
}
