package websocket

import (
	"sync"
	"sync/atomic"
)

// MessageEvent is the event a message handler receives: one complete
// message from the peer.
//
// Data holds the message, as the IDL's "any data" does: a string for a
// text message; for a binary message, a *blob.Blob when
// [WebSocket.BinaryType] was "blob" at dispatch time (the default) or a
// []byte when it was "arraybuffer". The handler owns Data: nothing else
// refers to the slice, and a Blob is immutable.
//
// Spec: https://html.spec.whatwg.org/multipage/comms.html#messageevent
type MessageEvent struct {
	// Type is always "message".
	Type string
	// Data is the message: string, *blob.Blob or []byte (see above).
	Data any
	// Origin is the serialization of the WebSocket URL's origin, for
	// example "ws://127.0.0.1:8080".
	Origin string
	// LastEventID is always "" for WebSocket messages.
	LastEventID string
}

// CloseEvent is the event a close handler receives, once, when the
// connection is closed.
//
// Code is the status code of the close frame the peer sent (1005 when its
// frame had none), or 1006 when the connection ended without a closing
// handshake (lost, refused, failed). Reason is the peer's reason text.
// WasClean reports whether the closing handshake completed.
//
// When this side started the close and its own closing handshake consumed
// the peer's close frame (coder/websocket reads it there when no message
// read is pending), the peer has answered with the same code, and Reason
// is the reason this side sent: the two normally match, as peers echo the
// reason.
//
// Spec: https://websockets.spec.whatwg.org/#the-closeevent-interface
type CloseEvent struct {
	// Type is always "close".
	Type string
	// Code is the WebSocket connection close code.
	//
	// Spec: https://websockets.spec.whatwg.org/#dom-closeevent-code
	Code int
	// Reason is the WebSocket connection close reason.
	//
	// Spec: https://websockets.spec.whatwg.org/#dom-closeevent-reason
	Reason string
	// WasClean reports whether the connection closed cleanly.
	//
	// Spec: https://websockets.spec.whatwg.org/#dom-closeevent-wasclean
	WasClean bool
}

// listener is one registered handler. removed is set by its remover, so a
// listener removed while an event is being dispatched is not called for it,
// as the DOM's removeEventListener does.
type listener[F any] struct {
	fn      F
	removed atomic.Bool
}

// listeners is a copy-on-write list: dispatch takes the current slice and
// calls it without holding mu, so handlers may add or remove listeners
// (themselves included) or call Close.
type listeners[F any] struct {
	mu   sync.Mutex
	list []*listener[F]
}

func (ls *listeners[F]) add(fn F) (remove func()) {
	l := &listener[F]{fn: fn}
	ls.mu.Lock()
	next := make([]*listener[F], len(ls.list), len(ls.list)+1)
	copy(next, ls.list)
	ls.list = append(next, l)
	ls.mu.Unlock()
	return func() {
		if l.removed.Swap(true) {
			return
		}
		ls.mu.Lock()
		defer ls.mu.Unlock()
		for i, x := range ls.list {
			if x == l {
				next := make([]*listener[F], 0, len(ls.list)-1)
				next = append(next, ls.list[:i]...)
				ls.list = append(next, ls.list[i+1:]...)
				return
			}
		}
	}
}

// snapshot returns the current listeners; the slice is never modified.
func (ls *listeners[F]) snapshot() []*listener[F] {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.list
}

// handlers groups a WebSocket's four listener lists.
type handlers struct {
	open    listeners[func()]
	message listeners[func(MessageEvent)]
	error   listeners[func(error)]
	close   listeners[func(CloseEvent)]
}

func (h *handlers) fireOpen() {
	for _, l := range h.open.snapshot() {
		if !l.removed.Load() {
			l.fn()
		}
	}
}

func (h *handlers) fireMessage(e MessageEvent) {
	for _, l := range h.message.snapshot() {
		if !l.removed.Load() {
			l.fn(e)
		}
	}
}

func (h *handlers) fireError(err error) {
	for _, l := range h.error.snapshot() {
		if !l.removed.Load() {
			l.fn(err)
		}
	}
}

func (h *handlers) fireClose(e CloseEvent) {
	for _, l := range h.close.snapshot() {
		if !l.removed.Load() {
			l.fn(e)
		}
	}
}
