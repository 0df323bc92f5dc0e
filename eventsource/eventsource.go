package eventsource

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/internal/mimetype"
	"github.com/webnet-go/webnet/url"
)

// ReadyState is the state of an [EventSource]'s connection, with the spec's
// numeric values. Its String method returns the spec's constant name.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource-readystate
type ReadyState uint16

// The ready states.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource-connecting
const (
	// StateConnecting: the connection has not been established yet, or it
	// was lost and the EventSource is reconnecting (EventSource.CONNECTING).
	StateConnecting ReadyState = 0
	// StateOpen: the connection is open and events are being dispatched
	// (EventSource.OPEN).
	StateOpen ReadyState = 1
	// StateClosed: the connection is closed and will not be reopened,
	// either because Close was called or because the connection failed
	// (EventSource.CLOSED).
	StateClosed ReadyState = 2
)

// String returns the spec's constant name: "CONNECTING", "OPEN" or
// "CLOSED" (or "ReadyState(n)" for another value).
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource-connecting
func (s ReadyState) String() string {
	switch s {
	case StateConnecting:
		return "CONNECTING"
	case StateOpen:
		return "OPEN"
	case StateClosed:
		return "CLOSED"
	}
	return fmt.Sprintf("ReadyState(%d)", uint16(s))
}

// EventSourceInit holds the options of [New]. A nil *EventSourceInit means
// all defaults, and a zero field means the default. New copies the struct
// (and the Headers and Listeners it refers to) and never modifies it:
// changing it afterwards has no effect.
//
// WithCredentials is the spec's only option; every other field is a Go
// extension, for what browsers cannot do and Go programs need.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#eventsourceinit
type EventSourceInit struct {
	// WithCredentials selects the credentials mode "include" instead of
	// "same-origin". webnet has no document origin and no CORS, so both
	// modes send the cookies of the fetch client's cookie jar (if it has
	// one); the flag is kept and reported by EventSource.WithCredentials.
	//
	// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsourceinit-withcredentials
	WithCredentials bool

	// Client sends the requests, so that its policies (cookie jar,
	// transport, forbidden headers) apply to every connection; nil means a
	// zero fetch.Client, which uses fetch's shared default transport.
	//
	// Deviation: a Go extension.
	Client *fetch.Client

	// BaseURL, when set, is the absolute URL that a relative url argument
	// of New is resolved against (a browser uses the document's base URL).
	// Without it, a relative url is a syntax error.
	//
	// Deviation: a Go extension; there is no document.
	BaseURL string

	// Method is the request method, "GET" when empty; with Body it allows
	// POST streams such as those of LLM APIs.
	//
	// Deviation: a Go extension; a browser always sends GET.
	Method string

	// Body is the request body, sent on every connection: it must be
	// re-extractable (fetch.String, fetch.Bytes, a *blob.Blob, a
	// *formdata.FormData, a *url.SearchParams). A one-shot fetch.Reader
	// works for the first connection only; reconnecting with it fails the
	// connection.
	//
	// Deviation: a Go extension.
	Body fetch.BodyInit

	// Headers are added to every request (with the fetch "request" guard:
	// forbidden headers are dropped unless the Client allows them). Accept,
	// Last-Event-ID and the cache headers are the EventSource's own and
	// override any given here.
	//
	// Deviation: a Go extension; a browser sends no author headers.
	Headers fetch.HeadersInit

	// LastEventID is the last event ID to start with, sent as Last-Event-ID
	// on the first connection when not empty: it lets a program resume a
	// stream across restarts.
	//
	// Deviation: a Go extension; a browser always starts with "".
	LastEventID string

	// ReconnectionTime is the initial reconnection time, until the stream
	// sets another with "retry"; zero means DefaultReconnectionTime (3 s).
	//
	// Deviation: a Go extension; the spec leaves the initial value to the
	// user agent.
	ReconnectionTime time.Duration

	// Backoff computes the delay before each reconnection attempt from the
	// reconnection time; nil means ExponentialBackoff(DefaultMaxBackoff).
	//
	// Deviation: a Go extension, within what the spec allows (a user agent
	// may wait longer than the reconnection time).
	Backoff BackoffFunc

	// MaxEventSize bounds an event's size in bytes (its data plus the line
	// being read); a larger event fails the connection with an error
	// wrapping ErrEventTooLarge. Zero means DefaultMaxEventSize (16 MiB);
	// a negative value means no limit.
	//
	// Deviation: a Go extension; browsers set no limit.
	MaxEventSize int

	// StallTimeout, when positive, is how long a connection may go without
	// receiving a byte (response headers included) before it is treated as
	// a network error and reestablished: the error wraps fetch.ErrNetwork
	// and ErrStalled. Servers that send a comment line as a heartbeat
	// every N seconds pair well with a StallTimeout of 2N or 3N. Zero
	// means none.
	//
	// Deviation: a Go extension; browsers wait forever.
	StallTimeout time.Duration

	// OnOpen, OnMessage and OnError, when not nil, are registered as with
	// the methods of the same names before the connection starts, so they
	// cannot miss the first events; so are Listeners, as with
	// AddEventListener (in key order, after OnMessage).
	//
	// Deviation: a Go extension; in JavaScript, handlers set right after
	// the constructor run before any event, which a Go goroutine cannot
	// promise.
	OnOpen    func()
	OnMessage func(MessageEvent)
	OnError   func(error)
	Listeners map[string]func(MessageEvent)
}

// EventSource is a client for a server-sent event stream: it connects to a
// URL with fetch, dispatches the events of the stream to its listeners,
// and reconnects when the connection is lost, sending the last event ID so
// the server can resume where it stopped. Create it with [New].
//
// # Dispatch contract
//
// Listeners run one at a time, in the order the spec gives (open, then the
// messages in stream order, error when the connection is lost or fails),
// on one goroutine owned by the EventSource, and never with an internal
// lock held: a listener may register or remove listeners (itself
// included) and may call Close. A slow listener delays the following
// events (and the reading of the stream), exactly like a busy JavaScript
// event loop. When Close returns, that goroutine has exited (or, when Close
// is called from a listener, will exit as soon as the listener returns)
// and no listener runs again, not even the remaining listeners of the
// event being dispatched.
//
// An EventSource is safe for concurrent use by multiple goroutines.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
type EventSource struct {
	url             string // serialized, fragment included
	withCredentials bool

	client       *fetch.Client
	method       string
	headers      *fetch.Headers // the author headers, nil for none
	body         fetch.BodyInit
	backoff      BackoffFunc
	maxEventSize int
	stallTimeout time.Duration

	ctx    context.Context
	cancel context.CancelCauseFunc
	done   chan struct{}
	runGID atomic.Uint64 // the id of the goroutine that runs listeners

	state  atomic.Uint32 // a ReadyState
	closed atomic.Bool   // Close was called

	// listeners is an immutable snapshot, replaced under mu: dispatch loads
	// it without a lock and never sees a half-made change.
	listeners atomic.Pointer[listenerSet]

	mu          sync.Mutex
	lastEventID string
}

// New creates an EventSource for url and starts connecting to it, as
// new EventSource(url, init) does: it returns at once, in StateConnecting,
// and the connection runs on a goroutine that New starts. Register the
// listeners that must not miss the first events in init (OnOpen, OnMessage,
// OnError, Listeners); later ones take effect from the next event.
//
// url is parsed with the URL Standard (relative to init.BaseURL when set);
// a failure is an error wrapping [ErrSyntax] (the SyntaxError DOMException)
// and nothing is started. So are the invalid options a fetch request refuses
// (an invalid method or header: an error wrapping fetch.ErrTypeError). A
// URL whose scheme is not http or https is not an error: as in browsers,
// the connection then fails asynchronously (an error event, CLOSED).
//
// ctx bounds the lifetime of the EventSource: cancelling it ends the
// connection and the goroutine, like Close. Unlike Close (which, as in
// JavaScript, dispatches nothing), a cancellation is reported as the spec
// reports an aborted fetch: the connection fails, so the error listeners
// see one last error (wrapping fetch.ErrAbort and the context's cause) with
// ReadyState already StateClosed. Call Close (or cancel ctx) when done, to
// release the goroutine and the connection.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource
func New(ctx context.Context, url string, init *EventSourceInit) (*EventSource, error) {
	if ctx == nil {
		return nil, errors.New("eventsource: nil context")
	}
	var cfg EventSourceInit
	if init != nil {
		cfg = *init
	}
	u, err := parseURL(url, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	es := &EventSource{
		url:             u.Href(),
		withCredentials: cfg.WithCredentials,
		client:          cfg.Client,
		method:          cfg.Method,
		body:            cfg.Body,
		backoff:         cfg.Backoff,
		maxEventSize:    cfg.MaxEventSize,
		stallTimeout:    cfg.StallTimeout,
		lastEventID:     cfg.LastEventID,
		done:            make(chan struct{}),
	}
	if es.client == nil {
		es.client = new(fetch.Client)
	}
	if es.backoff == nil {
		es.backoff = ExponentialBackoff(DefaultMaxBackoff)
	}
	if cfg.Headers != nil {
		// A snapshot, so later changes to cfg.Headers have no effect.
		if es.headers, err = fetch.NewHeaders(cfg.Headers); err != nil {
			return nil, fmt.Errorf("eventsource: %w", err)
		}
	}
	reconnectionTime := cfg.ReconnectionTime
	if reconnectionTime <= 0 {
		reconnectionTime = DefaultReconnectionTime
	}

	// The first request is made now, so that invalid options are reported
	// by New; reconnections make their own.
	var first *fetch.Request
	if p := u.Protocol(); p == "http:" || p == "https:" {
		if first, err = es.newRequest(es.lastEventID); err != nil {
			return nil, err
		}
	}

	es.listeners.Store(&listenerSet{})
	if cfg.OnOpen != nil {
		es.OnOpen(cfg.OnOpen)
	}
	if cfg.OnMessage != nil {
		es.OnMessage(cfg.OnMessage)
	}
	if cfg.OnError != nil {
		es.OnError(cfg.OnError)
	}
	for _, typ := range slices.Sorted(maps.Keys(cfg.Listeners)) {
		es.AddEventListener(typ, cfg.Listeners[typ])
	}

	es.ctx, es.cancel = context.WithCancelCause(ctx)
	go es.run(first, reconnectionTime)
	return es, nil
}

// parseURL parses the constructor's url argument.
func parseURL(raw, base string) (*url.URL, error) {
	var (
		u   *url.URL
		err error
	)
	if base != "" {
		u, err = url.ParseWithBase(raw, base)
	} else {
		u, err = url.Parse(raw)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	return u, nil
}

// URL returns the serialization of the URL the EventSource connects to (the
// url argument of New, parsed; not the URL after redirects).
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource-url
func (es *EventSource) URL() string { return es.url }

// WithCredentials reports the WithCredentials option given to New.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource-withcredentials
func (es *EventSource) WithCredentials() bool { return es.withCredentials }

// ReadyState returns the state of the connection.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource-readystate
func (es *EventSource) ReadyState() ReadyState { return ReadyState(es.state.Load()) }

// LastEventID returns the stream's last event ID: the value of the last
// "id" field of a dispatched block, kept across reconnections, and sent as
// Last-Event-ID when reconnecting. It is also each MessageEvent's
// LastEventID.
//
// Deviation: JavaScript has it only on each MessageEvent (lastEventId);
// the getter lets a program save it to resume later (see
// EventSourceInit.LastEventID).
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#concept-event-stream-last-event-id
func (es *EventSource) LastEventID() string {
	es.mu.Lock()
	defer es.mu.Unlock()
	return es.lastEventID
}

// Close closes the connection, if any, stops reconnecting and sets the
// ready state to StateClosed; no event is dispatched. It waits until the
// EventSource's goroutine has exited, so that no listener runs after Close
// returns, except when it is called from a listener: then it returns at
// once and the goroutine exits when the listener returns. Close is
// idempotent.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource-close
func (es *EventSource) Close() {
	es.closed.Store(true)
	es.state.Store(uint32(StateClosed))
	es.cancel(errClosed)
	if goid() == es.runGID.Load() {
		return // called by a listener: waiting would wait for ourselves
	}
	<-es.done
}

var errClosed = errors.New("eventsource: closed")

// OnOpen adds fn as a listener for the open event, dispatched when a
// connection is established (also after each reconnection), with
// ReadyState StateOpen. It returns a function that removes the listener;
// calling it more than once is harmless. A nil fn is ignored.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#handler-eventsource-onopen
func (es *EventSource) OnOpen(fn func()) (remove func()) {
	if fn == nil {
		return func() {}
	}
	l := &listener[func()]{fn: fn}
	es.update(func(s *listenerSet) { s.open = appendListener(s.open, l) })
	return func() {
		l.removed.Store(true)
		es.update(func(s *listenerSet) { s.open = deleteListener(s.open, l) })
	}
}

// OnMessage adds fn as a listener for events of type "message" (those
// without an "event" field); it is AddEventListener("message", fn).
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#handler-eventsource-onmessage
func (es *EventSource) OnMessage(fn func(MessageEvent)) (remove func()) {
	return es.AddEventListener("message", fn)
}

// OnError adds fn as a listener for the error event, dispatched when the
// connection is lost and will be reestablished (ReadyState is then
// StateConnecting) and when it fails for good (ReadyState is StateClosed).
// err says why:
//   - the server ended the stream: an error wrapping io.EOF;
//   - a network error: the fetch error (wrapping fetch.ErrNetwork), or an
//     error wrapping fetch.ErrNetwork and ErrStalled for the stall timeout;
//   - a response other than 200 with text/event-stream: a *ResponseError;
//   - an event larger than the maximum: an error wrapping ErrEventTooLarge;
//   - ctx was cancelled: an error wrapping fetch.ErrAbort and the cause.
//
// It returns a function that removes the listener; calling it more than
// once is harmless. A nil fn is ignored.
//
// Deviation: the JavaScript error event carries no detail.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#handler-eventsource-onerror
func (es *EventSource) OnError(fn func(err error)) (remove func()) {
	if fn == nil {
		return func() {}
	}
	l := &listener[func(error)]{fn: fn}
	es.update(func(s *listenerSet) { s.errors = appendListener(s.errors, l) })
	return func() {
		l.removed.Store(true)
		es.update(func(s *listenerSet) { s.errors = deleteListener(s.errors, l) })
	}
}

// AddEventListener adds fn as a listener for the events of type typ: the
// events whose "event" field is typ ("message" for those without one). Each
// call adds a listener, even for the same fn; listeners run in the order
// they were added. It returns a function that removes the listener;
// calling it more than once is harmless. A nil fn is ignored.
//
// Deviation: the connection's own open and error events go to the OnOpen
// and OnError listeners only; AddEventListener("open", fn) and
// AddEventListener("error", fn) receive just the stream's events of those
// types, which JavaScript would also hand to onopen and onerror.
//
// Spec: https://dom.spec.whatwg.org/#dom-eventtarget-addeventlistener
func (es *EventSource) AddEventListener(typ string, fn func(MessageEvent)) (remove func()) {
	if fn == nil {
		return func() {}
	}
	l := &listener[func(MessageEvent)]{fn: fn}
	es.update(func(s *listenerSet) {
		s.typed = maps.Clone(s.typed)
		if s.typed == nil {
			s.typed = make(map[string][]*listener[func(MessageEvent)])
		}
		s.typed[typ] = appendListener(s.typed[typ], l)
	})
	return func() {
		l.removed.Store(true)
		es.update(func(s *listenerSet) {
			list := deleteListener(s.typed[typ], l)
			s.typed = maps.Clone(s.typed)
			if len(list) == 0 {
				delete(s.typed, typ)
			} else {
				s.typed[typ] = list
			}
		})
	}
}

// listener is one registration; removed is set by its remover, so that a
// listener removed during a dispatch is not called by that dispatch (as
// the DOM specifies).
type listener[F any] struct {
	fn      F
	removed atomic.Bool
}

// listenerSet is an immutable snapshot of the listeners: update replaces
// it, and the slices and map in it are never changed in place.
type listenerSet struct {
	open   []*listener[func()]
	errors []*listener[func(error)]
	typed  map[string][]*listener[func(MessageEvent)]
}

// update replaces the listener set with a changed copy.
func (es *EventSource) update(change func(*listenerSet)) {
	es.mu.Lock()
	defer es.mu.Unlock()
	s := *es.listeners.Load()
	change(&s)
	es.listeners.Store(&s)
}

func appendListener[F any](list []*listener[F], l *listener[F]) []*listener[F] {
	return append(list[:len(list):len(list)], l) // always a new array
}

func deleteListener[F any](list []*listener[F], l *listener[F]) []*listener[F] {
	i := slices.Index(list, l)
	if i < 0 {
		return list
	}
	return slices.Concat(list[:i], list[i+1:])
}

// The dispatchers run on the EventSource's goroutine only. Each checks,
// before each listener, that Close has not been called.

func (es *EventSource) fireOpen() {
	for _, l := range es.listeners.Load().open {
		if es.closed.Load() {
			return
		}
		if !l.removed.Load() {
			l.fn()
		}
	}
}

func (es *EventSource) fireError(err error) {
	for _, l := range es.listeners.Load().errors {
		if es.closed.Load() {
			return
		}
		if !l.removed.Load() {
			l.fn(err)
		}
	}
}

func (es *EventSource) fireMessage(ev MessageEvent) {
	for _, l := range es.listeners.Load().typed[ev.Type] {
		if es.closed.Load() {
			return
		}
		if !l.removed.Load() {
			l.fn(ev)
		}
	}
}

// newRequest makes the request of one connection.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource
func (es *EventSource) newRequest(lastEventID string) (*fetch.Request, error) {
	h, err := fetch.NewHeaders(es.headers)
	if err == nil {
		err = h.Set("Accept", "text/event-stream")
	}
	if err == nil {
		err = h.Delete("Last-Event-ID")
	}
	if err == nil && lastEventID != "" {
		// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
		err = h.Set("Last-Event-ID", lastEventID)
	}
	if err != nil {
		return nil, fmt.Errorf("eventsource: %w", err)
	}
	credentials := fetch.CredentialsSameOrigin
	if es.withCredentials {
		credentials = fetch.CredentialsInclude
	}
	req, err := fetch.NewRequest(es.url, &fetch.RequestInit{
		Method:      es.method,
		Headers:     h,
		Body:        es.body,
		Mode:        fetch.ModeCORS,
		Credentials: credentials,
		Cache:       fetch.CacheNoStore, // fetch sends Cache-Control: no-cache and Pragma: no-cache
	})
	if err != nil {
		return nil, fmt.Errorf("eventsource: %w", err)
	}
	return req, nil
}

// run is the EventSource's goroutine: it connects, reads and dispatches,
// and reconnects, until the connection fails or the EventSource is closed.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#sse-processing-model
func (es *EventSource) run(req *fetch.Request, reconnectionTime time.Duration) {
	defer close(es.done)
	defer es.cancel(nil)
	es.runGID.Store(goid())

	if req == nil {
		// Not http(s): fetching is futile, so the connection fails, as
		// the spec allows ("unless the user agent knows that to be
		// futile, in which case the user agent may fail the connection").
		es.fail(fmt.Errorf("eventsource: %w: %s is not an http or https URL", fetch.ErrNetwork, es.url))
		return
	}
	c := conn{es: es, lastEventID: es.LastEventID(), reconnectionTime: reconnectionTime}
	attempt := 0 // consecutive reconnection attempts since the last open
	for {
		reconnect, err := c.connect(req)
		if c.opened {
			attempt = 0
		}
		if !reconnect {
			es.fail(err)
			return
		}
		if !es.reestablish(err) {
			return
		}
		attempt++
		delay := max(es.backoff(attempt, c.reconnectionTime), c.reconnectionTime)
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-es.ctx.Done():
			t.Stop()
			es.fail(es.abortError())
			return
		}
		if es.ReadyState() != StateConnecting {
			return // closed while waiting
		}
		if req, err = es.newRequest(c.lastEventID); err != nil {
			es.fail(err)
			return
		}
	}
}

// fail is the spec's "fail the connection": unless the EventSource is
// already closed, CLOSED and an error event.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#fail-the-connection
func (es *EventSource) fail(err error) {
	if ReadyState(es.state.Swap(uint32(StateClosed))) != StateClosed {
		es.fireError(err)
	}
}

// reestablish is the first part of the spec's "reestablish the
// connection": unless the EventSource is closed, CONNECTING and an error
// event. It reports whether to go on.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
func (es *EventSource) reestablish(err error) bool {
	for {
		s := es.state.Load()
		if ReadyState(s) == StateClosed {
			return false
		}
		if es.state.CompareAndSwap(s, uint32(StateConnecting)) {
			break
		}
	}
	es.fireError(err)
	return es.ReadyState() == StateConnecting
}

// abortError is the error of a connection aborted by the cancellation of
// the lifetime context.
func (es *EventSource) abortError() error {
	return fmt.Errorf("eventsource: %w: %w", fetch.ErrAbort, context.Cause(es.ctx))
}

// conn holds the state that carries over from one connection to the next.
type conn struct {
	es               *EventSource
	lastEventID      string
	reconnectionTime time.Duration
	opened           bool   // the last connect announced the connection
	finalURL         string // the final URL of the last connection ...
	origin           string // ... and its serialized origin
}

// connect fetches req and dispatches the events of the response. It
// returns whether to reestablish the connection (true) or fail it (false),
// and the error that ended it.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#sse-processing-model
func (c *conn) connect(req *fetch.Request) (reconnect bool, err error) {
	es := c.es
	c.opened = false
	ctx, cancel := context.WithCancelCause(es.ctx)
	defer cancel(nil)
	var stall *time.Timer
	if es.stallTimeout > 0 {
		stall = time.AfterFunc(es.stallTimeout, func() { cancel(ErrStalled) })
		defer stall.Stop()
	}
	// connErr classifies an error of the fetch or of the body.
	connErr := func(err error) (bool, error) {
		switch {
		case es.ctx.Err() != nil:
			return false, es.abortError()
		case context.Cause(ctx) == ErrStalled:
			return true, fmt.Errorf("eventsource: %w: %w: no bytes for %v", fetch.ErrNetwork, ErrStalled, es.stallTimeout)
		case errors.Is(err, ErrEventTooLarge):
			return false, err
		case errors.Is(err, fetch.ErrNetwork):
			return true, err
		case errors.Is(err, fetch.ErrTypeError):
			return false, err
		}
		return true, fmt.Errorf("eventsource: %w: %w", fetch.ErrNetwork, err)
	}

	resp, err := es.client.Do(ctx, req)
	if err != nil {
		return connErr(err)
	}
	if stall != nil {
		stall.Reset(es.stallTimeout) // the headers were bytes too
	}
	body := resp.Body()
	defer body.Close()

	ct, _ := resp.Headers().Get("Content-Type")
	mt, ok := mimetype.Extract([]string{ct})
	if resp.Status() != 200 || !ok || mt.Essence() != "text/event-stream" {
		if es.ctx.Err() != nil {
			return false, es.abortError()
		}
		return false, &ResponseError{Status: resp.Status(), ContentType: ct, Headers: resp.Headers()}
	}

	// Announce the connection.
	// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#announce-the-connection
	if !es.state.CompareAndSwap(uint32(StateConnecting), uint32(StateOpen)) {
		return false, nil // closed
	}
	c.opened = true
	es.fireOpen()

	if u := resp.URL(); u != c.finalURL {
		c.finalURL, c.origin = u, originOf(u)
	}
	var r io.Reader = body
	if stall != nil {
		r = &stallReader{r: body, t: stall, d: es.stallTimeout}
	}
	s := newScanner(r, es.maxEventSize, c.lastEventID)
	s.origin = c.origin
	defer func() {
		if s.retrySet {
			c.reconnectionTime = s.retry
		}
	}()
	for {
		ev, dispatched, err := s.next()
		if s.lastID != c.lastEventID {
			c.lastEventID = s.lastID
			es.mu.Lock()
			es.lastEventID = s.lastID
			es.mu.Unlock()
		}
		if err != nil {
			if err == io.EOF {
				if es.ctx.Err() != nil {
					return false, es.abortError()
				}
				return true, fmt.Errorf("eventsource: the server ended the stream: %w", io.EOF)
			}
			return connErr(err)
		}
		if es.closed.Load() {
			return false, nil
		}
		if dispatched {
			es.fireMessage(ev)
		}
	}
}

// originOf returns the serialized origin of an absolute URL.
func originOf(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return "null"
	}
	return u.Origin().String()
}

// stallReader restarts the stall timer whenever bytes arrive.
type stallReader struct {
	r io.Reader
	t *time.Timer
	d time.Duration
}

func (s *stallReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		s.t.Reset(s.d)
	}
	return n, err
}

// goid returns the id of the calling goroutine. It is used by Close only,
// to tell a call from a listener (which must not wait for the goroutine it
// runs on) from any other.
func goid() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	var id uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}
