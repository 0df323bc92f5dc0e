package blob_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/internal/testutil"
)

// wptCases mirrors FileAPI/blob-file-cases.json.
type wptCases struct {
	ConstructorParts []struct {
		Name         string  `json:"name"`
		ExpectedText *string `json:"expected_text"`
		RawBytes     []int   `json:"expected_bytes"`
		Size         *int64  `json:"size"`
		Type         *string `json:"type"`
	} `json:"constructor_parts"`
	ConstructorErrorsJSOnly []struct {
		JS          string `json:"js"`
		GoRelevance string `json:"go_relevance"`
	} `json:"constructor_errors_js_only"`
	TypeOption struct {
		Cases [][2]string `json:"cases"`
	} `json:"type_option"`
	Slice struct {
		Basic []struct {
			JS           string `json:"js"`
			ExpectedText string `json:"expected_text"`
			Type         string `json:"type"`
		} `json:"basic"`
		Tables []struct {
			Parts  []string `json:"parts"`
			Slices [][3]any `json:"slices"`
		} `json:"tables"`
		Overflow []struct {
			JS           string `json:"js"`
			ExpectedSize int64  `json:"expected_size"`
		} `json:"overflow"`
		ContentTypeInvalidToEmpty []string `json:"content_type_invalid_to_empty"`
		ContentTypeValidLowercase []string `json:"content_type_valid_lowercased"`
	} `json:"slice"`
	EndingsOption struct {
		Valid          []string `json:"valid"`
		InvalidTypeErr []any    `json:"invalid_TypeError"`
		Cases          [][3]any `json:"cases"`
		AdjacentParts  string   `json:"adjacent_parts"`
	} `json:"endings_option"`
	FileConstructor struct {
		Required     string      `json:"required"`
		BitsSizes    [][2]any    `json:"bits_sizes"`
		BitsInvalid  []any       `json:"bits_invalid_TypeError"`
		Names        [][2]any    `json:"names"`
		TypeCases    [][2]string `json:"type_cases"`
		LastModified string      `json:"lastModified"`
		Other        string      `json:"other"`
	} `json:"file_constructor"`
}

const wptFile = "FileAPI/blob-file-cases.json"

// reader is what a Blob and a File have in common for these checks.
type reader interface {
	Size() int64
	Type() string
	Text() (string, error)
	Bytes() ([]byte, error)
	Stream() io.ReadCloser
}

func p(parts ...blob.BlobPart) []blob.BlobPart { return parts }

func le16(vs ...uint16) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	return b
}

func le32(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// concurrently runs fn in n goroutines and returns the first error.
func concurrently(n int, fn func() error) error {
	errs := make(chan error, n)
	for range n {
		go func() { errs <- fn() }()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func checkText(b reader, want string) error {
	got, err := b.Text()
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("text %q, want %q", got, want)
	}
	return nil
}

func checkBytes(b reader, want []byte) error {
	got, err := b.Bytes()
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("bytes %v, want %v", got, want)
	}
	if b.Size() != int64(len(want)) {
		return fmt.Errorf("size %d, want %d", b.Size(), len(want))
	}
	return nil
}

func TestWPTBlobFileCases(t *testing.T) {
	var cases wptCases
	testutil.LoadWPTJSON(t, wptFile, &cases)
	c := testutil.NewConformance(t, wptFile)

	wptConstructorParts(t, c, &cases)
	for _, e := range cases.ConstructorErrorsJSOnly {
		c.Skip(e.JS, "WebIDL argument conversion/TypeError of JavaScript values; Go's typed parts and options "+
			"cannot express it (go_relevance: "+e.GoRelevance+")")
	}
	wptTypeOption(c, &cases)
	wptSlice(c, &cases)
	wptEndings(c, &cases)
	wptFileConstructor(c, &cases)
}

func wptConstructorParts(t *testing.T, c *testutil.Conformance, cases *wptCases) {
	foo := blob.New(p(blob.String("foo")), nil)
	view := []byte{0, 255, 0, 4}
	float64PASS := math.Float64bits(2510297372767036725005267563121821874921913208671273727396467555337665343087229079989707079680.0)
	// Each case's Blob, built the way the JavaScript test builds it.
	build := map[string]func() *blob.Blob{
		"no arguments / undefined / new Blob": func() *blob.Blob { return blob.New(nil, nil) },
		"Array with two blobs":                func() *blob.Blob { return blob.New(p(foo, foo), nil) },
		"Array with two buffers": func() *blob.Blob {
			buf := []byte{0, 255, 0}
			return blob.New(p(blob.Bytes(buf), blob.Bytes(buf)), nil)
		},
		"Array with two bufferviews (view offset respected)": func() *blob.Blob {
			return blob.New(p(blob.Bytes(view[2:]), blob.Bytes(view), blob.Bytes(view[2:])), nil)
		},
		"Array with mixed types": func() *blob.Blob {
			return blob.New(p(blob.Bytes([]byte{0}), blob.New(p(blob.String("fo")), nil), blob.String("foo")), nil)
		},
		"ArrayBuffer elements": func() *blob.Blob { return blob.New(p(blob.Bytes(make([]byte, 8))), nil) },
		"typed arrays use their raw bytes (host endianness = little)": func() *blob.Blob {
			return blob.New(p(
				blob.Bytes([]byte("PASS")), // Uint8Array
				blob.Bytes([]byte("PASS")), // Int8Array
				blob.Bytes(le16(0x4150, 0x5353)),
				blob.Bytes(le16(0x4150, 0x5353)),
				blob.Bytes(le32(0x53534150)),
				blob.Bytes(le32(0x53534150)),
				blob.Bytes(le32(math.Float32bits(math.Float32frombits(0x53534150)))),
			), nil)
		},
		"Float64Array raw bytes": func() *blob.Blob {
			return blob.New(p(blob.Bytes(binary.LittleEndian.AppendUint64(nil, float64PASS))), nil)
		},
		"default options: endings 'transparent' keeps newlines verbatim": func() *blob.Blob {
			return blob.New(p(blob.String("\na\r\nb\n\rc\r")), &blob.BlobPropertyBag{})
		},
		"Blob.text() basics": func() *blob.Blob {
			return blob.New(p(blob.String("P"), blob.String("A"), blob.String("SS")), nil)
		},
		"Blob.text() decodes invalid UTF-8 with U+FFFD per byte; concurrent text() calls give the same result": func() *blob.Blob {
			return blob.New(p(blob.Bytes([]byte{192, 193, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255})), nil)
		},
		"Blob.text() always UTF-8, ignores charset param": func() *blob.Blob {
			return blob.New(p(blob.Bytes([]byte("a\u030A"))), &blob.BlobPropertyBag{Type: "text/plain;charset=utf-16le"})
		},
	}
	// Cases whose expectation is prose, checked by hand.
	custom := map[string]func() error{
		"Blob.arrayBuffer()": func() error {
			for _, in := range [][]byte{[]byte("PASS"), {}, []byte("\u08B8\n"), {8, 241, 48, 123, 151}} {
				b := blob.New(p(blob.Bytes(in)), nil)
				if err := concurrently(3, func() error { return checkBytes(b, in) }); err != nil {
					return err
				}
			}
			return nil
		},
		"Blob.stream()": func() error {
			for _, in := range [][]byte{[]byte("PASS"), {}, {8, 241, 48, 123, 151}} {
				b := blob.New(p(blob.Bytes(in)), nil)
				for _, size := range []int{1, 3, 4096} { // small reads stand in for the BYOB reader
					r := b.Stream()
					var got []byte
					buf := make([]byte, size)
					for {
						n, err := r.Read(buf)
						got = append(got, buf[:n]...)
						if err == io.EOF {
							break
						}
						if err != nil {
							return err
						}
					}
					r.Close()
					if !bytes.Equal(got, in) {
						return fmt.Errorf("stream %v, want %v", got, in)
					}
				}
			}
			return nil
		},
	}
	for _, tc := range cases.ConstructorParts {
		if fn, ok := custom[tc.Name]; ok {
			err := fn()
			c.Check(err == nil, tc.Name, "%v", err)
			continue
		}
		mk, ok := build[tc.Name]
		if !ok {
			c.Fail(tc.Name, "no Go translation of this case")
			continue
		}
		b := mk()
		var err error
		switch {
		case tc.ExpectedText != nil:
			err = checkText(b, *tc.ExpectedText)
			// helper_semantics: size is the text's length for ASCII text.
			if err == nil && isASCII(*tc.ExpectedText) && int64(len(*tc.ExpectedText)) != b.Size() {
				err = fmt.Errorf("size %d, want %d", b.Size(), len(*tc.ExpectedText))
			}
			if err == nil {
				err = concurrently(3, func() error { return checkText(b, *tc.ExpectedText) })
			}
		case tc.RawBytes != nil:
			want := make([]byte, len(tc.RawBytes))
			for i, v := range tc.RawBytes {
				want[i] = byte(v)
			}
			err = checkBytes(b, want)
		default:
			err = fmt.Errorf("case has no expectation")
		}
		if err == nil && tc.Size != nil && *tc.Size != b.Size() {
			err = fmt.Errorf("size %d, want %d", b.Size(), *tc.Size)
		}
		if err == nil && tc.Type != nil && *tc.Type != b.Type() {
			err = fmt.Errorf("type %q, want %q", b.Type(), *tc.Type)
		}
		if err == nil && tc.Name == "Array with two bufferviews (view offset respected)" {
			if n := blob.New(p(blob.Bytes(view), blob.Bytes(view)), nil).Size(); n != 8 {
				err = fmt.Errorf("new Blob([view,view]).size = %d, want 8", n)
			}
		}
		if err == nil && tc.Name == "no arguments / undefined / new Blob" {
			err = checkText(&blob.Blob{}, "") // the zero Blob is new Blob()
		}
		c.Check(err == nil, tc.Name, "%v", err)
	}
}

var bytesSuffix = regexp.MustCompile(`^(.*) \(bytes (.*)\)$`)

// typeCaseBytes splits "text/plain (bytes 00 ff)" and
// "unknown/unknown (bytes '<HTML>')" into the type and the Blob's bytes.
func typeCaseBytes(in string) (string, []byte) {
	m := bytesSuffix.FindStringSubmatch(in)
	if m == nil {
		return in, nil
	}
	if q, ok := strings.CutPrefix(m[2], "'"); ok {
		return m[1], []byte(strings.TrimSuffix(q, "'"))
	}
	var b []byte
	for _, h := range strings.Fields(m[2]) {
		v, _ := strconv.ParseUint(h, 16, 8)
		b = append(b, byte(v))
	}
	return m[1], b
}

func wptTypeOption(c *testutil.Conformance, cases *wptCases) {
	for _, tc := range cases.TypeOption.Cases {
		typ, content := typeCaseBytes(tc[0])
		name := "type " + strconv.Quote(tc[0])
		b := blob.New(p(blob.Bytes(content)), &blob.BlobPropertyBag{Type: typ})
		err := checkBytes(b, content) // no sniffing, bytes untouched
		if err == nil && b.Type() != tc[1] {
			err = fmt.Errorf("type %q, want %q", b.Type(), tc[1])
		}
		c.Check(err == nil, name, "%v", err)
	}
}

// tableParts builds the parts of a slice table from its notation.
func tableParts(notation []string) ([]blob.BlobPart, error) {
	squiggle := blob.New(p(blob.String("squiggle")), nil)
	steak := blob.New(p(blob.String("steak")), &blob.BlobPropertyBag{Type: "content/type"})
	alphabet := []byte("ABCDEFGHIJKLMNOP")
	known := map[string]blob.BlobPart{
		"<blob1='squiggle'>":                squiggle,
		"<blob1>":                           squiggle,
		"<blob2='steak' type content/type>": steak,
		"<blob2>":                           steak,
		"<Int8Array of bytes 'ABCDEFGHIJKLMNOP'>":                               blob.Bytes(alphabet),
		"<Int8Array 'ABCDEFGHIJKLMNOP'>":                                        blob.Bytes(alphabet),
		"<Uint8Array(buffer 'ABCDEFGHIJKLMNOP', offset 3, length 5) = 'DEFGH'>": blob.Bytes(alphabet[3:8]),
		// A number part is its ToString: Go spells it as the string.
		"<number 3 -> '3'>":      blob.String("3"),
		"<ArrayBuffer 00 ff 00>": blob.Bytes([]byte{0, 0xff, 0}),
		"<Blob 'abcd'>":          blob.New(p(blob.String("abcd")), nil),
	}
	var parts []blob.BlobPart
	for _, n := range notation {
		if !strings.HasPrefix(n, "<") {
			parts = append(parts, blob.String(n))
			continue
		}
		part, ok := known[n]
		if !ok {
			return nil, fmt.Errorf("unknown part notation %s", n)
		}
		parts = append(parts, part)
	}
	return parts, nil
}

func wptSlice(c *testutil.Conformance, cases *wptCases) {
	basic := map[string]func() *blob.Blob{
		`new Blob(["PASS"]).slice()`: func() *blob.Blob { return blob.New(p(blob.String("PASS")), nil).Slice(0, blob.End, "") },
		`new Blob(["abcd"]).slice(undefined, undefined, "content/type")`: func() *blob.Blob {
			return blob.New(p(blob.String("abcd")), nil).Slice(0, blob.End, "content/type")
		},
		`new Blob(["abcd"]).slice(undefined, 2, "content/type")`: func() *blob.Blob {
			return blob.New(p(blob.String("abcd")), nil).Slice(0, 2, "content/type")
		},
		`new Blob(["abcd"]).slice(2, undefined, "content/type")`: func() *blob.Blob {
			return blob.New(p(blob.String("abcd")), nil).Slice(2, blob.End, "content/type")
		},
		`new Blob().slice(0,0,undefined)`: func() *blob.Blob { return blob.New(nil, nil).Slice(0, 0, "") },
		`new Blob().slice(0,0)`:           func() *blob.Blob { return blob.New(nil, nil).Slice(0, 0, "") },
	}
	for _, tc := range cases.Slice.Basic {
		if tc.JS == `new Blob().slice(0,0,null)` {
			c.Skip(tc.JS, "WebIDL ToString(null) gives the type \"null\"; Go strings have no null")
			continue
		}
		mk, ok := basic[tc.JS]
		if !ok {
			c.Fail(tc.JS, "no Go translation of this case")
			continue
		}
		b := mk()
		err := checkText(b, tc.ExpectedText)
		if err == nil && b.Type() != tc.Type {
			err = fmt.Errorf("type %q, want %q", b.Type(), tc.Type)
		}
		c.Check(err == nil, tc.JS, "%v", err)
	}

	for _, table := range cases.Slice.Tables {
		parts, err := tableParts(table.Parts)
		for _, s := range table.Slices {
			name := fmt.Sprintf("slice%v of %q", s[:2], table.Parts)
			if err != nil {
				c.Fail(name, "%v", err)
				continue
			}
			start, _ := s[0].(float64)
			end, hasEnd := s[1].(float64)
			if start != math.Trunc(start) || (hasEnd && end != math.Trunc(end)) {
				c.Skip(name, "fractional argument: WebIDL [Clamp] long long rounding of a JS number; Slice takes int64")
				continue
			}
			endArg := blob.End
			if hasEnd {
				endArg = int64(end)
			}
			want, _ := s[2].(string)
			b := blob.New(parts, nil)
			sl := b.Slice(int64(start), endArg, "")
			err := checkText(sl, want)
			if err == nil && sl.Type() != "" {
				err = fmt.Errorf("type %q, want \"\"", sl.Type())
			}
			// The same slice of a File agrees.
			if err == nil {
				f := blob.NewFile(parts, "f", nil)
				err = checkText(f.Slice(int64(start), endArg, ""), want)
			}
			c.Check(err == nil, name, "%v", err)
		}
	}

	big := blob.New(p(blob.String(strings.Repeat("A", 2000))), nil)
	size := big.Size()
	overflow := map[string]*blob.Blob{
		`new Blob(["A"*2000]).slice(-1, size)`: big.Slice(-1, size, ""),
		`slice(size+1, size)`:                  big.Slice(size+1, size, ""),
		`slice(size-2, -1)`:                    big.Slice(size-2, -1, ""),
		`slice(size-2, size+999)`:              big.Slice(size-2, size+999, ""),
	}
	for _, tc := range cases.Slice.Overflow {
		sl, ok := overflow[tc.JS]
		if !ok {
			c.Fail(tc.JS, "no Go translation of this case")
			continue
		}
		c.Check(sl.Size() == tc.ExpectedSize, tc.JS, "size %d, want %d", sl.Size(), tc.ExpectedSize)
	}

	abc := blob.New(p(blob.String("abc")), nil)
	for _, ct := range cases.Slice.ContentTypeInvalidToEmpty {
		got := abc.Slice(0, blob.End, ct).Type()
		c.Check(got == "", "slice type "+strconv.Quote(ct), "type %q, want \"\"", got)
	}
	for _, ct := range cases.Slice.ContentTypeValidLowercase {
		got := abc.Slice(0, blob.End, ct).Type()
		want := strings.ToLower(ct)
		c.Check(got == want, "slice type "+strconv.Quote(ct), "type %q, want %q", got, want)
	}
}

func wptEndings(c *testutil.Conformance, cases *wptCases) {
	const in = "a\r\nb\nc\rd"
	for _, e := range cases.EndingsOption.Valid {
		b := blob.New(p(blob.String(in)), &blob.BlobPropertyBag{Endings: e})
		want := in
		if e == "native" {
			want = "a\nb\nc\nd"
		}
		err := checkText(b, want)
		c.Check(err == nil, "endings "+e, "%v", err)
	}
	for _, e := range cases.EndingsOption.InvalidTypeErr {
		c.Skip("endings "+jsonString(e), "WebIDL enum conversion throws a TypeError; New has no error "+
			"result, so any Endings but \"native\" is transparent (documented deviation)")
	}
	for _, tc := range cases.EndingsOption.Cases {
		name, _ := tc[0].(string)
		input, _ := tc[1].(string)
		count, _ := tc[2].(float64)
		want := strings.Repeat("\n", int(count))
		err := checkText(blob.New(p(blob.String(input)), &blob.BlobPropertyBag{Endings: "native"}), want)
		if err == nil {
			err = checkText(blob.New(p(blob.String(input)), &blob.BlobPropertyBag{Endings: "transparent"}), input)
		}
		if err == nil {
			f := blob.NewFile(p(blob.String(input)), "f", &blob.FilePropertyBag{Endings: "native"})
			err = checkText(f, want)
		}
		c.Check(err == nil, "endings native "+name, "%v", err)
	}
	if cases.EndingsOption.AdjacentParts != "" {
		err := checkText(blob.New(p(blob.String("\r"), blob.String("\n")), &blob.BlobPropertyBag{Endings: "native"}), "\n\n")
		c.Check(err == nil, cases.EndingsOption.AdjacentParts, "%v", err)
	}
}

func wptFileConstructor(c *testutil.Conformance, cases *wptCases) {
	fc := cases.FileConstructor
	c.Skip(fc.Required, "Go's NewFile has required parameters; calling it without them does not compile")

	bits := map[string][]blob.BlobPart{
		"[]":                               nil,
		"['bits']":                         p(blob.String("bits")),
		"['𝓽𝓮𝔁𝓽'] (4 astral chars)":        p(blob.String("𝓽𝓮𝔁𝓽")),
		"[new Blob()]":                     p(blob.New(nil, nil)),
		"[new Blob(['bits'])]":             p(blob.New(p(blob.String("bits")), nil)),
		"[new File([], 'world.txt')]":      p(blob.NewFile(nil, "world.txt", nil)),
		"[new File(['bits'],'world.txt')]": p(blob.NewFile(p(blob.String("bits")), "world.txt", nil)),
		"[new ArrayBuffer(8)]":             p(blob.Bytes(make([]byte, 8))),
		"[Uint8Array 'PASS']":              p(blob.Bytes([]byte("PASS"))),
		"['bits', Blob 'bits', Blob(), Uint8Array[0x50,0x41], Uint16Array[0x5353], Uint32Array[0x53534150]]": p(
			blob.String("bits"), blob.New(p(blob.String("bits")), nil), blob.New(nil, nil),
			blob.Bytes([]byte{0x50, 0x41}), blob.Bytes(le16(0x5353)), blob.Bytes(le32(0x53534150))),
	}
	jsCoercion := map[string]bool{
		"[new String('string object')]":       true,
		"[12]":                                true,
		"[[1,2,3]]":                           true,
		"[{}]":                                true,
		"[{toString:()=>'a string'}]":         true,
		"custom iterator yielding 'ab','cde'": true,
	}
	for _, tc := range fc.BitsSizes {
		name, _ := tc[0].(string)
		size, _ := tc[1].(float64)
		if jsCoercion[name] {
			c.Skip("File bits "+name, "WebIDL ToString/iterable conversion of a JavaScript value; Go parts are typed")
			continue
		}
		parts, ok := bits[name]
		if !ok {
			c.Fail("File bits "+name, "no Go translation of this case")
			continue
		}
		f := blob.NewFile(parts, "dummy", nil)
		got, err := f.Bytes()
		c.Check(err == nil && f.Size() == int64(size) && len(got) == int(size) && f.Name() == "dummy",
			"File bits "+name, "size %d (%d bytes, err %v), want %d", f.Size(), len(got), err, int64(size))
	}
	for _, v := range fc.BitsInvalid {
		c.Skip("File bits "+jsonString(v), "a non-sequence argument is a JavaScript TypeError; Go's []BlobPart cannot hold it")
	}
	for _, tc := range fc.Names {
		in, isString := tc[0].(string)
		want, _ := tc[1].(string)
		if !isString {
			c.Skip("File name "+jsonString(tc[0]), "WebIDL ToString of a non-string name; Go names are strings")
			continue
		}
		want, _, _ = strings.Cut(want, " (")
		got := blob.NewFile(nil, in, nil).Name()
		c.Check(got == want, "File name "+strconv.Quote(in), "name %q, want %q", got, want)
	}
	for _, tc := range fc.TypeCases {
		got := blob.NewFile(p(blob.String("bits")), "dummy", &blob.FilePropertyBag{Type: tc[0]}).Type()
		c.Check(got == tc[1], "File type "+strconv.Quote(tc[0]), "type %q, want %q", got, tc[1])
	}
	if fc.LastModified != "" {
		f := blob.NewFile(nil, "n", &blob.FilePropertyBag{LastModified: time.UnixMilli(42)})
		before := time.Now().UnixMilli()
		d := blob.NewFile(nil, "n", nil).LastModified().UnixMilli()
		after := time.Now().UnixMilli()
		c.Check(f.LastModified().UnixMilli() == 42 && before <= d && d <= after, "File "+fc.LastModified,
			"lastModified %d (want 42), default %d not in [%d, %d]", f.LastModified().UnixMilli(), d, before, after)
	}
	if fc.Other != "" {
		c.Skip(fc.Other, "JavaScript option-bag conversions; Go's FilePropertyBag is a typed struct")
	}
}
