package blob_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/webnet-go/webnet/blob"
)

// The tutorial collects a download's chunks and joins them into one Blob:
//
//	let blob = new Blob(chunks);
//
// In Go the chunks become Bytes parts; nothing is copied twice.
func Example() {
	chunks := [][]byte{[]byte("Hello, "), []byte("chunked "), []byte("world")}
	parts := make([]blob.BlobPart, 0, len(chunks))
	for _, c := range chunks {
		parts = append(parts, blob.Bytes(c))
	}
	b := blob.New(parts, nil)
	text, err := b.Text()
	if err != nil {
		panic(err)
	}
	fmt.Println(b.Size(), text)
	// Output: 20 Hello, chunked world
}

// new Blob(["<p>hi</p>", otherBlob], {type: "TEXT/HTML"})
func ExampleNew() {
	other := blob.New([]blob.BlobPart{blob.String("<br>")}, nil)
	b := blob.New([]blob.BlobPart{blob.String("<p>hi</p>"), other}, &blob.BlobPropertyBag{Type: "TEXT/HTML"})
	text, _ := b.Text()
	fmt.Println(b.Type(), b.Size(), text)
	// Output: text/html 13 <p>hi</p><br>
}

func ExampleBlobPart() {
	file := blob.NewFile([]blob.BlobPart{blob.String("file")}, "a.txt", nil)
	parts := []blob.BlobPart{
		blob.String("string "),
		blob.Bytes([]byte("bytes ")),
		blob.New([]blob.BlobPart{blob.String("blob ")}, nil),
		file,
	}
	text, _ := blob.New(parts, nil).Text()
	fmt.Println(text)
	// Output: string bytes blob file
}

func ExampleString() {
	// Ill-formed UTF-8 becomes U+FFFD, as a lone surrogate does in JavaScript.
	b := blob.New([]blob.BlobPart{blob.String("π≈3.14"), blob.String("\xff")}, nil)
	text, _ := b.Text()
	fmt.Println(b.Size(), text)
	// Output: 12 π≈3.14�
}

func ExampleBytes() {
	buf := []byte{0x89, 'P', 'N', 'G'}
	b := blob.New([]blob.BlobPart{blob.Bytes(buf)}, &blob.BlobPropertyBag{Type: "image/png"})
	buf[1] = 'X' // the Blob took a copy
	got, _ := b.Bytes()
	fmt.Printf("%q %s\n", got, b.Type())
	// Output: "\x89PNG" image/png
}

func ExampleBlobPropertyBag() {
	b := blob.New([]blob.BlobPart{blob.String("{}")}, &blob.BlobPropertyBag{Type: "Application/JSON"})
	fmt.Println(b.Type())
	// Output: application/json
}

func ExampleEndingsNative() {
	lines := blob.String("one\r\ntwo\rthree\n")
	b := blob.New([]blob.BlobPart{lines}, &blob.BlobPropertyBag{Endings: blob.EndingsNative})
	text, _ := b.Text()
	fmt.Printf("%q\n", text) // on Linux and macOS; "\r\n" on Windows
	// Output: "one\ntwo\nthree\n"
}

func ExampleEndingsTransparent() {
	lines := blob.String("one\r\ntwo\rthree\n")
	b := blob.New([]blob.BlobPart{lines}, &blob.BlobPropertyBag{Endings: blob.EndingsTransparent})
	text, _ := b.Text()
	fmt.Printf("%q\n", text) // the default: kept as they are
	// Output: "one\r\ntwo\rthree\n"
}

func ExampleBlob() {
	var empty blob.Blob // the zero value is new Blob()
	fmt.Println(empty.Size(), empty.Type() == "")
	// Output: 0 true
}

func ExampleBlob_Size() {
	b := blob.New([]blob.BlobPart{blob.String("héllo")}, nil)
	fmt.Println(b.Size()) // bytes, not characters
	// Output: 6
}

func ExampleBlob_Type() {
	fmt.Printf("%q\n", blob.New(nil, &blob.BlobPropertyBag{Type: "Text/Plain;Charset=UTF-8"}).Type())
	fmt.Printf("%q\n", blob.New(nil, &blob.BlobPropertyBag{Type: "text/plain\u00e9"}).Type())
	// Output:
	// "text/plain;charset=utf-8"
	// ""
}

func ExampleBlob_Slice() {
	b := blob.New([]blob.BlobPart{blob.String("PASSSTRING")}, &blob.BlobPropertyBag{Type: "text/plain"})
	show := func(s *blob.Blob) {
		text, _ := s.Text()
		fmt.Printf("%q %q\n", text, s.Type())
	}
	show(b.Slice(0, 4, ""))                   // blob.slice(0, 4)
	show(b.Slice(-6, blob.End, ""))           // blob.slice(-6)
	show(b.Slice(2, -2, "Application/X-Foo")) // blob.slice(2, -2, "Application/X-Foo")
	show(b.Slice(7, 4, ""))                   // end before start
	// Output:
	// "PASS" ""
	// "STRING" ""
	// "SSSTRI" "application/x-foo"
	// "" ""
}

func ExampleBlob_Text() {
	b := blob.New([]blob.BlobPart{blob.Bytes([]byte("\xef\xbb\xbfcaf\xc3\xa9 \xff"))}, nil)
	text, err := b.Text()
	fmt.Printf("%q %v\n", text, err)
	// Output: "café �" <nil>
}

func ExampleBlob_Bytes() {
	b := blob.New([]blob.BlobPart{blob.Bytes([]byte{1, 2}), blob.String("\x03")}, nil)
	buf, err := b.Bytes()
	fmt.Println(buf, err)
	// Output: [1 2 3] <nil>
}

func ExampleBlob_Stream() {
	b := blob.New([]blob.BlobPart{blob.String("streamed "), blob.String("bytes\n")}, nil)
	r := b.Stream()
	defer r.Close()
	if _, err := io.Copy(os.Stdout, r); err != nil {
		panic(err)
	}
	// Output: streamed bytes
}

// The tutorial posts a canvas image as the body of a fetch; the Blob's
// type becomes the Content-Type. Here net/http sends it.
func ExampleBlob_ExtractBody() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "got %d bytes of %s (Content-Length %d)", n, r.Header.Get("Content-Type"), r.ContentLength)
	}))
	defer srv.Close()

	image := blob.New([]blob.BlobPart{blob.Bytes([]byte("\x89PNG fake image"))}, &blob.BlobPropertyBag{Type: "image/png"})
	body, length, contentType, err := image.ExtractBody()
	if err != nil {
		panic(err)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL, body)
	req.ContentLength = length
	req.Header.Set("Content-Type", contentType)
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(resp.Body)
	fmt.Println(string(reply))
	// Output: got 15 bytes of image/png (Content-Length 15)
}

func ExampleNewFile() {
	f := blob.NewFile([]blob.BlobPart{blob.String("name,age\nAnn,31\n")}, "people.csv",
		&blob.FilePropertyBag{Type: "text/csv", LastModified: time.UnixMilli(42)})
	fmt.Println(f.Name(), f.Type(), f.Size(), f.LastModified().UnixMilli())
	// Output: people.csv text/csv 16 42
}

func ExampleFile() {
	f := blob.NewFile([]blob.BlobPart{blob.String("abcdef")}, "letters.txt", nil)
	// A *File has every Blob method; a slice of it is a Blob.
	head, _ := f.Slice(0, 3, "").Text()
	fmt.Println(f.Name(), head)
	// Output: letters.txt abc
}

func ExampleFilePropertyBag() {
	f := blob.NewFile(nil, "empty.txt", &blob.FilePropertyBag{
		Type:         "text/plain",
		LastModified: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
	})
	fmt.Println(f.Type(), f.LastModified().UnixMilli())
	// Output: text/plain 1714564800000
}

func ExampleFile_Name() {
	fmt.Println(blob.NewFile(nil, "dir/report.pdf", nil).Name()) // kept as given
	// Output: dir/report.pdf
}

func ExampleFile_LastModified() {
	f := blob.NewFile(nil, "n", nil) // defaults to now
	fmt.Println(time.Since(f.LastModified()) < time.Minute)
	// Output: true
}

func ExampleFile_Blob() {
	f := blob.NewFile([]blob.BlobPart{blob.String("data")}, "d.bin", &blob.FilePropertyBag{Type: "application/octet-stream"})
	b := f.Blob() // same bytes and type, no name
	fmt.Println(b.Size(), b.Type())
	// Output: 4 application/octet-stream
}

func ExampleOpenFile() {
	dir, _ := os.MkdirTemp("", "blob-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(path, []byte("line one\nline two\n"), 0o600); err != nil {
		panic(err)
	}

	f, err := blob.OpenFile(path, nil) // stats the file; reads nothing yet
	if err != nil {
		panic(err)
	}
	second, err := f.Slice(9, blob.End, "").Text() // reads just those bytes
	fmt.Printf("%s %d %q %v\n", f.Name(), f.Size(), second, err)
	// Output: notes.txt 18 "line two\n" <nil>
}

func ExampleErrNotReadable() {
	dir, _ := os.MkdirTemp("", "blob-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "log.txt")
	_ = os.WriteFile(path, []byte("v1"), 0o600)
	f, _ := blob.OpenFile(path, nil)

	_ = os.WriteFile(path, []byte("version 2"), 0o600) // changed after OpenFile
	_, err := f.Text()
	fmt.Println(errors.Is(err, blob.ErrNotReadable))
	// Output: true
}

func ExampleFromReaderAt() {
	r := strings.NewReader("0123456789")
	b := blob.FromReaderAt(r, r.Size(), &blob.BlobPropertyBag{Type: "text/plain"})
	mid, _ := b.Slice(3, 7, "").Text() // reads r at offsets 3..6
	fmt.Println(b.Size(), mid)
	// Output: 10 3456
}

func ExampleEnd() {
	b := blob.New([]blob.BlobPart{blob.String("header:body")}, nil)
	body, _ := b.Slice(7, blob.End, "").Text() // JS: blob.slice(7)
	fmt.Println(body)
	// Output: body
}
