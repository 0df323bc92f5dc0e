package xhr

import "strconv"

// ReadyState is the state of an [XMLHttpRequest], with the numbers of the
// spec's constants. It moves UNSENT → OPENED → HEADERS_RECEIVED → LOADING →
// DONE; [XMLHttpRequest.OnReadyStateChange] listeners observe the changes.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-readystate
type ReadyState uint16

// The states of an XMLHttpRequest.
//
// Spec: https://xhr.spec.whatwg.org/#states
const (
	// StateUnsent: the object has been constructed (UNSENT, 0).
	StateUnsent ReadyState = 0
	// StateOpened: Open has been called; request headers may be set and
	// Send may be called (OPENED, 1).
	StateOpened ReadyState = 1
	// StateHeadersReceived: all redirects have been followed and the
	// response's status and headers are available (HEADERS_RECEIVED, 2).
	StateHeadersReceived ReadyState = 2
	// StateLoading: the response body is being received (LOADING, 3).
	StateLoading ReadyState = 3
	// StateDone: the transfer has completed or something went wrong
	// (DONE, 4).
	StateDone ReadyState = 4
)

// String returns the spec's name of the state's constant, such as "OPENED",
// or "ReadyState(n)" for a number outside 0–4.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-unsent
func (s ReadyState) String() string {
	switch s {
	case StateUnsent:
		return "UNSENT"
	case StateOpened:
		return "OPENED"
	case StateHeadersReceived:
		return "HEADERS_RECEIVED"
	case StateLoading:
		return "LOADING"
	case StateDone:
		return "DONE"
	}
	return "ReadyState(" + strconv.Itoa(int(s)) + ")"
}
