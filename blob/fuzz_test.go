package blob

import (
	"bytes"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/webnet-go/webnet/internal/textenc"
)

// FuzzSlice checks Slice against a []byte model: data is cut into parts at
// the offsets in cuts, the Blob built from them (and a File of it, and a
// Blob nesting both), then sliced twice.
func FuzzSlice(f *testing.F) {
	f.Add([]byte("PASSSTRING"), []byte{3, 5}, int64(-6), int64(End), int64(1), int64(-1))
	f.Add([]byte("foobarbaz"), []byte{3, 6}, int64(2), int64(4), int64(0), int64(1))
	f.Add([]byte{}, []byte{}, int64(0), int64(0), int64(-1), int64(1))
	f.Add([]byte("x"), []byte{0, 0, 1}, int64(-1<<63), int64(1<<62), int64(0), int64(End))
	f.Fuzz(func(t *testing.T, data, cuts []byte, start, end, start2, end2 int64) {
		var parts []BlobPart
		last := 0
		for _, c := range cuts {
			at := last + int(c)%(len(data)-last+1)
			parts = append(parts, Bytes(data[last:at]))
			last = at
		}
		parts = append(parts, String(string(data[last:])))
		// String parts are USVString-converted; keep the model in step.
		model := append(append([]byte(nil), data[:last]...), textenc.USVString(string(data[last:]))...)

		b := New(parts, nil)
		require.Equal(t, int64(len(model)), b.Size())
		nested := New([]BlobPart{b.Slice(0, 1, ""), NewFile([]BlobPart{b.Slice(1, End, "")}, "f", nil)}, nil)
		for _, blob := range []*Blob{b, nested} {
			s := blob.Slice(start, end, "")
			want := sliceModel(model, start, end)
			got, err := s.Bytes()
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Equal(t, int64(len(want)), s.Size())

			s2 := s.Slice(start2, end2, "")
			want2 := sliceModel(want, start2, end2)
			got2, err := s2.Bytes()
			require.NoError(t, err)
			assert.Equal(t, want2, got2)
			r := s2.Stream()
			var buf bytes.Buffer
			_, err = buf.ReadFrom(r)
			require.NoError(t, err)
			require.NoError(t, r.Close())
			assert.Equal(t, want2, buf.Bytes())
		}
	})
}

func sliceModel(b []byte, start, end int64) []byte {
	size := int64(len(b))
	rel := func(x int64) int64 {
		if x < 0 {
			if x < -size {
				return 0
			}
			return size + x
		}
		if x > size {
			return size
		}
		return x
	}
	s, e := rel(start), rel(end)
	if e < s {
		return []byte{}
	}
	return append([]byte{}, b[s:e]...)
}

// validPrefixes holds every proper prefix of the UTF-8 encoding of every
// scalar value: the sequences the decoder may still complete.
var validPrefixes = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool)
	buf := make([]byte, 4)
	for r := rune(0x80); r <= utf8.MaxRune; r++ {
		if 0xD800 <= r && r <= 0xDFFF {
			continue
		}
		n := utf8.EncodeRune(buf, r)
		for k := 1; k < n; k++ {
			m[string(buf[:k])] = true
		}
	}
	return m
})

// decodeOracle is the UTF-8 decoder with replacement written another way:
// a valid sequence is copied, else the longest prefix of a valid sequence
// (at least one byte) becomes one U+FFFD.
func decodeOracle(b []byte) string {
	var out []byte
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r != utf8.RuneError || n > 1 {
			out = append(out, b[:n]...)
			b = b[n:]
			continue
		}
		k := 1
		for l := 3; l >= 1; l-- {
			if l <= len(b) && validPrefixes()[string(b[:l])] {
				k = l
				break
			}
		}
		out = utf8.AppendRune(out, utf8.RuneError)
		b = b[k:]
	}
	return string(out)
}

// FuzzText compares Text with the oracle, and the USVString conversion of
// String parts with its definition.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "PASS", "\xef\xbb\xbfBOM", "\xe2\x82a", "\xf0\x9f\x98", "\xed\xa0\x80x",
		"\xc0\xc1\xf5\xff", "a\xf4\x90\x80\x80b", "\xe0\xa0", "\xef\xbb"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := New([]BlobPart{Bytes(data)}, nil).Text()
		require.NoError(t, err)
		want := decodeOracle(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
		assert.Equal(t, want, got)
		assert.True(t, utf8.ValidString(got))

		usv := textenc.USVString(string(data))
		assert.True(t, utf8.ValidString(usv))
		if utf8.Valid(data) {
			assert.Equal(t, string(data), usv)
		}
		// Without encoded surrogates, the conversion is the decoder's.
		if !containsSurrogate(data) {
			assert.Equal(t, decodeOracle(data), usv)
		}
	})
}

func containsSurrogate(b []byte) bool {
	for i := 0; i+2 < len(b); i++ {
		if b[i] == 0xED && b[i+1] >= 0xA0 && b[i+1] <= 0xBF && b[i+2] >= 0x80 && b[i+2] <= 0xBF {
			return true
		}
	}
	return false
}
