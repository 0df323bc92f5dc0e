package eventsource

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chunkReader returns data in reads of the given sizes (cycled; a size of
// 0 means 1), so that every line ending and every UTF-8 sequence can be
// split across reads.
type chunkReader struct {
	data  []byte
	sizes []int
	i     int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(r.sizes) > 0 {
		n = max(r.sizes[r.i%len(r.sizes)], 1)
		r.i++
	}
	n = min(n, len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// collect runs Parse (or ParseLimit with max) over r and returns the events
// and the final error.
func collect(r io.Reader, max int) ([]MessageEvent, error) {
	var evs []MessageEvent
	for ev, err := range ParseLimit(r, max) {
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
	return evs, nil
}

func msg(data string) MessageEvent { return MessageEvent{Type: "message", Data: data} }

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []MessageEvent
	}{
		{"empty stream", "", nil},
		{"one event", "data: hi\n\n", []MessageEvent{msg("hi")}},
		{"LF CR CRLF", "data:a\rdata:b\r\ndata:c\n\r", []MessageEvent{msg("a\nb\nc")}},
		{"CRLF blank line", "data:a\r\n\r\n", []MessageEvent{msg("a")}},
		{"CR CR is two lines", "data:a\r\rdata:b\r\r", []MessageEvent{msg("a"), msg("b")}},
		{"LF CR is two line endings", "data:a\n\r", []MessageEvent{msg("a")}},
		{"one leading space stripped", "data:  two\n\n", []MessageEvent{msg(" two")}},
		{"tab kept", "data:\tx\n\n", []MessageEvent{msg("\tx")}},
		{"no colon", "data\n\n", []MessageEvent{msg("")}},
		{"two empty data lines", "data\ndata\n\n", []MessageEvent{msg("\n")}},
		{"colon in value", "data: a:b\n\n", []MessageEvent{msg("a:b")}},
		{"empty data buffer: no event", "event: x\n\ndata: y\n\n", []MessageEvent{msg("y")}},
		{"comment", ": hello\ndata: y\n\n", []MessageEvent{msg("y")}},
		{"unknown and case-variant fields", "Data: x\nfoo: y\ndata: z\n\n", []MessageEvent{msg("z")}},
		{"space before field name", " data: x\ndata: z\n\n", []MessageEvent{msg("z")}},
		{"custom type then default", "event: join\ndata: Bob\n\ndata: hi\n\n",
			[]MessageEvent{{Type: "join", Data: "Bob"}, msg("hi")}},
		{"empty event type is message", "event:\ndata: x\n\n", []MessageEvent{msg("x")}},
		{"id persists", "id: 1\ndata: a\n\ndata: b\n\n",
			[]MessageEvent{{Type: "message", Data: "a", LastEventID: "1"}, {Type: "message", Data: "b", LastEventID: "1"}}},
		{"empty id resets", "id: 1\ndata: a\n\nid\ndata: b\n\n",
			[]MessageEvent{{Type: "message", Data: "a", LastEventID: "1"}, msg("b")}},
		{"id with NUL ignored", "id: 1\ndata: a\n\nid: 2\x00\ndata: b\n\n",
			[]MessageEvent{{Type: "message", Data: "a", LastEventID: "1"}, {Type: "message", Data: "b", LastEventID: "1"}}},
		{"id set by a block without data", "id: 7\n\ndata: a\n\n",
			[]MessageEvent{{Type: "message", Data: "a", LastEventID: "7"}}},
		{"NUL in data kept", "data:\x00\n\n", []MessageEvent{msg("\x00")}},
		{"unterminated final event discarded", "data: a\n\ndata: b\n", []MessageEvent{msg("a")}},
		{"unterminated final line discarded", "data: a\n\ndata: b", []MessageEvent{msg("a")}},
		{"BOM stripped once", "\uFEFFdata:1\n\n\uFEFFdata:2\n\ndata:3\n\n", []MessageEvent{msg("1"), msg("3")}},
		{"double BOM", "\uFEFF\uFEFFdata:1\n\ndata:2\n\n", []MessageEvent{msg("2")}},
		{"invalid UTF-8: truncated sequence is one U+FFFD", "data:\xE2\x80A\n\n", []MessageEvent{msg("\uFFFDA")}},
		{"invalid UTF-8: bad second byte", "data:\xF0\x80\n\n", []MessageEvent{msg("\uFFFD\uFFFD")}},
		{"invalid UTF-8: surrogate", "data:\xED\xA0\x80\n\n", []MessageEvent{msg("\uFFFD\uFFFD\uFFFD")}},
		{"invalid UTF-8: lone continuation", "data:\x80x\xFF\n\n", []MessageEvent{msg("\uFFFDx\uFFFD")}},
		{"invalid UTF-8: sequence cut by LF", "data:\xE2\n\n", []MessageEvent{msg("\uFFFD")}},
		{"invalid UTF-8 in type", "event:\xC3\ndata:x\n\n", []MessageEvent{{Type: "\uFFFD", Data: "x"}}},
		{"valid multibyte", "data:ok…\n\n", []MessageEvent{msg("ok…")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := collect(strings.NewReader(tt.input), 0)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			// Byte by byte and in reads of 2 and 3: the same events.
			for _, sizes := range [][]int{{1}, {2}, {3, 1}} {
				got, err := collect(&chunkReader{data: []byte(tt.input), sizes: sizes}, 0)
				require.NoError(t, err)
				assert.Equal(t, tt.want, got, "reads of %v", sizes)
			}
		})
	}
}

// A CR at the end of one read and an LF at the start of the next are one
// line ending, so "data:a\r" + "\n" + "\n" is one event, not one event
// followed by an extra empty line.
func TestParseCRLFSplitAcrossReads(t *testing.T) {
	s := newScanner(&chunkReader{data: []byte("id: 1\r\n\r\ndata:a\r\n\r\nid\r\n\r\n"), sizes: []int{6, 1, 1, 1, 7, 1, 1, 5}}, 0, "")
	ev, dispatched, err := s.next()
	require.NoError(t, err)
	assert.False(t, dispatched, "an id-only block dispatches nothing")
	assert.Equal(t, "1", s.lastID)
	ev, dispatched, err = s.next()
	require.NoError(t, err)
	assert.True(t, dispatched)
	assert.Equal(t, MessageEvent{Type: "message", Data: "a", LastEventID: "1"}, ev)
	_, dispatched, err = s.next()
	require.NoError(t, err)
	assert.False(t, dispatched)
	assert.Equal(t, "", s.lastID, "an empty id resets the last event ID")
	_, _, err = s.next()
	assert.Equal(t, io.EOF, err)
}

func TestScannerRetry(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  time.Duration
		set   bool
	}{
		{"milliseconds", "retry: 1500\n", 1500 * time.Millisecond, true},
		{"leading zeros are decimal", "retry:03000\n", 3 * time.Second, true},
		{"bogus ignored, earlier kept", "retry:3000\nretry:1000x\n", 3 * time.Second, true},
		{"empty ignored", "retry\nretry:\n", 0, false},
		{"sign ignored", "retry: -5\nretry: +5\n", 0, false},
		{"two spaces ignored", "retry:  5\n", 0, false},
		{"huge saturates", "retry: 99999999999999999999999999\n", time.Duration(1<<63-1) / time.Millisecond * time.Millisecond, true},
		{"applies without a dispatch", "retry: 2\ndata: x\n", 2 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScanner(strings.NewReader(tt.input), 0, "")
			_, _, err := s.next()
			require.Equal(t, io.EOF, err)
			assert.Equal(t, tt.set, s.retrySet)
			assert.Equal(t, tt.want, s.retry)
		})
	}
}

// The id of an unterminated final block is never committed; the last event
// ID buffer starts at the ID carried over from the previous connection.
func TestScannerLastEventID(t *testing.T) {
	s := newScanner(strings.NewReader("data: a\n\nid: 9\ndata: b\n"), 0, "5")
	ev, dispatched, err := s.next()
	require.NoError(t, err)
	require.True(t, dispatched)
	assert.Equal(t, "5", ev.LastEventID)
	_, _, err = s.next()
	require.Equal(t, io.EOF, err)
	assert.Equal(t, "5", s.lastID)
}

func TestParseMaxEventSize(t *testing.T) {
	tests := []struct {
		name  string
		input string
		max   int
		want  int // events before the error
	}{
		{"data over limit", "data: a\n\ndata: 0123456789\ndata: 0123456789\n\n", 20, 1},
		{"one long line", "data: a\n\n" + strings.Repeat("x", 100) + "\n", 50, 1},
		{"unterminated long line", strings.Repeat("x", 100), 50, 0},
		{"long comment", ":" + strings.Repeat("x", 100) + "\n", 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sizes := range [][]int{nil, {1}, {7}} {
				var r io.Reader = strings.NewReader(tt.input)
				if sizes != nil {
					r = &chunkReader{data: []byte(tt.input), sizes: sizes}
				}
				evs, err := collect(r, tt.max)
				require.ErrorIs(t, err, ErrEventTooLarge)
				assert.Contains(t, err.Error(), "more than")
				assert.Len(t, evs, tt.want)
			}
		})
	}
	// Many small events within the limit: never an error, since the limit
	// is per event and comments do not accumulate.
	in := strings.Repeat(": keep-alive\ndata: 0123456789\n\n", 1000)
	evs, err := collect(strings.NewReader(in), 20)
	require.NoError(t, err)
	assert.Len(t, evs, 1000)
	// Negative: no limit.
	evs, err = collect(strings.NewReader("data: "+strings.Repeat("y", 1<<20)+"\n\n"), -1)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Len(t, evs[0].Data, 1<<20)
}

// Events of 10 MiB (many lines, and one single line) parse with the default
// limit, whatever the read sizes.
func TestParseLargeEvents(t *testing.T) {
	const size = 10 << 20
	line := strings.Repeat("z", 1000)
	var many strings.Builder
	for range size/len(line) + 1 {
		many.WriteString("data: " + line + "\n")
	}
	many.WriteString("\n")
	single := "data: " + strings.Repeat("q", size) + "\n\n"

	for name, in := range map[string]string{"many lines": many.String(), "single line": single} {
		t.Run(name, func(t *testing.T) {
			for _, sizes := range [][]int{nil, {4096, 17}, {1 << 20}} {
				var r io.Reader = strings.NewReader(in)
				if sizes != nil {
					r = &chunkReader{data: []byte(in), sizes: sizes}
				}
				evs, err := collect(r, 0)
				require.NoError(t, err)
				require.Len(t, evs, 1)
				assert.GreaterOrEqual(t, len(evs[0].Data), size)
			}
		})
	}
	_, err := collect(strings.NewReader("data: "+strings.Repeat("q", DefaultMaxEventSize)+"\n\n"), 0)
	assert.ErrorIs(t, err, ErrEventTooLarge)
}

type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	evs, err := collect(&errReader{data: []byte("data: a\n\ndata: b\n"), err: boom}, 0)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, []MessageEvent{msg("a")}, evs)

	_, err = collect(&errReader{}, 0) // (0, nil) forever
	assert.ErrorIs(t, err, io.ErrNoProgress)
}

func TestParseStopsWhenYieldReturnsFalse(t *testing.T) {
	r := &chunkReader{data: []byte(strings.Repeat("data: x\n\n", 100)), sizes: []int{9}}
	n := 0
	for range Parse(r) {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
	assert.Equal(t, 98*9, len(r.data), "Parse must not read ahead after the consumer stops")
}

// Lines that dispatch nothing allocate nothing, and a dispatched event
// allocates at most its data and its id.
func TestParseAllocations(t *testing.T) {
	const block = ": comment\nevent: tick\nretry: 10\nid: 1\ndata: abc\ndata: def\nfoo: bar\n\n"
	in := []byte(strings.Repeat(block, 2000))
	s := newScanner(bytes.NewReader(in), 0, "")
	_, _, err := s.next() // warm up: buffers and the interned type and id
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(1000, func() {
		ev, dispatched, err := s.next()
		if err != nil || !dispatched || ev.Data != "abc\ndef" || ev.Type != "tick" {
			panic("unexpected event")
		}
	})
	assert.LessOrEqual(t, allocs, 0.1, "same id and type: events are carved from shared blocks")

	// A new id for every event: still at most one allocation per event.
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, "id: %d\ndata: event %d\n\n", i, i)
	}
	s = newScanner(strings.NewReader(b.String()), 0, "")
	_, _, err = s.next()
	require.NoError(t, err)
	allocs = testing.AllocsPerRun(1000, func() {
		if _, _, err := s.next(); err != nil {
			panic(err)
		}
	})
	assert.LessOrEqual(t, allocs, 0.1, "ids are carved from the blocks too")

	quiet := []byte(strings.Repeat(": keep-alive\nfoo\n\nretry: 5\nevent: x\n\n", 5000))
	allocs = testing.AllocsPerRun(5, func() {
		s := newScanner(bytes.NewReader(quiet), 0, "")
		if _, _, err := s.next(); err != io.EOF {
			panic("unexpected event")
		}
	})
	// The scanner, its read buffer and the type buffer, for 25 000 lines.
	assert.LessOrEqual(t, allocs, 4.0, "undispatched lines must not allocate")
}

// The fast path (fastEvent) and the general path must agree on every shape
// near the commonest one, wherever the event falls in the read buffer and
// however the stream is cut into reads; referenceParse is the spec
// transcription the fuzzers use.
func TestParseFastPathShapes(t *testing.T) {
	long := strings.Repeat("L", arenaMax+1)
	huge := strings.Repeat("H", arenaBlock+1)
	tests := []struct {
		name  string
		input string
		want  []MessageEvent
	}{
		{"eight bytes", "data:x\n\n", []MessageEvent{msg("x")}},
		{"under eight bytes", "data:\n\n", []MessageEvent{msg("")}},
		{"space only", "data: \n\nd", []MessageEvent{msg("")}},
		{"value of spaces", "data:   \n\n", []MessageEvent{msg("  ")}},
		{"colon in value", "data: a:b:c\n\n", []MessageEvent{msg("a:b:c")}},
		{"valid non-ASCII", "data: 汉字 ok…\n\n", []MessageEvent{msg("汉字 ok…")}},
		{"non-ASCII at the end of a word", "data:1234567é\n\n", []MessageEvent{msg("1234567é")}},
		{"invalid UTF-8", "data: ab\xffcd\xe2\x82\n\n", []MessageEvent{msg("ab\uFFFDcd\uFFFD")}},
		{"CR inside the line", "data: a\rb\n\n", []MessageEvent{msg("a")}},
		{"CRLF data line", "data: abcdef\r\n\n", []MessageEvent{msg("abcdef")}},
		{"LF then CRLF", "data: abcdef\n\r\n", []MessageEvent{msg("abcdef")}},
		{"LF then CR", "data: abcdef\n\r", []MessageEvent{msg("abcdef")}},
		{"CR later in the stream", "data: abcdef\n\ndata: ghijkl\r\r", []MessageEvent{msg("abcdef"), msg("ghijkl")}},
		{"two data lines", "data: abcdef\ndata: ghijkl\n\n", []MessageEvent{msg("abcdef\nghijkl")}},
		{"data then other field", "data: abcdef\nid: 3\n\n", []MessageEvent{{Type: "message", Data: "abcdef", LastEventID: "3"}}},
		{"type and id first", "event: e\nid: 1\ndata: abcdef\n\ndata: ghijkl\n\n",
			[]MessageEvent{{Type: "e", Data: "abcdef", LastEventID: "1"}, {Type: "message", Data: "ghijkl", LastEventID: "1"}}},
		{"after a partial data block", "data\ndata: abcdef\n\n", []MessageEvent{msg("\nabcdef")}},
		{"case matters", "Data: abcdef\n\ndata: ghijkl\n\n", []MessageEvent{msg("ghijkl")}},
		{"not a data field", "datum: abcdef\n\ndata-x: y\n\n", nil},
		{"unterminated", "data: abcdef\n", nil},
		{"unterminated empty line", "data: abcdef\n\ndata: ghijkl\n", []MessageEvent{msg("abcdef")}},
		{"over arenaMax", "data: " + long + "\n\n", []MessageEvent{msg(long)}},
		{"over a block", "data:" + huge + "\n\ndata: after\n\n", []MessageEvent{msg(huge), msg("after")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, nilIfEmpty(referenceParse([]byte(tt.input))), "the test's own expectation")
			// At the start of the stream, at the end of a full read
			// buffer (after padding of every length near it), and in
			// reads of every size up to 9.
			for _, pad := range []int{0, 1, readBufSize - len(tt.input) - 3, readBufSize - len(tt.input), readBufSize - 5, readBufSize - 1} {
				in := padded(pad) + tt.input
				got, err := collect(strings.NewReader(in), -1)
				require.NoError(t, err)
				assert.Equal(t, tt.want, got, "pad %d", pad)
			}
			for size := 1; size <= 9; size++ {
				got, err := collect(&chunkReader{data: []byte(tt.input), sizes: []int{size}}, -1)
				require.NoError(t, err)
				assert.Equal(t, tt.want, got, "reads of %d", size)
			}
		})
	}
}

// padded returns n bytes of comment lines (no event), n >= 0.
func padded(n int) string {
	if n <= 0 {
		return ""
	}
	if n == 1 {
		return "\n"
	}
	return ":" + strings.Repeat("p", n-2) + "\n"
}

func nilIfEmpty(evs []MessageEvent) []MessageEvent {
	if len(evs) == 0 {
		return nil
	}
	return evs
}

// Event strings are carved from shared blocks: every string must keep its
// value while later events are written after it, across blocks and reads.
func TestParseArenaStringsStayIntact(t *testing.T) {
	var b strings.Builder
	var want []MessageEvent
	for i := range 5000 {
		data := fmt.Sprintf("%d:%s", i, strings.Repeat("x", i%300))
		ev := MessageEvent{Type: "message", Data: data, LastEventID: lastIDOf(i)}
		switch i % 7 {
		case 0:
			ev.Type = fmt.Sprintf("t%d", i%5)
			fmt.Fprintf(&b, "event: %s\n", ev.Type)
		case 1:
			fmt.Fprintf(&b, "id: %d\n", i)
		}
		fmt.Fprintf(&b, "data: %s\n\n", data)
		want = append(want, ev)
	}
	for _, sizes := range [][]int{nil, {4093, 7}, {100000}} {
		var r io.Reader = strings.NewReader(b.String())
		if sizes != nil {
			r = &chunkReader{data: []byte(b.String()), sizes: sizes}
		}
		got, err := collect(r, 0)
		require.NoError(t, err)
		require.Equal(t, len(want), len(got))
		assert.Equal(t, want, got)
	}
}

// lastIDOf is the last event ID in force for event i of
// TestParseArenaStringsStayIntact: that of the last event j <= i with
// j%7 == 1.
func lastIDOf(i int) string {
	for j := i; j >= 0; j-- {
		if j%7 == 1 {
			return fmt.Sprint(j)
		}
	}
	return ""
}

// The maximum event size counts the whole line on the fast path too.
func TestParseFastPathMaxEventSize(t *testing.T) {
	const in = "data: abcdefgh\n\n" // a line of 14 bytes
	for _, sizes := range [][]int{nil, {1}, {15}, {16}} {
		reader := func() io.Reader {
			if sizes == nil {
				return strings.NewReader(in)
			}
			return &chunkReader{data: []byte(in), sizes: sizes}
		}
		evs, err := collect(reader(), 14)
		require.NoError(t, err)
		assert.Equal(t, []MessageEvent{msg("abcdefgh")}, evs)
		_, err = collect(reader(), 13)
		assert.ErrorIs(t, err, ErrEventTooLarge, "reads of %v", sizes)
	}
}

func TestValidUTF8(t *testing.T) {
	for n := range 80 {
		b := bytes.Repeat([]byte{'a'}, n)
		assert.True(t, validUTF8(b), "ASCII of %d bytes", n)
		assert.True(t, isASCII(b))
		for i := range n {
			c := bytes.Clone(b)
			c[i] = 0x80 // a lone continuation byte
			assert.False(t, isASCII(c), "0x80 at %d of %d", i, n)
			assert.False(t, validUTF8(c), "0x80 at %d of %d", i, n)
			if i+2 <= n {
				copy(c[i:], "é")
				assert.False(t, isASCII(c))
				assert.True(t, validUTF8(c), "é at %d of %d", i, n)
			}
		}
	}
}

// A stream of small events allocates far less than once per event.
func TestParseAllocationsPerEvent(t *testing.T) {
	var b strings.Builder
	const events = 20000
	for i := range events {
		fmt.Fprintf(&b, "data: {\"i\":%08d,\"delta\":\"token text here\",\"x\":1}\n\n", i)
	}
	in := []byte(b.String())
	allocs := testing.AllocsPerRun(3, func() {
		n := 0
		for _, err := range Parse(bytes.NewReader(in)) {
			if err != nil {
				panic(err)
			}
			n++
		}
		if n != events {
			panic("lost events")
		}
	})
	assert.Less(t, allocs/events, 0.05, "events share 4 KiB blocks")
}

// scribbleReader is chunkReader that, as io.Reader allows, uses all of p
// as scratch space: it overwrites the whole of p before copying its bytes,
// so a parser that hands Read memory backing an earlier event corrupts it.
type scribbleReader struct {
	chunkReader
	n byte
}

func (r *scribbleReader) Read(p []byte) (int, error) {
	r.n++
	for i := range p {
		p[i] = r.n
	}
	return r.chunkReader.Read(p)
}

// retentionStream returns a long stream of every shape the parser
// distinguishes (mostly single data lines, which share the read buffer,
// but also multi-line, CR- and CRLF-ended, invalid UTF-8, typed and
// identified events, comments and lines longer than a read buffer),
// generated from a fixed seed.
func retentionStream(t *testing.T) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 64))
	var b bytes.Buffer
	for i := 0; b.Len() < 3<<20; i++ {
		value := fmt.Sprintf("%d:%s", i, strings.Repeat(string(rune('a'+i%26)), rng.IntN(120)))
		switch k := rng.IntN(40); {
		case k < 28:
			fmt.Fprintf(&b, "data: %s\n\n", value)
		case k < 30:
			fmt.Fprintf(&b, "data:%s\ndata: %s\n\n", value, value)
		case k < 32:
			fmt.Fprintf(&b, "data: %s\r\n\r\n", value)
		case k < 33:
			fmt.Fprintf(&b, "data: %s\r\r", value)
		case k < 34:
			fmt.Fprintf(&b, "data: %s\xff\xe2\x82\n\n", value)
		case k < 35:
			fmt.Fprintf(&b, "event: t%d\nid: %d\ndata: %s\n\n", i%3, i, value)
		case k < 36:
			fmt.Fprintf(&b, ": comment %s\n\n", value)
		case k < 37 && rng.IntN(20) == 0:
			fmt.Fprintf(&b, "data: %s%s\n\n", value, strings.Repeat("é", readBufSize/4+rng.IntN(readBufSize)))
		default:
			fmt.Fprintf(&b, "data: 汉字 %s\n\n", value)
		}
	}
	return b.Bytes()
}

// The strings of an event may point into the read buffer: keeping every
// event of a long stream alive while the parser reads on (with readers
// that scribble over the whole of every buffer they get) must leave each
// of them intact, as an independent parse of the same bytes shows.
func TestParseRetainedEventsStayIntact(t *testing.T) {
	in := retentionStream(t)
	want := referenceParse(in)
	require.Greater(t, len(want), 10000)
	for _, sizes := range [][]int{nil, {4093, 7, 1, 65536, 30011}, {readBufSize / 2}, {100, 3 * readBufSize}} {
		r := &scribbleReader{chunkReader: chunkReader{data: bytes.Clone(in), sizes: sizes}}
		if sizes == nil {
			r.sizes = []int{len(in)}
		}
		got, err := collect(r, 0)
		require.NoError(t, err)
		runtime.GC()
		require.Equal(t, len(want), len(got), "reads of %v", sizes)
		for i := range want {
			if !assert.Equal(t, want[i], got[i], "event %d, reads of %v", i, sizes) {
				break
			}
		}
	}
	// The client's path, next, shares the same core.
	s := newScanner(&scribbleReader{chunkReader: chunkReader{data: bytes.Clone(in), sizes: []int{1500}}}, 0, "")
	var got []MessageEvent
	for {
		ev, dispatched, err := s.next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if dispatched {
			got = append(got, ev)
		}
	}
	runtime.GC()
	assert.Equal(t, want, got)
}

// A single-line event's data is not copied: it points into the read
// buffer, which is then never written again.
func TestParseSharesReadBuffer(t *testing.T) {
	in := strings.Repeat("data: 0123456789\n\n", 10000)
	s := newScanner(strings.NewReader(in), 0, "")
	ev, dispatched, err := s.next()
	require.NoError(t, err)
	require.True(t, dispatched)
	first := s.buf
	p := uintptr(unsafe.Pointer(unsafe.StringData(ev.Data)))
	base := uintptr(unsafe.Pointer(unsafe.SliceData(first)))
	assert.True(t, p >= base && p < base+uintptr(len(first)), "Data points into the read buffer")
	for {
		if _, _, err = s.next(); err != nil {
			break
		}
	}
	assert.Equal(t, io.EOF, err)
	assert.Equal(t, "0123456789", ev.Data)
	assert.Equal(t, bytes.Repeat([]byte("data: 0123456789\n\n"), len(first)/18+1)[:len(first)], first,
		"a shared buffer is never written again")
}

// The memory a large event keeps alive is at most about twice its size:
// the read buffer holding its line, which grows by doubling.
func TestParseLargeEventRetention(t *testing.T) {
	const size = 10 << 20
	in := []byte("data: " + strings.Repeat("q", size) + "\n\n")
	for _, sizes := range [][]int{{1 << 20}, {4096, 17}} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		evs, err := collect(&chunkReader{data: in, sizes: sizes}, 0)
		require.NoError(t, err)
		require.Len(t, evs, 1)
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		assert.Less(t, kept, int64(2*size+size/8), "reads of %v", sizes)
		assert.Equal(t, size, len(evs[0].Data))
		runtime.KeepAlive(evs)
	}
}
