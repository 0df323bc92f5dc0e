package textenc_test

import (
	"fmt"

	"github.com/webnet-go/webnet/internal/textenc"
)

func ExampleUTF8Decode() {
	fmt.Printf("%q\n", textenc.UTF8Decode([]byte("\xef\xbb\xbfcaf\xc3\xa9")))
	// Output: "café"
}

func ExampleUTF8DecodeWithoutBOM() {
	// One U+FFFD per maximal subpart: the truncated "\xe2\x82" is one error,
	// an encoded surrogate three.
	fmt.Printf("%+q\n", textenc.UTF8DecodeWithoutBOM("\xef\xbb\xbf\xe2\x82|\xed\xa0\x80"))
	// Output: "\ufeff\ufffd|\ufffd\ufffd\ufffd"
}

func ExampleUSVString() {
	// A WTF-8 lone surrogate is one JavaScript code unit, so one U+FFFD.
	fmt.Printf("%+q\n", textenc.USVString("a\xed\xa0\x80b"))
	// Output: "a\ufffdb"
}

func ExamplePercentDecode() {
	fmt.Printf("%q\n", textenc.PercentDecode("100%25 caf%C3%A9%zz"))
	// Output: "100% café%zz"
}

func ExamplePercentDecodeForm() {
	fmt.Println(textenc.PercentDecodeForm("a+b%2Bc"))
	// Output: a b+c
}

func ExampleUnhex() {
	v, ok := textenc.Unhex('F')
	fmt.Println(v, ok)
	// Output: 15 true
}

func ExampleTrimHTTPWhitespace() {
	fmt.Printf("%q\n", textenc.TrimHTTPWhitespace("\t text/plain \r\n"))
	// Output: "text/plain"
}

func ExampleLowerASCII() {
	// Only ASCII letters change: U+212A KELVIN SIGN stays, and so do the
	// byte offsets.
	fmt.Printf("%+q\n", textenc.LowerASCII("Content-Type \u212A"))
	// Output: "content-type \u212a"
}
