package eventsource

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/webnet-go/webnet/internal/textenc"
)

// DefaultMaxEventSize is the maximum event size used by [Parse] and by an
// [EventSource] whose [EventSourceInit].MaxEventSize is zero: 16 MiB. An
// event's size is the length of its data (its "data" values joined with
// LF) plus the length of the line being read, so the limit also bounds a
// single line of any field, comments included.
//
// Deviation: browsers set no limit.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
const DefaultMaxEventSize = 16 << 20

const (
	// readBufSize is the size of a fresh read buffer, and so the most
	// memory an event's strings can keep alive (see [MessageEvent])
	// unless a line is longer than half of it. 64 KiB measured fastest:
	// 32 KiB costs more allocations, 128 KiB more cache misses.
	readBufSize = 64 << 10
	// keepBufSize is the largest data buffer kept after a large event
	// has been dispatched; a larger one becomes the event's string. (A
	// read buffer grown for a long line is replaced by one of readBufSize
	// once the line is consumed, so that later events cannot pin it.)
	keepBufSize = 1 << 20
	// maxEmptyReads bounds how often a reader may return (0, nil) in a row
	// before the scanner gives up with io.ErrNoProgress, as bufio does.
	maxEmptyReads = 100
)

// Parse reads an event stream from r and yields each event it dispatches,
// exactly as the HTML Standard's "interpret an event stream" does: the bytes
// are decoded as UTF-8 (invalid sequences become U+FFFD, one leading BOM is
// dropped), lines end at CRLF, LF or CR (also when the CR and the LF arrive
// in different reads), comments and unknown fields are ignored, "data"
// values are joined with LF, the type defaults to "message", an "id" holding
// U+0000 is ignored, and a block whose data is empty dispatches nothing.
// Each event carries the last event ID in force when it was dispatched; its
// Origin is empty.
//
// At the end of r, an unterminated final event is discarded, as the spec
// requires, and the sequence ends without an error. A read error other than
// io.EOF is yielded once as the error and ends the sequence; so does an
// event larger than [DefaultMaxEventSize], as an error wrapping
// [ErrEventTooLarge]. Use [ParseLimit] for another limit. "retry" fields
// are validated and otherwise ignored: there is nothing to reconnect.
//
// The sequence reads r as it is iterated and is meant to be ranged over
// once; it is the pull-style counterpart of [EventSource] for one-shot
// streams such as the responses of LLM APIs. Lines have no length limit
// other than the event size; the parser's own memory is bounded by about
// twice the largest event, and lines that dispatch nothing allocate
// nothing. Events do not allocate one by one either: the data of an event
// of one "data" line points into the read buffer, which is never written
// again once it does, and other small strings are carved from shared
// blocks; see [MessageEvent] for what keeping an event keeps alive.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
func Parse(r io.Reader) iter.Seq2[MessageEvent, error] {
	return ParseLimit(r, DefaultMaxEventSize)
}

// ParseLimit is [Parse] with a maximum event size of maxEventSize bytes
// instead of [DefaultMaxEventSize]; zero means the default and a negative
// value means no limit.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
func ParseLimit(r io.Reader, maxEventSize int) iter.Seq2[MessageEvent, error] {
	return func(yield func(MessageEvent, error) bool) {
		s := newScanner(r, maxEventSize, "")
		for {
			switch typ, data, res := s.scan(); res {
			case scanEvent:
				if !yield(MessageEvent{Type: typ, Data: data, LastEventID: s.lastID, Origin: s.origin}, nil) {
					return
				}
			case scanError:
				if s.err != io.EOF {
					yield(MessageEvent{}, s.err)
				}
				return
			}
		}
	}
}

// scanner is the event stream parser: it turns the bytes of one connection
// into dispatched events, and keeps the per-stream state the EventSource
// needs (the last event ID and the reconnection time set by "retry").
//
// It works in a single pass over a large read buffer: the line search is
// one bytes.IndexByte per LF-terminated line, CRs are looked for once per
// read (the CR logic only runs when the buffer holds one), and the common
// event shape, one "data" line followed by an empty line, is not copied at
// all: its data points into the read buffer (see share and fill).
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
type scanner struct {
	r   io.Reader
	max int // maximum event size; math.MaxInt for none
	err error

	buf        []byte
	start, end int // unconsumed bytes are buf[start:end]
	// shared reports that event strings point into buf[:end] (see
	// share): those bytes must never be written again.
	shared bool
	// Search caches: lf (cr) is the position of the first LF (CR) in
	// buf[start:end], or end when there is none; a value below start
	// means not known yet. So each byte is searched at most once for
	// each, and a stream without CRs is searched for one once per read.
	lf, cr     int
	skipLF     bool // the previous line ended with a CR at the end of the buffer
	bomChecked bool

	// The spec's buffers. All three hold raw (not yet decoded) bytes.
	data []byte // data buffer: each value followed by LF
	typ  []byte // event type buffer
	id   []byte // last event ID buffer
	// idSet reports that an "id" field set the buffer since the last
	// dispatch.
	idSet bool

	// lastID is the stream's last event ID string, decoded. lastType
	// caches the previous decoded type so that repeated types allocate
	// once.
	lastID   string
	lastType string
	origin   string

	// arena holds the current block of event strings (see arenaString).
	arena strings.Builder

	// retry is the reconnection time the stream last set with a valid
	// "retry" field, and retrySet reports whether it set one.
	retry    time.Duration
	retrySet bool
}

// newScanner returns a scanner over r whose last event ID (and last event
// ID buffer) start as lastID: the buffer keeps its value across
// reconnections, which is how browsers behave and what the
// web-platform-tests require.
func newScanner(r io.Reader, maxEventSize int, lastID string) *scanner {
	switch {
	case maxEventSize == 0:
		maxEventSize = DefaultMaxEventSize
	case maxEventSize < 0:
		maxEventSize = math.MaxInt
	}
	s := &scanner{r: r, max: maxEventSize, lastID: lastID}
	s.id = append(s.id, lastID...)
	return s
}

// next parses lines until an event is dispatched (dispatched is true and ev
// is the event) or the last event ID changed without an event (a block with
// an "id" but no data: dispatched is false), or the stream ends. At the end
// it returns io.EOF (the unterminated event, if any, discarded), the read
// error, or an error wrapping ErrEventTooLarge; the error is sticky.
func (s *scanner) next() (ev MessageEvent, dispatched bool, err error) {
	switch typ, data, res := s.scan(); res {
	case scanEvent:
		return MessageEvent{Type: typ, Data: data, LastEventID: s.lastID, Origin: s.origin}, true, nil
	case scanIDChanged:
		return MessageEvent{}, false, nil
	}
	return MessageEvent{}, false, s.err
}

// scanResult says why scan returned.
type scanResult uint8

const (
	scanNone      scanResult = iota // nothing yet (only from dispatch)
	scanEvent                       // an event was dispatched
	scanIDChanged                   // the last event ID changed without an event
	scanError                       // the stream ended: the error is s.err
)

// scan is next, returning a dispatched event's type and data (its
// LastEventID is s.lastID and its Origin s.origin) and why it returned.
// The strings travel in registers to where the caller builds the event: a
// MessageEvent is too large for that, and storing it in memory and copying
// it again costs as much as finding the event.
func (s *scanner) scan() (typ, data string, res scanResult) {
	for {
		if s.skipLF || !s.bomChecked {
			s.prelude()
		}
		if len(s.data) == 0 && s.cr >= s.start {
			if data, ok := s.fastEvent(); ok {
				return s.event(), data, scanEvent
			}
		}
		// The general path, one line at a time; a line that ends at an
		// LF with no CR before it is handled here, others by crLine.
		start := s.start
		lf := s.lf
		if lf < start {
			lf = s.end
			if i := bytes.IndexByte(s.buf[start:s.end], '\n'); i >= 0 {
				lf = start + i
			}
			s.lf = lf
		}
		var line []byte
		if lf < s.cr {
			line = s.buf[start:lf]
			s.start = lf + 1
		} else {
			var ok bool
			var err error
			if line, ok, err = s.crLine(); err != nil {
				return "", "", scanError // err is s.err
			} else if !ok {
				continue
			}
		}
		if len(s.data)+len(line) > s.max {
			s.tooLarge(len(s.data) + len(line))
			return "", "", scanError
		}
		if len(line) == 0 {
			if typ, data, res := s.dispatch(); res != scanNone {
				return typ, data, res
			}
			continue
		}
		if len(line) < 5 || string(line[:5]) != "data:" {
			s.processLine(line)
			continue
		}
		// A "data" field (its name ends at the first colon).
		value := line[5:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
		// The event's only data line, followed by an empty line that is
		// already buffered (as in fastEvent, for the shapes it leaves):
		// the value, a part of the read buffer, becomes the string.
		if len(s.data) == 0 && s.start < s.end && s.buf[s.start] == '\n' {
			s.start++
			var data string
			if validUTF8(value) {
				data = s.share(value)
			} else {
				data = textenc.UTF8DecodeWithoutBOM(value)
			}
			return s.event(), data, scanEvent
		}
		s.data = append(s.data, value...)
		s.data = append(s.data, '\n')
	}
}

// prelude handles what can come before a line: the check for a BOM at the
// start of the stream, and the LF to skip after a line that ended with a CR
// at the end of the buffer. Both may need more bytes; a read error is
// sticky in s.err and reported by the next fill.
func (s *scanner) prelude() {
	if !s.bomChecked {
		for s.end-s.start < len(bom) && s.err == nil {
			_ = s.fill()
		}
		s.bomChecked = true
		if bytes.HasPrefix(s.buf[s.start:s.end], bom) {
			s.start += len(bom) // no CR or LF: the caches stay valid
		}
	}
	if s.skipLF && s.start < s.end {
		s.skipLF = false
		if s.buf[s.start] == '\n' {
			s.start++
		}
	}
}

var bom = []byte("\uFEFF")

// crLine returns the next line when it does not end at an LF with no CR
// before it: a line that ends at a CR (or a CRLF), or, when no line is
// complete, reads more (ok is false: search again) after checking that
// the partial line fits the maximum event size. The line aliases the read
// buffer and is valid until the next read.
func (s *scanner) crLine() (line []byte, ok bool, err error) {
	cr := s.cr
	if cr < s.start {
		cr = s.end
		if i := bytes.IndexByte(s.buf[s.start:s.end], '\r'); i >= 0 {
			cr = s.start + i
		}
		s.cr = cr
	}
	if s.lf < cr {
		line = s.buf[s.start:s.lf]
		s.start = s.lf + 1
		return line, true, nil
	}
	if cr < s.end {
		line = s.buf[s.start:cr]
		s.start = cr + 1
		if s.start == s.end {
			s.skipLF = true
		} else if s.buf[s.start] == '\n' {
			s.start++
		}
		return line, true, nil
	}
	// No terminator yet: the line continues beyond the buffer.
	if n := len(s.data) + s.end - s.start; n > s.max {
		return nil, false, s.tooLarge(n)
	}
	return nil, false, s.fill()
}

// processLine handles one non-empty line other than a "data:" one.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#processField
func (s *scanner) processLine(line []byte) {
	if line[0] == ':' {
		return // a comment
	}
	field, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		field, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch string(field) {
	case "data":
		s.data = append(s.data, value...)
		s.data = append(s.data, '\n')
	case "event":
		s.typ = append(s.typ[:0], value...)
	case "id":
		if bytes.IndexByte(value, 0) < 0 {
			s.id = append(s.id[:0], value...)
			s.idSet = true
		}
	case "retry":
		if ms, ok := parseRetry(value); ok {
			s.retry, s.retrySet = ms, true
		}
	}
}

// parseRetry interprets a "retry" value: only a non-empty run of ASCII
// digits counts, read in base ten as milliseconds (so "03000" is three
// seconds). Values too large for a time.Duration saturate.
func parseRetry(v []byte) (time.Duration, bool) {
	if len(v) == 0 {
		return 0, false
	}
	const maxMS = math.MaxInt64 / int64(time.Millisecond)
	var ms int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		if ms <= maxMS {
			ms = ms*10 + int64(c-'0')
		}
	}
	if ms > maxMS {
		ms = maxMS
	}
	return time.Duration(ms) * time.Millisecond, true
}

// dispatch runs the spec's "dispatch the event" steps at an empty line:
// it returns the event's type and data (scanEvent), or reports that the
// last event ID string changed (scanIDChanged) or nothing happened
// (scanNone).
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dispatchMessage
func (s *scanner) dispatch() (typ, data string, res scanResult) {
	if len(s.data) == 0 {
		// Steps 1 and 2: commit the last event ID; without data, no
		// event (step 2 resets the type buffer too).
		s.typ = s.typ[:0]
		if s.commitID() {
			return "", "", scanIDChanged
		}
		return "", "", scanNone
	}
	// Step 3: drop the final LF.
	d := s.data[:len(s.data)-1]
	if cap(s.data) > keepBufSize {
		// A large event: the data buffer becomes the string itself
		// (it is never written again), so the event is not copied and
		// the scanner lets go of the buffer.
		if validUTF8(d) {
			data = unsafe.String(unsafe.SliceData(d), len(d))
		} else {
			data = textenc.UTF8DecodeWithoutBOM(d)
		}
		s.data = nil
	} else {
		data = s.arenaString(d)
		s.data = s.data[:0]
	}
	return s.event(), data, scanEvent
}

// event runs the spec's dispatch steps 1, 5 and 6 for an event that is
// dispatched (steps 2 to 4 are the caller's): it commits the last event
// ID buffer, returns the event's type, and resets the type buffer.
//
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#dispatchMessage
func (s *scanner) event() (typ string) {
	if len(s.typ) == 0 && !s.idSet {
		return "message" // the common case, inlined
	}
	return s.eventTypeID()
}

// eventTypeID is event when the event has a type or an "id" field came.
func (s *scanner) eventTypeID() (typ string) {
	typ = "message"
	if len(s.typ) > 0 {
		if string(s.typ) != s.lastType {
			s.lastType = s.arenaString(s.typ)
		}
		typ = s.lastType
		s.typ = s.typ[:0]
	}
	s.commitID()
	return typ
}

// commitID is dispatch step 1: the last event ID buffer becomes the last
// event ID string. The buffer only changes through an "id" field, so it is
// compared (and decoded) only after one. It reports whether the string
// changed.
func (s *scanner) commitID() bool {
	if !s.idSet {
		return false
	}
	s.idSet = false
	if string(s.id) == s.lastID {
		return false
	}
	id := s.arenaString(s.id)
	if id == s.lastID {
		return false
	}
	s.lastID = id
	return true
}

// The arena: event strings of at most arenaMax bytes (data, types and IDs)
// are copied one after the other into blocks of arenaBlock bytes, each the
// buffer of a strings.Builder: a Builder only appends, so the strings it
// returns (and their substrings) are immutable, and (as Go implements it)
// it does not zero the memory it grows into, which would cost a second
// pass over memory that is rarely in cache. So a small event costs no
// allocation of its own, and a block is freed when the last string into
// it is. The cost is that a retained event string keeps its block (at most
// arenaBlock bytes) alive, as a substring keeps its string. Larger strings
// get their own allocation.
const (
	arenaBlock = 4 << 10
	arenaMax   = arenaBlock / 4
)

// arenaString returns b, decoded as UTF-8, as a string, placed in the arena
// when it is small.
func (s *scanner) arenaString(b []byte) string {
	if !validUTF8(b) {
		return textenc.UTF8DecodeWithoutBOM(b)
	}
	return s.arenaPut(b)
}

// arenaPut returns b, which is valid UTF-8, as a string, placed in the
// arena when it is small.
func (s *scanner) arenaPut(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if n > s.arena.Cap()-s.arena.Len() {
		if n > arenaMax {
			return string(b)
		}
		s.arena = strings.Builder{}
		s.arena.Grow(arenaBlock)
	}
	off := s.arena.Len()
	s.arena.Write(b)
	return s.arena.String()[off:]
}

// fastEvent dispatches the commonest shape of event when it starts the
// unconsumed bytes: one "data" line ("data:", an optional space and a
// value of valid UTF-8 with no CR, ending at an LF), then an empty line
// ending at an LF, both within the buffer. It is the same as the general
// path (the data buffer would be value+LF, and both lines fit the maximum
// event size when the data line does), only faster: the value is checked
// for non-ASCII bytes a word at a time and becomes the string without a
// copy (see share). When the bytes have another shape it consumes nothing and
// returns false (having set the LF cache if it looked for the LF). The
// caller has checked that the data buffer is empty and the CR cache
// valid.
func (s *scanner) fastEvent() (data string, ok bool) {
	start := s.start
	b := s.buf[start:s.end]
	if len(b) < 8 || binary.LittleEndian.Uint64(b)&(1<<40-1) != dataColon {
		return "", false
	}
	// "data:" holds no LF, so the line is at least five bytes long.
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		s.lf = s.end
		return "", false
	}
	s.lf = start + i
	if i+1 >= len(b) || b[i+1] != '\n' || s.cr < s.lf || i > s.max {
		return "", false
	}
	value := b[5:i]
	if len(value) > 0 && value[0] == ' ' {
		value = value[1:]
	}
	if !validUTF8(value) {
		return "", false
	}
	s.start = start + i + 2
	return s.share(value), true
}

// dataColon is "data:" in the low five bytes of a little-endian word.
const dataColon = 0x3a61746164

// tooLarge fails the stream: an event would be larger than the maximum
// (n is its size so far).
func (s *scanner) tooLarge(n int) error {
	s.err = fmt.Errorf("%w: more than %d bytes (at least %d)", ErrEventTooLarge, s.max, n)
	s.start, s.end, s.lf, s.cr = 0, 0, 0, 0
	s.buf = nil
	s.data = nil
	return s.err
}

// fill reads more bytes into the buffer. Bytes that back an event string
// (see share) are never written again: while the buffer is shared, reads
// only append to it, and when it is full the unconsumed bytes (a partial
// line) move to a fresh buffer, of readBufSize bytes or, for a long line,
// twice the line so far. A buffer that is not shared is reused as before:
// the unconsumed bytes move to its front, and it grows when they fill it.
// At the end of the stream (or on a read error) fill returns the sticky
// error, discarding whatever partial line is left.
func (s *scanner) fill() error {
	if s.err != nil {
		return s.err
	}
	if s.buf == nil {
		s.buf = make([]byte, readBufSize)
	}
	n := s.end - s.start
	switch {
	case s.shared:
		if s.end < len(s.buf) {
			break // append after the shared bytes
		}
		size := readBufSize
		if n > readBufSize/2 {
			size = 2 * n
			if s.max < math.MaxInt && size > s.max+1 {
				size = max(s.max+1, n+1)
			}
		}
		nb := make([]byte, size)
		copy(nb, s.buf[s.start:s.end])
		s.rebase(nb)
	case s.start > 0:
		nb := s.buf
		if len(s.buf) > readBufSize && n <= readBufSize/2 {
			nb = make([]byte, readBufSize)
		}
		copy(nb, s.buf[s.start:s.end]) // s.buf backs no string
		s.rebase(nb)
	}
	if s.end == len(s.buf) {
		size := 2 * len(s.buf)
		if s.max < math.MaxInt && size > s.max+1 {
			size = max(s.max+1, len(s.buf)+1)
		}
		nb := make([]byte, size)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range maxEmptyReads {
		n, err := s.r.Read(s.buf[s.end:])
		if n < 0 || n > len(s.buf)-s.end {
			err = errors.New("eventsource: reader returned an invalid count")
			n = 0
		}
		if n > 0 {
			s.scanNew(s.end, s.end+n)
			s.end += n
		}
		if err != nil {
			s.err = err
			if n > 0 {
				return nil
			}
			return err
		}
		if n > 0 {
			return nil
		}
	}
	s.err = io.ErrNoProgress
	return s.err
}

// scanNew updates the search caches for the bytes just read into
// buf[from:to]: a cache that said "none before from" now says where the
// first one in them is, or "none before to".
func (s *scanner) scanNew(from, to int) {
	if s.lf == from {
		s.lf = to
		if i := bytes.IndexByte(s.buf[from:to], '\n'); i >= 0 {
			s.lf = from + i
		}
	}
	if s.cr == from {
		s.cr = to
		if i := bytes.IndexByte(s.buf[from:to], '\r'); i >= 0 {
			s.cr = from + i
		}
	}
}

// rebase makes nb, which holds the unconsumed bytes at its front, the read
// buffer, and moves the search caches with them.
func (s *scanner) rebase(nb []byte) {
	for _, p := range [...]*int{&s.lf, &s.cr} {
		if *p >= s.start {
			*p -= s.start
		} else {
			*p = -1
		}
	}
	s.buf = nb
	s.start, s.end = 0, s.end-s.start
	s.shared = false
}

// share returns b, a part of the read buffer holding valid UTF-8, as a
// string without copying it, and marks the buffer shared, so that fill
// never writes its bytes again (Go strings are immutable).
func (s *scanner) share(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	s.shared = true
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// validUTF8 reports whether b is valid UTF-8, checking whether it is
// ASCII, eight bytes at a time, before it falls back to utf8.Valid. Bytes
// that are not valid go to textenc.UTF8DecodeWithoutBOM, the Encoding
// Standard's UTF-8 decoder (each maximal invalid subpart becomes one
// U+FFFD).
func validUTF8(b []byte) bool {
	return isASCII(b) || utf8.Valid(b)
}

// hiBits is the top bit of each byte of a word.
const hiBits = 0x8080808080808080

// isASCII reports whether b holds only ASCII bytes.
func isASCII(b []byte) bool {
	var or uint64
	p := b
	for len(p) >= 32 {
		or |= binary.LittleEndian.Uint64(p) | binary.LittleEndian.Uint64(p[8:]) |
			binary.LittleEndian.Uint64(p[16:]) | binary.LittleEndian.Uint64(p[24:])
		if or&hiBits != 0 {
			return false
		}
		p = p[32:]
	}
	for len(p) >= 8 {
		or |= binary.LittleEndian.Uint64(p)
		p = p[8:]
	}
	if len(p) > 0 {
		if len(b) >= 8 {
			// The last eight bytes, overlapping those already read.
			or |= binary.LittleEndian.Uint64(b[len(b)-8:])
		} else {
			for _, c := range p {
				or |= uint64(c)
			}
		}
	}
	return or&hiBits == 0
}
