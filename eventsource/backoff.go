package eventsource

import (
	"math/rand/v2"
	"time"
)

// DefaultReconnectionTime is the reconnection time an [EventSource] starts
// with, until the stream sets another with a "retry" field: 3 seconds, as in
// Chromium (Firefox uses 5).
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#concept-event-stream-reconnection-time
const DefaultReconnectionTime = 3 * time.Second

// DefaultMaxBackoff is the cap of the backoff an [EventSource] uses when
// [EventSourceInit].Backoff is nil: [ExponentialBackoff](DefaultMaxBackoff).
//
// Deviation: a Go extension, within what the spec allows.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
const DefaultMaxBackoff = 30 * time.Second

// minBackoffUnit is the smallest unit the exponential backoff grows from.
const minBackoffUnit = 100 * time.Millisecond

// A BackoffFunc returns how long an [EventSource] waits before reconnection
// attempt number attempt, given the current reconnection time (the initial
// one or the last set by a "retry" field). attempt is 1 for the first
// attempt after a connection that opened was lost, and grows by one with
// each consecutive attempt that fails before opening; a connection that
// opens (200 text/event-stream) resets the count.
//
// The spec lets a user agent wait longer than the reconnection time ("may
// wait some more", for exponential backoff), never less; a returned delay
// shorter than reconnectionTime is raised to it. To wait exactly the
// reconnection time every time, as the spec's base algorithm does, use
//
//	func(_ int, d time.Duration) time.Duration { return d }
//
// A BackoffFunc is called on the EventSource's goroutine and must not block.
//
// Deviation: a Go extension.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
type BackoffFunc func(attempt int, reconnectionTime time.Duration) time.Duration

// ExponentialBackoff returns the default backoff policy with the given cap:
// the first attempt waits exactly the reconnection time, as the spec's base
// algorithm does; attempt n waits a random ("jittered") delay between the
// reconnection time and u·2ⁿ⁻¹, where u is the reconnection time but at
// least 100 ms, and never more than maxDelay (unless the reconnection time
// itself is longer, which is then waited exactly). The jitter spreads out
// the clients of a server that restarts, so they do not all come back at
// once; the 100 ms floor keeps a server that sets "retry: 0" from being
// hammered while it is down.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
func ExponentialBackoff(maxDelay time.Duration) BackoffFunc {
	return func(attempt int, base time.Duration) time.Duration {
		if attempt <= 1 || base >= maxDelay {
			return base
		}
		unit := max(base, minBackoffUnit)
		ceil := maxDelay
		if attempt < 63 {
			if d := unit << (attempt - 1); d>>(attempt-1) == unit && d < maxDelay {
				ceil = d
			}
		}
		if ceil <= base {
			return base
		}
		return base + rand.N(ceil-base+1)
	}
}
