package eventsource

// MessageEvent is one event dispatched from an event stream: the spec's
// MessageEvent restricted to the attributes an event stream can set. It is
// a small value, passed and stored by value; its strings are immutable and
// may be kept. To avoid an allocation per event, the strings of the small
// events of one stream share blocks of 4 KiB: keeping an event's Data
// keeps its block alive, as a substring keeps its whole string (clone it
// with strings.Clone to keep a few bytes of many events for long).
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
