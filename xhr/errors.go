package xhr

import "errors"

// The errors of the package, one per DOMException name the
// XMLHttpRequest Standard throws. Methods return them wrapped with
// context; match them with errors.Is.
//
// A failed request itself is reported as an event (OnError, OnAbort,
// OnTimeout) and, for a synchronous Send, as Send's error; those errors
// wrap the fetch package's categories, fetch.ErrNetwork ("NetworkError"),
// fetch.ErrAbort ("AbortError") and fetch.ErrTimeout ("TimeoutError"),
// together with the cause.
var (
	// ErrInvalidState is the "InvalidStateError" DOMException: the method
	// cannot be called in the object's current state, such as Send before
	// Open, SetRequestHeader after Send, or ResponseText when the
	// ResponseType is "json".
	//
	// Spec: https://webidl.spec.whatwg.org/#invalidstateerror
	ErrInvalidState = errors.New("xhr: invalid state")

	// ErrSyntax is the "SyntaxError" DOMException: a method, URL, header
	// name or header value that does not parse, or a malformed XML
	// document given to ParseDocument.
	//
	// Spec: https://webidl.spec.whatwg.org/#syntaxerror
	ErrSyntax = errors.New("xhr: syntax error")

	// ErrSecurity is the "SecurityError" DOMException: Open with a
	// forbidden method (CONNECT, TRACE, TRACK).
	//
	// Spec: https://webidl.spec.whatwg.org/#securityerror
	ErrSecurity = errors.New("xhr: security error")

	// ErrInvalidAccess is the "InvalidAccessError" DOMException: a
	// synchronous request combined with a timeout or a response type,
	// which the spec forbids in a browser window and this package forbids
	// likewise.
	//
	// Spec: https://webidl.spec.whatwg.org/#invalidaccesserror
	ErrInvalidAccess = errors.New("xhr: invalid access")

	// ErrNotSupported is the "NotSupportedError" DOMException: a MIME type
	// ParseDocument cannot parse.
	//
	// Spec: https://webidl.spec.whatwg.org/#notsupportederror
	ErrNotSupported = errors.New("xhr: not supported")
)
