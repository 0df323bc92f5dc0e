package eventsource

// MessageEvent is one event dispatched from an event stream: the spec's
// MessageEvent restricted to the attributes an event stream can set. It is
// a small value, passed and stored by value; its strings are immutable and
// may be kept. To avoid a copy and an allocation per event, an event's
// strings share storage with the stream: the Data of an event of a single
// "data" line points into the parser's read buffer, 64 KiB (or, if that
// buffer grew to hold a line longer than 32 KiB, at most twice that
// line's length), and other small strings are carved from blocks of
// 4 KiB. Keeping an event keeps that storage alive, as a substring keeps
// its whole string: to keep a few events (or a few bytes of many) for
// long, detach their strings with strings.Clone.
//
// Type is the event type ("message" unless the stream named another with
// an "event" field), Data the event's data (its "data" lines joined with
// LF), LastEventID the stream's last event ID at the moment of dispatch and
// Origin the serialized origin of the stream's final URL (after redirects).
// [Parse] leaves Origin empty, since a bare reader has no URL.
//
// Spec: https://html.spec.whatwg.org/multipage/comms.html#messageevent
type MessageEvent struct {
	Type        string
	Data        string
	LastEventID string
	Origin      string
}
