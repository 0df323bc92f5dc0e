package formdata_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/formdata"
)

// The tutorial's first FormData, iterated with for...of:
//
//	let formData = new FormData();
//	formData.append('key1', 'value1');
//	formData.append('key2', 'value2');
//	for (let [name, value] of formData) alert(`${name} = ${value}`);
func Example() {
	formData := formdata.New()
	formData.Append("key1", "value1")
	formData.Append("key2", "value2")
	for name, value := range formData.All() {
		fmt.Printf("%s = %s\n", name, value)
	}
	// Output:
	// key1 = value1
	// key2 = value2
}

// The tutorial's "FormData with a file": a form field and an image Blob
// sent as image.png, as if picked in <input type="file" name="image">.
//
//	let formData = new FormData();
//	formData.append("firstName", "John");
//	formData.append("image", imageBlob, "image.png");
//	fetch('/article/formdata/post/image-form', {method: 'POST', body: formData});
//
// Without the fetch package, net/http sends the body; fetch.Fetch takes the
// *FormData as its body directly.
func Example_fileUpload() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		image := r.MultipartForm.File["image"][0]
		fmt.Fprintf(w, "Image saved: %s by %s, %d bytes of %s (request Content-Length %d)",
			image.Filename, r.FormValue("firstName"), image.Size, image.Header.Get("Content-Type"), r.ContentLength)
	}))
	defer srv.Close()

	imageBlob := blob.New([]blob.BlobPart{blob.Bytes([]byte("\x89PNG\r\n\x1a\n...pixels..."))},
		&blob.BlobPropertyBag{Type: "image/png"})
	formData := formdata.New()
	formData.Append("firstName", "John")
	formData.AppendBlob("image", imageBlob, "image.png")

	body, length, contentType, err := formData.ExtractBody()
	if err != nil {
		panic(err)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/article/formdata/post/image-form", body)
	req.ContentLength = length // known in advance: no chunked encoding
	req.Header.Set("Content-Type", contentType)
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(resp.Body)
	fmt.Println(string(reply))
	// Output: Image saved: image.png by John, 20 bytes of image/png (request Content-Length 303)
}

func ExampleFormData() {
	var fd formdata.FormData // the zero value is ready to use
	fd.Append("tag", "go")
	fd.Append("tag", "web")
	fmt.Println(fd.GetAll("tag"))
	// Output: [go web]
}

func ExampleNew() {
	fd := formdata.New()
	fmt.Println(fd.Has("anything"))
	// Output: false
}

func ExampleFormData_Append() {
	fd := formdata.New()
	fd.Append("name", "John")
	fd.Append("name", "Jane") // names may repeat; order is kept
	for name, v := range fd.All() {
		fmt.Println(name, v)
	}
	// Output:
	// name John
	// name Jane
}

func ExampleFormData_AppendBlob() {
	b := blob.New([]blob.BlobPart{blob.String("a,b\n1,2\n")}, &blob.BlobPropertyBag{Type: "text/csv"})
	fd := formdata.New()
	fd.AppendBlob("data", b, "")           // named "blob"
	fd.AppendBlob("named", b, "table.csv") // named as given
	for _, v := range fd.GetAll("data") {
		fmt.Println(v.File().Name(), v.File().Type())
	}
	v, _ := fd.Get("named")
	fmt.Println(v.File().Name())
	// Output:
	// blob text/csv
	// table.csv
}

func ExampleFormData_AppendFile() {
	f := blob.NewFile([]blob.BlobPart{blob.String("hello")}, "hello.txt", &blob.FilePropertyBag{Type: "text/plain"})
	fd := formdata.New()
	fd.AppendFile("keep", f, "")
	fd.AppendFile("rename", f, "greeting.txt")
	for name, v := range fd.All() {
		fmt.Println(name, v.File().Name(), v.File().Size())
	}
	// Output:
	// keep hello.txt 5
	// rename greeting.txt 5
}

func ExampleFormData_Set() {
	fd := formdata.New()
	fd.Append("a", "1")
	fd.Append("b", "2")
	fd.Append("a", "3")
	fd.Set("a", "x") // replaces the first "a" in place, removes the rest
	for name, v := range fd.All() {
		fmt.Print(name, "=", v, " ")
	}
	fmt.Println()
	// Output: a=x b=2
}

func ExampleFormData_SetBlob() {
	fd := formdata.New()
	fd.Append("avatar", "none")
	fd.SetBlob("avatar", blob.New([]blob.BlobPart{blob.Bytes([]byte{1, 2, 3})}, nil), "me.bin")
	v, _ := fd.Get("avatar")
	fmt.Println(v.IsFile(), v.File().Name(), v.File().Size())
	// Output: true me.bin 3
}

func ExampleFormData_SetFile() {
	f := blob.NewFile([]blob.BlobPart{blob.String("v2")}, "doc-v2.txt", nil)
	fd := formdata.New()
	fd.Append("doc", "placeholder")
	fd.SetFile("doc", f, "")
	v, _ := fd.Get("doc")
	fmt.Println(v.File().Name())
	// Output: doc-v2.txt
}

func ExampleFormData_Delete() {
	fd := formdata.New()
	fd.Append("keep", "1")
	fd.Append("drop", "2")
	fd.Append("drop", "3")
	fd.Delete("drop")
	fmt.Println(fd.Has("drop"), fd.Has("keep"))
	// Output: false true
}

func ExampleFormData_Get() {
	fd := formdata.New()
	fd.Append("q", "first")
	fd.Append("q", "second")
	v, ok := fd.Get("q")
	fmt.Println(v, ok)
	_, ok = fd.Get("missing") // JavaScript's get returns null
	fmt.Println(ok)
	// Output:
	// first true
	// false
}

func ExampleFormData_GetAll() {
	fd := formdata.New()
	fd.Append("color", "red")
	fd.Append("size", "L")
	fd.Append("color", "blue")
	fmt.Println(fd.GetAll("color"), len(fd.GetAll("none")))
	// Output: [red blue] 0
}

func ExampleFormData_Has() {
	fd := formdata.New()
	fd.Append("empty", "")
	fmt.Println(fd.Has("empty"), fd.Has("other"))
	// Output: true false
}

func ExampleFormData_All() {
	fd := formdata.New()
	fd.Append("name", "John")
	fd.AppendBlob("file", blob.New(nil, nil), "empty.txt")
	for name, v := range fd.All() {
		if v.IsFile() {
			fmt.Printf("%s: file %s\n", name, v.File().Name())
			continue
		}
		fmt.Printf("%s: %s\n", name, v)
	}
	// Output:
	// name: John
	// file: file empty.txt
}

func ExampleFormData_Keys() {
	fd := formdata.New()
	fd.Append("a", "1")
	fd.Append("b", "2")
	fd.Append("a", "3")
	for k := range fd.Keys() {
		fmt.Print(k, " ")
	}
	fmt.Println()
	// Output: a b a
}

func ExampleFormData_Values() {
	fd := formdata.New()
	fd.Append("a", "1")
	fd.Append("b", "2")
	for v := range fd.Values() { // every entry, unlike http.Header.Values
		fmt.Print(v, " ")
	}
	fmt.Println()
	// Output: 1 2
}

func ExampleFormData_ExtractBody() {
	fd := formdata.New()
	fd.Append("comment", "line one\nline two") // newlines become CRLF
	fd.Append(`say "hi"`, "")                  // " becomes %22 in the name

	body, length, contentType, err := fd.ExtractBody()
	if err != nil {
		panic(err)
	}
	defer body.Close()
	raw, _ := io.ReadAll(body)
	boundary := strings.TrimPrefix(contentType, "multipart/form-data; boundary=")
	fmt.Println(int64(len(raw)) == length, strings.HasPrefix(boundary, "----webnetFormBoundary"))
	fmt.Print(strings.ReplaceAll(strings.ReplaceAll(string(raw), boundary, "BOUNDARY"), "\r\n", "⏎\n"))
	// Output:
	// true true
	// --BOUNDARY⏎
	// Content-Disposition: form-data; name="comment"⏎
	// ⏎
	// line one⏎
	// line two⏎
	// --BOUNDARY⏎
	// Content-Disposition: form-data; name="say %22hi%22"⏎
	// ⏎
	// ⏎
	// --BOUNDARY--⏎
}

func ExampleValue() {
	fd := formdata.New()
	fd.Append("text", "plain")
	fd.AppendBlob("upload", blob.New([]blob.BlobPart{blob.String("xyz")}, nil), "u.bin")
	for _, v := range fd.All() {
		fmt.Println(v.IsFile(), v)
	}
	// Output:
	// false plain
	// true <File "u.bin">
}

func ExampleValue_IsFile() {
	fd := formdata.New()
	fd.AppendBlob("f", blob.New(nil, nil), "")
	v, _ := fd.Get("f")
	fmt.Println(v.IsFile())
	// Output: true
}

func ExampleValue_String() {
	fd := formdata.New()
	fd.Append("greeting", "hello")
	v, _ := fd.Get("greeting")
	fmt.Println(v.String())
	// Output: hello
}

func ExampleValue_File() {
	fd := formdata.New()
	fd.AppendBlob("f", blob.New([]blob.BlobPart{blob.String("content")}, nil), "c.txt")
	fd.Append("s", "string")
	f, _ := fd.Get("f")
	s, _ := fd.Get("s")
	text, _ := f.File().Text()
	fmt.Println(text, s.File() == nil)
	// Output: content true
}

func ExampleParse() {
	body := "--XyZ\r\n" +
		"Content-Disposition: form-data; name=\"title\"\r\n\r\n" +
		"Holiday\r\n" +
		"--XyZ\r\n" +
		"Content-Disposition: form-data; name=\"photo\"; filename=\"beach.jpg\"\r\n" +
		"Content-Type: image/jpeg\r\n\r\n" +
		"JPEGDATA\r\n" +
		"--XyZ--\r\n"
	fd, err := formdata.Parse(strings.NewReader(body), "multipart/form-data; boundary=XyZ")
	if err != nil {
		panic(err)
	}
	for name, v := range fd.All() {
		if v.IsFile() {
			fmt.Println(name, v.File().Name(), v.File().Type(), v.File().Size())
		} else {
			fmt.Println(name, v)
		}
	}

	urlencoded, _ := formdata.Parse(strings.NewReader("q=go+web&lang=en"), "application/x-www-form-urlencoded")
	fmt.Println(urlencoded.GetAll("q"))
	// Output:
	// title Holiday
	// photo beach.jpg image/jpeg 8
	// [go web]
}

func ExampleErrMalformed() {
	_, err := formdata.Parse(strings.NewReader("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncut"),
		"multipart/form-data; boundary=B")
	fmt.Println(errors.Is(err, formdata.ErrMalformed))
	fmt.Println(err)
	// Output:
	// true
	// formdata: malformed body: part 1: unexpected EOF
}
