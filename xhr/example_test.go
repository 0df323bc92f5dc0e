package xhr_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/formdata"
	"github.com/webnet-go/webnet/xhr"
)

// exampleServer starts the loopback server the examples talk to. Its
// routes play the servers of the javascript.info XMLHttpRequest chapter.
func exampleServer() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/article/xmlhttprequest/example/load", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		_, _ = w.Write([]byte(strings.Repeat("x", 1000)))
	})
	mux.HandleFunc("/article/xmlhttprequest/example/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"message": "Hello, world!"}`)
	})
	mux.HandleFunc("/article/xmlhttprequest/hello.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "max-age=31536000")
		_, _ = io.WriteString(w, "Hello, world!")
	})
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprintf(w, "X-Auth: %s", r.Header.Get("X-Auth"))
	})
	mux.HandleFunc("/article/xmlhttprequest/post/user", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseMultipartForm(1 << 20)
		_, _ = fmt.Fprintf(w, "User %s %s %s saved", r.FormValue("name"), r.FormValue("middle"), r.FormValue("surname"))
	})
	mux.HandleFunc("/submit", func(w http.ResponseWriter, r *http.Request) {
		var user struct{ Name, Surname string }
		_ = json.NewDecoder(r.Body).Decode(&user)
		_, _ = fmt.Fprintf(w, "%s: hello %s %s", r.Header.Get("Content-Type"), user.Name, user.Surname)
	})
	mux.HandleFunc("/upload", func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		_, _ = fmt.Fprintf(w, "received %d bytes", n)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!doctype html><title>A page</title><p>Hi!")
	})
	mux.HandleFunc("/note.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, `<?xml version="1.0"?><note><to>Tove</to><from>Jani</from></note>`)
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("caf\xe9")) // no charset in the Content-Type
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/article/xmlhttprequest/hello.txt", http.StatusFound)
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		user, _, _ := r.BasicAuth()
		_, _ = fmt.Fprintf(w, "welcome, %s", user)
	})
	return httptest.NewServer(mux)
}

// waitLoadEnd returns a channel closed by x's next loadend event.
func waitLoadEnd(x *xhr.XMLHttpRequest) <-chan struct{} {
	done := make(chan struct{})
	var once sync.Once
	x.OnLoadEnd(func(xhr.ProgressEvent) { once.Do(func() { close(done) }) })
	return done
}

// The javascript.info example: GET with onload, onprogress and onerror.
//
//	let xhr = new XMLHttpRequest();
//	xhr.open('GET', '/article/xmlhttprequest/example/load');
//	xhr.send();
//	xhr.onload = function() { ... };
//	xhr.onprogress = function(event) { ... };
//	xhr.onerror = function() { alert("Request failed"); };
func Example() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	x.OnLoad(func(xhr.ProgressEvent) {
		if x.Status() != 200 {
			fmt.Printf("Error %d: %s\n", x.Status(), x.StatusText())
			return
		}
		fmt.Printf("Done, got %d bytes\n", len(x.Response().(string)))
	})
	reported := false
	x.OnProgress(func(e xhr.ProgressEvent) {
		// Progress fires at most every 50 ms and once at the end; print
		// the end only, so that the output does not depend on timing.
		if e.Loaded < e.Total || reported {
			return
		}
		reported = true
		if e.LengthComputable {
			fmt.Printf("Received %d of %d bytes\n", e.Loaded, e.Total)
		} else {
			fmt.Printf("Received %d bytes\n", e.Loaded)
		}
	})
	x.OnError(func(error) { fmt.Println("Request failed") })
	if err := x.Open("GET", "/article/xmlhttprequest/example/load"); err != nil {
		fmt.Println(err)
		return
	}
	if err := x.Send(nil); err != nil {
		fmt.Println(err)
		return
	}
	<-done
	// Output:
	// Received 1000 of 1000 bytes
	// Done, got 1000 bytes
}

// responseType "json":
//
//	xhr.responseType = 'json';
//	xhr.onload = function() { alert(xhr.response.message); };
func Example_json() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	_ = x.Open("GET", "/article/xmlhttprequest/example/json")
	_ = x.SetResponseType(xhr.ResponseTypeJSON)
	x.OnLoad(func(xhr.ProgressEvent) {
		obj := x.Response().(map[string]any)
		fmt.Println(obj["message"])
	})
	_ = x.Send(nil)
	<-done
	// Output: Hello, world!
}

// A synchronous request: open(method, url, false), then send() blocks and
// returns the failure instead of firing error events.
func Example_sync() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/article/xmlhttprequest/hello.txt", false, "", "")
	if err := x.Send(nil); err != nil { // instead of onerror
		fmt.Println("Request failed:", err)
		return
	}
	if x.Status() != 200 {
		fmt.Printf("Error %d: %s\n", x.Status(), x.StatusText())
		return
	}
	fmt.Println(x.Response())
	// Output: Hello, world!
}

// POST a FormData, sent as multipart/form-data:
//
//	let formData = new FormData(document.forms.person);
//	formData.append("middle", "Lee");
//	xhr.open("POST", "/article/xmlhttprequest/post/user");
//	xhr.send(formData);
func Example_postFormData() {
	srv := exampleServer()
	defer srv.Close()

	form := formdata.New()
	form.Append("name", "John")
	form.Append("surname", "Smith")
	form.Append("middle", "Lee")

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	x.OnLoad(func(xhr.ProgressEvent) { fmt.Println(x.Response()) })
	_ = x.Open("POST", "/article/xmlhttprequest/post/user")
	_ = x.Send(form)
	<-done
	// Output: User John Lee Smith saved
}

// POST JSON as a string with a JSON Content-Type:
//
//	let json = JSON.stringify({name: "John", surname: "Smith"});
//	xhr.open("POST", '/submit')
//	xhr.setRequestHeader('Content-type', 'application/json; charset=utf-8');
//	xhr.send(json);
func Example_postJSON() {
	srv := exampleServer()
	defer srv.Close()

	body, _ := json.Marshal(map[string]string{"name": "John", "surname": "Smith"})
	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	x.OnLoad(func(xhr.ProgressEvent) { fmt.Println(x.Response()) })
	_ = x.Open("POST", "/submit")
	_ = x.SetRequestHeader("Content-type", "application/json; charset=utf-8")
	_ = x.Send(fetch.String(string(body)))
	<-done
	// Output: application/json; charset=utf-8: hello John Smith
}

// Upload progress through the upload object:
//
//	xhr.upload.onprogress = function(event) { ... };
//	xhr.upload.onload = function() { alert(`Upload finished successfully.`); };
//	xhr.upload.onerror = function() { ... };
func ExampleXMLHttpRequestUpload() {
	srv := exampleServer()
	defer srv.Close()

	data := blob.New([]blob.BlobPart{blob.String(strings.Repeat("data", 25_000))}, nil)
	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	complete := false
	x.Upload().OnProgress(func(e xhr.ProgressEvent) {
		// Print the complete upload once; earlier events depend on timing.
		if e.Loaded == e.Total && !complete {
			complete = true
			fmt.Printf("Uploaded %d of %d bytes\n", e.Loaded, e.Total)
		}
	})
	x.Upload().OnLoad(func(xhr.ProgressEvent) { fmt.Println("Upload finished successfully.") })
	x.Upload().OnError(func(error) { fmt.Printf("Error during the upload: %d\n", x.Status()) })
	x.OnLoad(func(xhr.ProgressEvent) { fmt.Println(x.Response()) })
	_ = x.Open("POST", "/upload")
	_ = x.Send(data)
	<-done
	// Output:
	// Uploaded 100000 of 100000 bytes
	// Upload finished successfully.
	// received 100000 bytes
}

// A stream of unknown length still has upload progress; LengthComputable
// is false.
func ExampleXMLHttpRequestUpload_reader() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	x.Upload().OnLoadEnd(func(e xhr.ProgressEvent) {
		fmt.Printf("sent %d bytes, length computable: %t\n", e.Loaded, e.LengthComputable)
	})
	_ = x.Open("POST", "/upload")
	_ = x.Send(fetch.Reader(strings.NewReader(strings.Repeat("z", 4096))))
	<-done
	// Output: sent 4096 bytes, length computable: false
}

func ExampleNew() {
	srv := exampleServer()
	defer srv.Close()

	// The context bounds the object's lifetime; BaseURL resolves relative
	// URLs, as a page's URL does in a browser.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	x := xhr.New(ctx, &xhr.Options{Client: &fetch.Client{}, BaseURL: srv.URL + "/article/"})
	_ = x.OpenAsync("GET", "xmlhttprequest/hello.txt", false, "", "")
	_ = x.Send(nil)
	fmt.Println(x.ResponseURL() == srv.URL+"/article/xmlhttprequest/hello.txt")
	// Output: true
}

func ExampleOptions() {
	// A nil *Options means fetch's default client and no base URL, so
	// Open then needs an absolute URL.
	x := xhr.New(context.Background(), nil)
	err := x.Open("GET", "/relative")
	fmt.Println(errors.Is(err, xhr.ErrSyntax))
	// Output: true
}

func ExampleXMLHttpRequest_Open() {
	x := xhr.New(context.Background(), &xhr.Options{BaseURL: "http://127.0.0.1/"})
	fmt.Println(x.Open("GET", "/path"), x.ReadyState())
	fmt.Println(errors.Is(x.Open("TRACE", "/path"), xhr.ErrSecurity))
	fmt.Println(errors.Is(x.Open("BAD METHOD", "/path"), xhr.ErrSyntax))
	// Output:
	// <nil> OPENED
	// true
	// true
}

// OpenAsync is the five-argument open(): async false makes a synchronous
// request, and the user and password are sent as HTTP Basic
// authentication.
func ExampleXMLHttpRequest_OpenAsync() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/login", false, "alice", "secret")
	_ = x.Send(nil)
	fmt.Println(x.Response())
	// Output: welcome, alice
}

// Headers set twice are combined, never replaced:
//
//	xhr.setRequestHeader('X-Auth', '123');
//	xhr.setRequestHeader('X-Auth', '456');
//	// the header will be: X-Auth: 123, 456
func ExampleXMLHttpRequest_SetRequestHeader() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/headers", false, "", "")
	_ = x.SetRequestHeader("X-Auth", "123")
	_ = x.SetRequestHeader("X-Auth", "456")
	_ = x.SetRequestHeader("Referer", "ignored: a forbidden header")
	_ = x.Send(nil)
	fmt.Println(x.Response())
	// Output: X-Auth: 123, 456
}

// The cross-origin example: credentials (cookies, HTTP authentication)
// are included in cross-origin requests.
//
//	xhr.withCredentials = true;
func ExampleXMLHttpRequest_SetWithCredentials() {
	x := xhr.New(context.Background(), nil)
	fmt.Println(x.WithCredentials())
	_ = x.SetWithCredentials(true)
	fmt.Println(x.WithCredentials())
	// Output:
	// false
	// true
}

func ExampleXMLHttpRequest_WithCredentials() {
	x := xhr.New(context.Background(), nil)
	fmt.Println(x.WithCredentials())
	// Output: false
}

// xhr.timeout = 10000 becomes a time.Duration; when it passes, the
// timeout event fires.
func ExampleXMLHttpRequest_SetTimeout() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	_ = x.SetTimeout(20 * time.Millisecond)
	x.OnTimeout(func(xhr.ProgressEvent) { fmt.Println("timed out; status", x.Status()) })
	_ = x.Open("GET", "/slow")
	_ = x.Send(nil)
	<-done
	fmt.Println(x.Timeout())
	// Output:
	// timed out; status 0
	// 20ms
}

func ExampleXMLHttpRequest_Timeout() {
	x := xhr.New(context.Background(), nil)
	fmt.Println(x.Timeout())
	// Output: 0s
}

func ExampleXMLHttpRequest_Upload() {
	x := xhr.New(context.Background(), nil)
	remove := x.Upload().OnProgress(func(e xhr.ProgressEvent) {})
	remove()
	fmt.Printf("%T\n", x.Upload())
	// Output: *xhr.XMLHttpRequestUpload
}

func ExampleXMLHttpRequest_Send() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	_ = x.Open("POST", "/upload")
	_ = x.Send(fetch.Bytes([]byte{1, 2, 3}))
	<-done
	fmt.Println(x.Response())
	fmt.Println(errors.Is(x.Send(nil), xhr.ErrInvalidState)) // not OPENED any more
	// Output:
	// received 3 bytes
	// true
}

// abort() fires abort and loadend, and status becomes 0.
func ExampleXMLHttpRequest_Abort() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	x.OnAbort(func(xhr.ProgressEvent) { fmt.Println("aborted, status", x.Status()) })
	x.OnLoadEnd(func(xhr.ProgressEvent) { fmt.Println("loadend") })
	_ = x.Open("GET", "/slow")
	_ = x.Send(nil)
	x.Abort() // the events have been delivered when Abort returns
	fmt.Println(x.ReadyState())
	// Output:
	// aborted, status 0
	// loadend
	// UNSENT
}

func ExampleXMLHttpRequest_OverrideMimeType() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/latin1", false, "", "")
	_ = x.OverrideMimeType("text/plain; charset=windows-1252")
	_ = x.Send(nil)
	text, _ := x.ResponseText()
	fmt.Println(text)
	// Output: café
}

func ExampleXMLHttpRequest_Status() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/no/such/page", false, "", "")
	_ = x.Send(nil) // a 404 is not an error
	fmt.Println(x.Status(), x.StatusText())
	// Output: 404 Not Found
}

func ExampleXMLHttpRequest_StatusText() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	fmt.Printf("%q\n", x.StatusText())
	_ = x.OpenAsync("GET", "/article/xmlhttprequest/hello.txt", false, "", "")
	_ = x.Send(nil)
	fmt.Printf("%q\n", x.StatusText())
	// Output:
	// ""
	// "OK"
}

func ExampleXMLHttpRequest_ResponseURL() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/redirect#top", false, "", "")
	_ = x.Send(nil)
	fmt.Println(strings.TrimPrefix(x.ResponseURL(), srv.URL))
	// Output: /article/xmlhttprequest/hello.txt
}

func ExampleXMLHttpRequest_GetResponseHeader() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/article/xmlhttprequest/hello.txt", false, "", "")
	_ = x.Send(nil)
	fmt.Println(x.GetResponseHeader("Content-Type"))
	fmt.Println(x.GetResponseHeader("X-Missing"))
	// Output:
	// text/plain; charset=utf-8 true
	//  false
}

// getAllResponseHeaders() as an object, as the tutorial builds one with
// split and reduce.
func ExampleXMLHttpRequest_GetAllResponseHeaders() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/article/xmlhttprequest/hello.txt", false, "", "")
	_ = x.Send(nil)
	headers := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSuffix(x.GetAllResponseHeaders(), "\r\n"), "\r\n") {
		name, value, _ := strings.Cut(line, ": ")
		headers[name] = value
	}
	fmt.Println(headers["content-type"])
	fmt.Println(headers["cache-control"])
	// Output:
	// text/plain; charset=utf-8
	// max-age=31536000
}

func ExampleXMLHttpRequest_ReadyState() {
	x := xhr.New(context.Background(), &xhr.Options{BaseURL: "http://127.0.0.1/"})
	fmt.Println(x.ReadyState())
	_ = x.Open("GET", "/")
	fmt.Println(x.ReadyState(), uint16(x.ReadyState()))
	// Output:
	// UNSENT
	// OPENED 1
}

// readystatechange follows the state through 1, 2, 3 and 4:
//
//	xhr.onreadystatechange = function() { if (xhr.readyState == 4) { ... } };
func ExampleXMLHttpRequest_OnReadyStateChange() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	var states []string
	x.OnReadyStateChange(func(s xhr.ReadyState) {
		if len(states) == 0 || states[len(states)-1] != s.String() {
			states = append(states, s.String())
		}
	})
	_ = x.Open("GET", "/article/xmlhttprequest/hello.txt")
	_ = x.Send(nil)
	<-done
	fmt.Println(strings.Join(states, " → "))
	// Output: OPENED → HEADERS_RECEIVED → LOADING → DONE
}

func ExampleXMLHttpRequest_SetResponseType() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	_ = x.Open("GET", "/article/xmlhttprequest/hello.txt")
	_ = x.SetResponseType(xhr.ResponseTypeArrayBuffer)
	_ = x.Send(nil)
	<-done
	fmt.Println(x.ResponseType(), x.Response().([]byte)[:5])
	_, err := x.ResponseText()
	fmt.Println(errors.Is(err, xhr.ErrInvalidState))
	// Output:
	// arraybuffer [72 101 108 108 111]
	// true
}

func ExampleXMLHttpRequest_ResponseType() {
	x := xhr.New(context.Background(), nil)
	fmt.Printf("%q\n", x.ResponseType())
	// Output: ""
}

func ExampleResponseType() {
	for _, t := range []xhr.ResponseType{xhr.ResponseTypeDefault, xhr.ResponseTypeText, xhr.ResponseTypeArrayBuffer,
		xhr.ResponseTypeBlob, xhr.ResponseTypeDocument, xhr.ResponseTypeJSON} {
		fmt.Printf("%q ", t)
	}
	fmt.Println()
	// Output: "" "text" "arraybuffer" "blob" "document" "json"
}

func ExampleXMLHttpRequest_Response() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	_ = x.Open("GET", "/article/xmlhttprequest/hello.txt")
	_ = x.SetResponseType(xhr.ResponseTypeBlob)
	_ = x.Send(nil)
	<-done
	b := x.Response().(*blob.Blob)
	text, _ := b.Text()
	fmt.Println(b.Type(), b.Size(), text)
	// Output: text/plain;charset=utf-8 13 Hello, world!
}

func ExampleXMLHttpRequest_ResponseText() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/article/xmlhttprequest/hello.txt", false, "", "")
	_ = x.Send(nil)
	text, err := x.ResponseText()
	fmt.Println(text, err)
	// Output: Hello, world! <nil>
}

func ExampleXMLHttpRequest_ResponseXML() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/note.xml", false, "", "")
	_ = x.Send(nil)
	doc, _ := x.ResponseXML()
	root := doc.DocumentElement()
	fmt.Println(root.Data, root.FirstChild.Data, doc.TextContent())
	// Output: note to ToveJani
}

// An HTML document needs ResponseType "document".
func ExampleXMLHttpRequest_ResponseXML_html() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	_ = x.Open("GET", "/page.html")
	_ = x.SetResponseType(xhr.ResponseTypeDocument)
	_ = x.Send(nil)
	<-done
	doc, _ := x.ResponseXML()
	fmt.Println(doc.IsHTML(), doc.ContentType(), doc.CharacterSet(), doc.TextContent())
	// Output: true text/html UTF-8 A pageHi!
}

// A response written to an io.Writer as it arrives keeps memory bounded
// for any size.
func ExampleXMLHttpRequest_SetResponseWriter() {
	srv := exampleServer()
	defer srv.Close()

	var sb strings.Builder
	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.SetResponseWriter(&sb)
	_ = x.OpenAsync("GET", "/article/xmlhttprequest/hello.txt", false, "", "")
	_ = x.Send(nil)
	fmt.Printf("%q %q\n", sb.String(), x.Response())
	// Output: "Hello, world!" ""
}

func ExampleReadyState_String() {
	fmt.Println(xhr.StateUnsent, xhr.StateOpened, xhr.StateHeadersReceived, xhr.StateLoading, xhr.StateDone)
	// Output: UNSENT OPENED HEADERS_RECEIVED LOADING DONE
}

func ExampleReadyState() {
	fmt.Println(uint16(xhr.StateDone), xhr.ReadyState(4) == xhr.StateDone)
	// Output: 4 true
}

func ExampleProgressEvent() {
	e := xhr.ProgressEvent{LengthComputable: true, Loaded: 25, Total: 100}
	fmt.Printf("%d%%\n", e.Loaded*100/e.Total)
	// Output: 25%
}

func ExampleXMLHttpRequestEventTarget_OnLoadStart() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	x.OnLoadStart(func(e xhr.ProgressEvent) { fmt.Println("loadstart", e.Loaded, x.ReadyState()) })
	_ = x.Open("GET", "/article/xmlhttprequest/hello.txt")
	_ = x.Send(nil)
	<-done
	// Output: loadstart 0 OPENED
}

func ExampleXMLHttpRequestEventTarget_OnProgress() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	var last xhr.ProgressEvent
	x.OnProgress(func(e xhr.ProgressEvent) { last = e })
	_ = x.Open("GET", "/article/xmlhttprequest/example/load")
	_ = x.Send(nil)
	<-done
	fmt.Printf("%+v\n", last)
	// Output: {LengthComputable:true Loaded:1000 Total:1000}
}

func ExampleXMLHttpRequestEventTarget_OnAbort() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	x.OnAbort(func(e xhr.ProgressEvent) { fmt.Printf("abort %+v\n", e) })
	_ = x.Open("GET", "/slow")
	_ = x.Send(nil)
	x.Abort()
	// Output: abort {LengthComputable:false Loaded:0 Total:0}
}

func ExampleXMLHttpRequestEventTarget_OnError() {
	x := xhr.New(context.Background(), nil)
	done := waitLoadEnd(x)
	x.OnError(func(err error) { fmt.Println("network error:", errors.Is(err, fetch.ErrNetwork)) })
	_ = x.Open("GET", "http://127.0.0.1:1/") // port 1 is one of fetch's blocked ports
	_ = x.Send(nil)
	<-done
	fmt.Println(x.Status())
	// Output:
	// network error: true
	// 0
}

func ExampleXMLHttpRequestEventTarget_OnLoad() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	x.OnLoad(func(e xhr.ProgressEvent) { fmt.Println("load", x.Status(), e.Loaded) })
	_ = x.Open("GET", "/article/xmlhttprequest/hello.txt")
	_ = x.Send(nil)
	<-done
	// Output: load 200 13
}

func ExampleXMLHttpRequestEventTarget_OnTimeout() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := waitLoadEnd(x)
	_ = x.SetTimeout(10 * time.Millisecond)
	x.OnTimeout(func(xhr.ProgressEvent) { fmt.Println("timeout") })
	_ = x.Open("GET", "/slow")
	_ = x.Send(nil)
	<-done
	// Output: timeout
}

func ExampleXMLHttpRequestEventTarget_OnLoadEnd() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	done := make(chan struct{})
	x.OnLoadEnd(func(e xhr.ProgressEvent) { fmt.Println("loadend", x.ReadyState()); close(done) })
	_ = x.Open("GET", "/article/xmlhttprequest/hello.txt")
	_ = x.Send(nil)
	<-done
	// Output: loadend DONE
}

func ExampleParseDocument() {
	doc, err := xhr.ParseDocument(`<feed><entry>one</entry><entry>two</entry></feed>`, "application/atom+xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.IsHTML(), doc.DocumentElement().Data, doc.TextContent())
	_, err = xhr.ParseDocument("<unclosed>", "text/xml")
	fmt.Println(errors.Is(err, xhr.ErrSyntax))
	// Output:
	// false feed onetwo
	// true
}

func ExampleDocument() {
	doc, _ := xhr.ParseDocument("<p>Hello", "text/html")
	fmt.Println(doc)
	// Output: <html><head></head><body><p>Hello</p></body></html>
}

func ExampleDocument_Node() {
	doc, _ := xhr.ParseDocument("<a><b/></a>", "application/xml")
	fmt.Println(doc.Node().FirstChild.Data, doc.Node().FirstChild.FirstChild.Data)
	// Output: a b
}

func ExampleDocument_DocumentElement() {
	doc, _ := xhr.ParseDocument("<p>x", "text/html")
	fmt.Println(doc.DocumentElement().Data)
	// Output: html
}

func ExampleDocument_IsHTML() {
	doc, _ := xhr.ParseDocument("<svg/>", "image/svg+xml")
	fmt.Println(doc.IsHTML())
	// Output: false
}

func ExampleDocument_ContentType() {
	doc, _ := xhr.ParseDocument("<svg/>", "image/svg+xml")
	fmt.Println(doc.ContentType())
	// Output: image/svg+xml
}

func ExampleDocument_CharacterSet() {
	doc, _ := xhr.ParseDocument("<p>x", "text/html")
	fmt.Println(doc.CharacterSet())
	// Output: UTF-8
}

func ExampleDocument_URL() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	_ = x.OpenAsync("GET", "/note.xml", false, "", "")
	_ = x.Send(nil)
	doc, _ := x.ResponseXML()
	fmt.Println(strings.TrimPrefix(doc.URL(), srv.URL))
	// Output: /note.xml
}

func ExampleDocument_TextContent() {
	doc, _ := xhr.ParseDocument("<r>a<i>b</i>c</r>", "text/xml")
	fmt.Println(doc.TextContent())
	// Output: abc
}

func ExampleDocument_String() {
	doc, _ := xhr.ParseDocument(`<r xmlns:x="urn:x"><x:i a="1">&lt;</x:i></r>`, "text/xml")
	fmt.Println(doc.String())
	// Output: <r xmlns:x="urn:x"><x:i a="1">&lt;</x:i></r>
}

// A Document is a request body; send() gives it its Content-Type.
func ExampleDocument_ExtractBody() {
	doc, _ := xhr.ParseDocument("<a>b</a>", "application/xml")
	_, n, contentType, _ := doc.ExtractBody()
	fmt.Println(n, contentType)
	// Output: 8 application/xml;charset=UTF-8
}

func ExampleXMLHttpRequestEventTarget() {
	x := xhr.New(context.Background(), nil)
	// The same listener type works on the request and its upload object.
	for _, t := range []*xhr.XMLHttpRequestEventTarget{&x.XMLHttpRequestEventTarget, &x.Upload().XMLHttpRequestEventTarget} {
		remove := t.OnLoad(func(xhr.ProgressEvent) {})
		remove()
	}
	fmt.Println("ok")
	// Output: ok
}

func ExampleXMLHttpRequest() {
	// An XMLHttpRequest can be reused: Open again once a request is done.
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	for _, path := range []string{"/article/xmlhttprequest/hello.txt", "/no/such/page"} {
		_ = x.OpenAsync("GET", path, false, "", "")
		_ = x.Send(nil)
		fmt.Println(path, x.Status())
	}
	// Output:
	// /article/xmlhttprequest/hello.txt 200
	// /no/such/page 404
}

func ExampleErrInvalidState() {
	x := xhr.New(context.Background(), nil)
	err := x.Send(nil) // Send before Open
	fmt.Println(errors.Is(err, xhr.ErrInvalidState))
	// Output: true
}

func ExampleErrSyntax() {
	x := xhr.New(context.Background(), &xhr.Options{BaseURL: "http://127.0.0.1/"})
	_ = x.Open("GET", "/")
	fmt.Println(errors.Is(x.SetRequestHeader("Bad Name", "x"), xhr.ErrSyntax))
	// Output: true
}

func ExampleErrSecurity() {
	x := xhr.New(context.Background(), nil)
	fmt.Println(errors.Is(x.Open("CONNECT", "http://127.0.0.1/"), xhr.ErrSecurity))
	// Output: true
}

func ExampleErrInvalidAccess() {
	x := xhr.New(context.Background(), nil)
	_ = x.SetTimeout(time.Second)
	err := x.OpenAsync("GET", "http://127.0.0.1/", false, "", "") // sync with a timeout
	fmt.Println(errors.Is(err, xhr.ErrInvalidAccess))
	// Output: true
}

func ExampleErrNotSupported() {
	_, err := xhr.ParseDocument("x", "text/plain")
	fmt.Println(errors.Is(err, xhr.ErrNotSupported))
	// Output: true
}

// resumableServer implements the server side of the tutorial's resumable
// upload: it tracks uploads by X-File-Id, answers /status with the bytes
// it holds, and appends an upload that starts (X-Start-Byte) where the
// stored bytes end. To demonstrate a broken connection, it drops the
// first upload of every file after 3000 bytes.
type resumableServer struct {
	mu      sync.Mutex
	files   map[string][]byte
	dropped map[string]bool
}

func (s *resumableServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("X-File-Id")
	switch r.URL.Path {
	case "/status":
		s.mu.Lock()
		n := len(s.files[id])
		s.mu.Unlock()
		_, _ = io.WriteString(w, strconv.Itoa(n))
	case "/upload":
		start, err := strconv.Atoi(r.Header.Get("X-Start-Byte"))
		s.mu.Lock()
		have := len(s.files[id])
		drop := !s.dropped[id]
		s.dropped[id] = true
		s.mu.Unlock()
		if err != nil || start != have {
			http.Error(w, "wrong start byte", http.StatusConflict)
			return
		}
		var body io.Reader = r.Body
		if drop {
			body = io.LimitReader(r.Body, 3000)
		}
		data, _ := io.ReadAll(body)
		s.mu.Lock()
		s.files[id] = append(s.files[id], data...)
		s.mu.Unlock()
		if drop { // the connection breaks
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		_, _ = io.WriteString(w, "ok")
	}
}

// The tutorial's resumable file upload: ask the server how many bytes it
// has (/status with X-File-Id), then send the rest of the file with
// X-Start-Byte, tracking progress with xhr.upload.onprogress.
func Example_resumableUpload() {
	server := &resumableServer{files: map[string][]byte{}, dropped: map[string]bool{}}
	srv := httptest.NewServer(server)
	defer srv.Close()

	content := strings.Repeat("0123456789", 1000)
	file := blob.NewFile([]blob.BlobPart{blob.String(content)}, "data.txt",
		&blob.FilePropertyBag{LastModified: time.Unix(1700000000, 0)})
	fileID := fmt.Sprintf("%s-%d-%d", file.Name(), file.Size(), file.LastModified().UnixMilli())

	upload := func() error {
		// How many bytes does the server have?
		resp, err := fetch.Fetch(context.Background(), srv.URL+"/status",
			&fetch.RequestInit{Headers: fetch.HeaderMap{"X-File-Id": fileID}})
		if err != nil {
			return err
		}
		text, _ := resp.Text()
		startByte, _ := strconv.ParseInt(text, 10, 64)
		fmt.Println("server has", startByte, "bytes")

		x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
		done := waitLoadEnd(x)
		var failure error
		x.OnError(func(err error) { failure = errors.New("connection lost") })
		var last xhr.ProgressEvent
		x.Upload().OnProgress(func(e xhr.ProgressEvent) { last = e })
		_ = x.Open("POST", "/upload")
		_ = x.SetRequestHeader("X-File-Id", fileID)
		_ = x.SetRequestHeader("X-Start-Byte", strconv.FormatInt(startByte, 10))
		_ = x.Send(file.Slice(startByte, blob.End, ""))
		<-done
		if failure != nil {
			return failure
		}
		fmt.Printf("Uploaded %d of %d\n", startByte+last.Loaded, startByte+last.Total)
		return nil
	}

	for attempt := 1; attempt <= 3; attempt++ {
		err := upload()
		if err == nil {
			break
		}
		fmt.Println("upload failed:", err)
	}
	server.mu.Lock()
	fmt.Println("server's copy matches:", string(server.files[fileID]) == content)
	server.mu.Unlock()
	// Output:
	// server has 0 bytes
	// upload failed: connection lost
	// server has 3000 bytes
	// Uploaded 10000 of 10000
	// server's copy matches: true
}

// Listeners may be registered in any order; this prints the events of a
// request with a body in the spec's order.
func Example_eventOrder() {
	srv := exampleServer()
	defer srv.Close()

	x := xhr.New(context.Background(), &xhr.Options{BaseURL: srv.URL})
	var (
		mu     sync.Mutex
		events []string
	)
	log := func(name string) func(xhr.ProgressEvent) {
		return func(xhr.ProgressEvent) { mu.Lock(); events = append(events, name); mu.Unlock() }
	}
	x.OnLoadEnd(log("loadend"))
	done := waitLoadEnd(x) // after the logging listener, so it runs after it
	x.OnLoad(log("load"))
	x.OnLoadStart(log("loadstart"))
	x.Upload().OnLoadEnd(log("upload.loadend"))
	x.Upload().OnLoad(log("upload.load"))
	x.Upload().OnLoadStart(log("upload.loadstart"))
	_ = x.Open("POST", "/upload")
	_ = x.Send(fetch.String("hello"))
	<-done
	mu.Lock()
	defer mu.Unlock()
	fmt.Println(strings.Join(events, ", "))
	// Output: loadstart, upload.loadstart, upload.load, upload.loadend, load, loadend
}
