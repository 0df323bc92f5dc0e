package eventsource

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/internal/textenc"
)

// referenceDecode is a literal transcription of the Encoding Standard's
// UTF-8 decoder (bytes seen, bytes needed, lower and upper boundary),
// written independently of textenc.UTF8DecodeWithoutBOM, the decoder the
// parser uses, so the two can be compared.
func referenceDecode(b []byte) string {
	var out []rune
	var cp rune
	seen, needed := 0, 0
	lower, upper := byte(0x80), byte(0xBF)
	for i := 0; i <= len(b); i++ {
		if i == len(b) {
			if needed != 0 {
				out = append(out, utf8.RuneError)
			}
			break
		}
		c := b[i]
		if needed == 0 {
			switch {
			case c <= 0x7F:
				out = append(out, rune(c))
			case c >= 0xC2 && c <= 0xDF:
				needed, cp = 1, rune(c&0x1F)
			case c >= 0xE0 && c <= 0xEF:
				if c == 0xE0 {
					lower = 0xA0
				}
				if c == 0xED {
					upper = 0x9F
				}
				needed, cp = 2, rune(c&0xF)
			case c >= 0xF0 && c <= 0xF4:
				if c == 0xF0 {
					lower = 0x90
				}
				if c == 0xF4 {
					upper = 0x8F
				}
				needed, cp = 3, rune(c&0x7)
			default:
				out = append(out, utf8.RuneError)
			}
			continue
		}
		if c < lower || c > upper {
			cp, needed, seen = 0, 0, 0
			lower, upper = 0x80, 0xBF
			out = append(out, utf8.RuneError)
			i-- // prepend c to the stream
			continue
		}
		lower, upper = 0x80, 0xBF
		cp = cp<<6 | rune(c&0x3F)
		seen++
		if seen == needed {
			out = append(out, cp)
			cp, needed, seen = 0, 0, 0
		}
	}
	return string(out)
}

// referenceParse is the spec's "interpret an event stream" written in the
// most direct way: decode everything, split into lines, process each.
func referenceParse(in []byte) []MessageEvent {
	text := referenceDecode(in)
	text = strings.TrimPrefix(text, "\uFEFF")
	var evs []MessageEvent
	var data, typ, idBuf, lastID string
	for {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			return evs // the unterminated rest is discarded
		}
		line := text[:i]
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
		switch {
		case line == "":
			lastID = idBuf
			if data == "" {
				typ = ""
				continue
			}
			data = strings.TrimSuffix(data, "\n")
			ev := MessageEvent{Type: typ, Data: data, LastEventID: lastID}
			if ev.Type == "" {
				ev.Type = "message"
			}
			evs = append(evs, ev)
			data, typ = "", ""
		case line[0] == ':':
		default:
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "data":
				data += value + "\n"
			case "event":
				typ = value
			case "id":
				if !strings.Contains(value, "\x00") {
					idBuf = value
				}
			}
		}
	}
}

func chunkSizes(b []byte) []int {
	sizes := make([]int, len(b))
	for i, c := range b {
		sizes[i] = int(c)%64 + 1
	}
	return sizes
}

func addSeeds(f *testing.F) {
	for _, s := range []string{
		"data: hi\n\n",
		"\uFEFFdata:1\r\n\r\n\uFEFFdata:2\r\rdata:3\n\n",
		"id: 1\ndata: a\n\nid\ndata:b\n\nid: x\x00\n\n",
		"event: join\ndata: Bob\n\nretry: 10\ndata\ndata\n\n",
		"data:\xE2\x80A\xF0\x80\xED\xA0\x80\xFF\r\n\r\n",
		": comment\r\nfoo\r\n data: x\r\n\r",
		"data: a\n\ndata: unterminated",
	} {
		f.Add([]byte(s), []byte{1, 2, 3})
	}
}

// FuzzParse checks that the parser never panics, agrees with the direct
// transcription of the spec, and yields the same events however the
// stream is cut into reads.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in, chunks []byte) {
		want := referenceParse(in)
		whole, err := collect(bytes.NewReader(in), -1)
		require.NoError(t, err)
		split, err := collect(&chunkReader{data: in, sizes: chunkSizes(chunks)}, -1)
		require.NoError(t, err)
		if len(want) == 0 {
			want = nil
		}
		assert.Equal(t, want, whole, "whole stream vs reference")
		assert.Equal(t, whole, split, "chunked stream vs whole")
	})
}

// FuzzParseLimit checks the maximum event size: whole and chunked streams
// agree on the events and on whether (and after how many events) the limit
// fails, and the error is always ErrEventTooLarge.
func FuzzParseLimit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in, chunks []byte) {
		const limit = 24
		whole, errWhole := collect(bytes.NewReader(in), limit)
		split, errSplit := collect(&chunkReader{data: in, sizes: chunkSizes(chunks)}, limit)
		assert.Equal(t, whole, split)
		assert.Equal(t, errWhole == nil, errSplit == nil)
		for _, err := range []error{errWhole, errSplit} {
			if err != nil && !errors.Is(err, ErrEventTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
		}
		for _, ev := range whole {
			// The limit counts raw bytes; each becomes at most one rune
			// (an invalid byte becomes a 3-byte U+FFFD).
			assert.LessOrEqual(t, utf8.RuneCountInString(ev.Data), limit)
		}
		if errWhole == nil {
			assert.Equal(t, whole, mustCollect(t, in), "under the limit, the limit changes nothing")
		}
	})
}

func mustCollect(t *testing.T, in []byte) []MessageEvent {
	evs, err := collect(bytes.NewReader(in), -1)
	require.NoError(t, err)
	return evs
}

func TestDecodeUTF8MatchesReference(t *testing.T) {
	inputs := []string{"", "abc", "\xE2\x80A", "\xF0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC0\xAF",
		"\xE0\x80\x80", "\xF0\x9F\x98", "\xF0\x9F\x98\x80", "a\xFFb", "\xC3"}
	for _, in := range inputs {
		assert.Equal(t, referenceDecode([]byte(in)), textenc.UTF8DecodeWithoutBOM([]byte(in)), "%q", in)
	}
}

func FuzzDecodeUTF8(f *testing.F) {
	f.Add([]byte("\xE2\x80A\xF0\x80\xED\xA0\x80"))
	f.Fuzz(func(t *testing.T, in []byte) {
		assert.Equal(t, referenceDecode(in), textenc.UTF8DecodeWithoutBOM(in))
	})
}
