package fetch

import (
	"context"
	"errors"
	"fmt"
)

// The error categories of the package. Every error returned by [Client.Do],
// [Client.Fetch] and [Fetch] wraps exactly one of ErrNetwork, ErrAbort and
// ErrTimeout together with its cause, so both match [errors.Is]:
//
//	resp, err := fetch.Fetch(ctx, u, nil)
//	if errors.Is(err, fetch.ErrNetwork) { ... }         // "TypeError: Failed to fetch"
//	if errors.Is(err, syscall.ECONNREFUSED) { ... }     // the cause, too
//
// The argument errors, which JavaScript throws as a TypeError or RangeError
// before anything is sent, wrap ErrTypeError or ErrRangeError. ErrInvalidHeader
// and ErrBodyUsed are TypeErrors as well: errors.Is(err, ErrTypeError) holds
// for them.
var (
	// ErrNetwork is a spec "network error": the request could not be sent or
	// the response could not be received (connection refused or reset, DNS,
	// TLS, a body shorter than its Content-Length, a refused redirect, a
	// blocked port or scheme). JavaScript rejects with
	// "TypeError: Failed to fetch". An HTTP status such as 404 or 500 is not
	// an error.
	//
	// Spec: https://fetch.spec.whatwg.org/#concept-network-error
	ErrNetwork = errors.New("fetch: network error")

	// ErrAbort reports a fetch, or the reading of its body, stopped by an
	// [AbortSignal] or by the cancellation of the fetch's context (the
	// "AbortError" DOMException). It is also the reason of a signal aborted
	// with a nil reason.
	//
	// Spec: https://dom.spec.whatwg.org/#aborterror
	ErrAbort = errors.New("fetch: aborted")

	// ErrTimeout reports a fetch stopped by [AbortSignalTimeout] or by the
	// deadline of its context (the "TimeoutError" DOMException); it is the
	// reason of every signal made by AbortSignalTimeout.
	//
	// Spec: https://dom.spec.whatwg.org/#timeouterror
	ErrTimeout = errors.New("fetch: timeout")

	// ErrTypeError is the category of argument errors for which JavaScript
	// throws a TypeError: a forbidden or invalid method, a body on a GET
	// request, a URL with credentials, an immutable Headers, a body of the
	// wrong kind for FormData, and so on.
	//
	// Spec: https://webidl.spec.whatwg.org/#exceptiondef-typeerror
	ErrTypeError = errors.New("fetch: TypeError")

	// ErrRangeError is the category of out-of-range arguments for which
	// JavaScript throws a RangeError: a Response status outside 200–599 or a
	// redirect status that is not 301, 302, 303, 307 or 308.
	//
	// Spec: https://webidl.spec.whatwg.org/#exceptiondef-rangeerror
	ErrRangeError = errors.New("fetch: RangeError")

	// ErrInvalidHeader reports a header name that is not an HTTP token or a
	// header value that contains NUL, CR or LF. The error message names the
	// header. It matches ErrTypeError too.
	//
	// Spec: https://fetch.spec.whatwg.org/#concept-headers-validate
	ErrInvalidHeader error = &typeError{"fetch: invalid header"}

	// ErrBodyUsed reports a second attempt to read a body (the body is
	// "unusable"): each body can be consumed once, by [Response.Body],
	// [Response.Text] and the other readers, unless it was cloned first. It
	// matches ErrTypeError too.
	//
	// Spec: https://fetch.spec.whatwg.org/#body-unusable
	ErrBodyUsed error = &typeError{"fetch: body already used"}
)

// typeError is a sentinel that also matches ErrTypeError.
type typeError struct{ msg string }

func (e *typeError) Error() string        { return e.msg }
func (e *typeError) Is(target error) bool { return target == ErrTypeError }

// errorf returns an error wrapping the category sentinel cat with a message.
func errorf(cat error, format string, args ...any) error {
	return &wrapped{cat: cat, msg: fmt.Sprintf(format, args...)}
}

// wrapped is an argument error: a message plus the category it matches.
type wrapped struct {
	cat error
	msg string
}

func (e *wrapped) Error() string { return e.cat.Error() + ": " + e.msg }
func (e *wrapped) Unwrap() error { return e.cat }

// fetchError wraps a failed fetch: the URL, the category (ErrNetwork,
// ErrAbort or ErrTimeout) and the cause.
func fetchError(u string, cat, cause error) error {
	if cause == nil || cause == cat {
		return fmt.Errorf("fetch %s: %w", u, cat)
	}
	return fmt.Errorf("fetch %s: %w: %w", u, cat, cause)
}

// abortCategory returns the category of an abort with the given reason:
// ErrTimeout for a timeout or an expired deadline, else ErrAbort.
func abortCategory(reason error) error {
	if errors.Is(reason, ErrTimeout) || errors.Is(reason, context.DeadlineExceeded) {
		return ErrTimeout
	}
	return ErrAbort
}

// abortError is the error of a fetch aborted with reason.
func abortError(u string, reason error) error {
	if reason == nil {
		reason = ErrAbort
	}
	cat := abortCategory(reason)
	if errors.Is(reason, cat) {
		return fmt.Errorf("fetch %s: %w", u, reason)
	}
	return fmt.Errorf("fetch %s: %w: %w", u, cat, reason)
}
