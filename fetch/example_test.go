package fetch_test

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
	"github.com/webnet-go/webnet/url"
)

// tutorialServer serves the endpoints of the javascript.info "Network
// requests" tutorial on loopback.
func tutorialServer() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /commits", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-RateLimit-Limit", "60")
		_, _ = io.WriteString(w, `[{"author":{"login":"iliakan"}},{"author":{"login":"ArtemKolichenko"}}]`)
	})
	mux.HandleFunc("POST /article/fetch/post/user", func(w http.ResponseWriter, r *http.Request) {
		var user struct{ Name, Surname string }
		if err := json.NewDecoder(r.Body).Decode(&user); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"message":"User saved: %s %s (%s)"}`, user.Name, user.Surname, r.Header.Get("Content-Type"))
	})
	mux.HandleFunc("POST /article/fetch/post/image", func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"message":"Image saved","type":%q,"size":%d}`, r.Header.Get("Content-Type"), n)
	})
	mux.HandleFunc("POST /article/formdata/post/user-avatar", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f, h, err := r.FormFile("picture")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n, _ := io.Copy(io.Discard, f)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"message":"User %s saved with %s (%s, %d bytes)"}`,
			r.FormValue("firstName"), h.Filename, h.Header.Get("Content-Type"), n)
	})
	mux.HandleFunc("GET /download", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		for range 4 {
			_, _ = w.Write(make([]byte, 250))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("GET /article/fetch-abort/demo/hang", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; returns when the client leaves
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %q", r.Method, r.Header.Get("Content-Type"), body)
	})
	return httptest.NewServer(mux)
}

// GET a JSON document: the first fetch of the tutorial.
func Example() {
	srv := tutorialServer()
	defer srv.Close()

	resp, err := fetch.Fetch(context.Background(), srv.URL+"/commits", nil)
	if err != nil {
		fmt.Println("fetch failed:", err) // network error: no response at all
		return
	}
	if !resp.OK() { // 404 or 500 is a response, not an error
		fmt.Println("HTTP-Error:", resp.Status())
		return
	}
	var commits []struct {
		Author struct{ Login string }
	}
	if err := resp.JSON(&commits); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Status(), commits[0].Author.Login)

	// A body can be read only once.
	_, err = resp.Text()
	fmt.Println(errors.Is(err, fetch.ErrBodyUsed))
	// Output:
	// 200 iliakan
	// true
}

// Iterate over the response headers, as for (let [key, value] of
// response.headers) does.
func Example_headersIteration() {
	srv := tutorialServer()
	defer srv.Close()

	resp, err := fetch.Fetch(context.Background(), srv.URL+"/commits", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body().Close()
	ct, _ := resp.Headers().Get("Content-Type")
	fmt.Println(ct)
	for key, value := range resp.Headers().All() {
		if key == "date" {
			continue // changes every second
		}
		fmt.Printf("%s = %s\n", key, value)
	}
	// Output:
	// application/json; charset=utf-8
	// content-length = 71
	// content-type = application/json; charset=utf-8
	// x-ratelimit-limit = 60
}

// POST a JSON body with its Content-Type.
func Example_postJSON() {
	srv := tutorialServer()
	defer srv.Close()

	user := map[string]string{"name": "John", "surname": "Smith"}
	data, _ := json.Marshal(user)
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/article/fetch/post/user", &fetch.RequestInit{
		Method:  "POST",
		Headers: fetch.HeaderMap{"Content-Type": "application/json;charset=utf-8"},
		Body:    fetch.String(string(data)),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var result struct{ Message string }
	if err := resp.JSON(&result); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(result.Message)
	// Output:
	// User saved: John Smith (application/json;charset=utf-8)
}

// POST a Blob: its type becomes the Content-Type.
func Example_postBlob() {
	srv := tutorialServer()
	defer srv.Close()

	png := blob.New([]blob.BlobPart{blob.Bytes([]byte("\x89PNG\r\n\x1a\n...pixels..."))}, &blob.BlobPropertyBag{Type: "image/png"})
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/article/fetch/post/image", &fetch.RequestInit{
		Method: "POST",
		Body:   png,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text)
	// Output:
	// {"message":"Image saved","type":"image/png","size":20}
}

// Send a form with a file, as <input type="file"> would.
func Example_formDataWithFile() {
	srv := tutorialServer()
	defer srv.Close()

	form := formdata.New()
	form.Append("firstName", "John")
	picture := blob.NewFile([]blob.BlobPart{blob.String("<svg/>")}, "avatar.svg", &blob.FilePropertyBag{Type: "image/svg+xml"})
	form.AppendFile("picture", picture, "")

	resp, err := fetch.Fetch(context.Background(), srv.URL+"/article/formdata/post/user-avatar", &fetch.RequestInit{
		Method: "POST",
		Body:   form, // multipart/form-data; boundary=..., with a Content-Length
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var result struct{ Message string }
	_ = resp.JSON(&result)
	fmt.Println(result.Message)
	// Output:
	// User John saved with avatar.svg (image/svg+xml, 6 bytes)
}

// Track download progress by reading the streamed body chunk by chunk,
// with the total from Content-Length.
func Example_downloadProgress() {
	srv := tutorialServer()
	defer srv.Close()

	resp, err := fetch.Fetch(context.Background(), srv.URL+"/download", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	cl, _ := resp.Headers().Get("Content-Length")
	contentLength, _ := strconv.Atoi(cl)
	body := resp.Body()
	defer body.Close()

	var chunks [][]byte
	received := 0
	for {
		chunk := make([]byte, 400)
		n, err := io.ReadFull(body, chunk)
		if n > 0 {
			chunks = append(chunks, chunk[:n])
			received += n
			fmt.Printf("Received %d of %d\n", received, contentLength)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("chunks:", len(chunks))
	// Output:
	// Received 400 of 1000
	// Received 800 of 1000
	// Received 1000 of 1000
	// chunks: 3
}

// Abort a fetch that hangs: after a delay, controller.Abort() makes the
// fetch fail with ErrAbort.
func Example_abort() {
	srv := tutorialServer()
	defer srv.Close()

	controller := fetch.NewAbortController()
	time.AfterFunc(100*time.Millisecond, func() { controller.Abort(nil) }) // the tutorial waits 1 s

	_, err := fetch.Fetch(context.Background(), srv.URL+"/article/fetch-abort/demo/hang", &fetch.RequestInit{
		Signal: controller.Signal(),
	})
	if errors.Is(err, fetch.ErrAbort) {
		fmt.Println("Aborted!")
	}
	// Output:
	// Aborted!
}

// One controller aborts many fetches, and a job of our own.
func Example_oneControllerManyFetches() {
	srv := tutorialServer()
	defer srv.Close()

	controller := fetch.NewAbortController()
	ourJob := make(chan error, 1)
	controller.Signal().OnAbort(func(reason error) { ourJob <- reason })

	urls := []string{srv.URL + "/article/fetch-abort/demo/hang", srv.URL + "/article/fetch-abort/demo/hang", srv.URL + "/article/fetch-abort/demo/hang"}
	errs := make([]error, len(urls))
	var wg sync.WaitGroup // Promise.all
	for i, u := range urls {
		wg.Go(func() {
			_, errs[i] = fetch.Fetch(context.Background(), u, &fetch.RequestInit{Signal: controller.Signal()})
		})
	}
	time.AfterFunc(100*time.Millisecond, func() { controller.Abort(errors.New("user navigated away")) })
	wg.Wait()
	for _, err := range errs {
		fmt.Println(errors.Is(err, fetch.ErrAbort), err != nil && strings.HasSuffix(err.Error(), "user navigated away"))
	}
	fmt.Println("our job:", <-ourJob)
	// Output:
	// true true
	// true true
	// true true
	// our job: user navigated away
}

// Errors carry a category and the cause; an HTTP error status is not an
// error.
func Example_errors() {
	srv := tutorialServer()
	addr := srv.URL
	srv.Close() // nothing listens any more

	_, err := fetch.Fetch(context.Background(), addr, nil)
	fmt.Println("network error:", errors.Is(err, fetch.ErrNetwork))

	_, err = fetch.NewRequest("http://user:secret@example.com/", nil)
	fmt.Println("type error:", errors.Is(err, fetch.ErrTypeError))

	_, err = fetch.NewResponse(nil, &fetch.ResponseInit{Status: 600})
	fmt.Println("range error:", errors.Is(err, fetch.ErrRangeError))

	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	_, err = fetch.Fetch(ctx, addr, nil)
	fmt.Println("timeout:", errors.Is(err, fetch.ErrTimeout), errors.Is(err, context.DeadlineExceeded))
	// Output:
	// network error: true
	// type error: true
	// range error: true
	// timeout: true true
}

func ExampleFetch() {
	srv := tutorialServer()
	defer srv.Close()

	resp, err := fetch.Fetch(context.Background(), srv.URL+"/echo", &fetch.RequestInit{Method: "put", Body: fetch.String("hi")})
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(resp.Status(), text)
	// Output:
	// 200 PUT text/plain;charset=UTF-8 "hi"
}

func ExampleClient() {
	srv := tutorialServer()
	defer srv.Close()

	// A client with its own transport and a time limit for whole fetches;
	// AllowForbiddenHeaders lets server-side code send Cookie and Origin.
	client := &fetch.Client{
		HTTPClient:            &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second},
		AllowForbiddenHeaders: true,
	}
	defer client.HTTPClient.CloseIdleConnections()
	resp, err := client.Fetch(context.Background(), srv.URL+"/commits", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body().Close()
	fmt.Println(resp.Status())
	// Output:
	// 200
}

func ExampleClient_Fetch() {
	srv := tutorialServer()
	defer srv.Close()

	var client fetch.Client // the zero value is ready to use
	resp, err := client.Fetch(context.Background(), srv.URL+"/nowhere", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(resp.Status(), resp.StatusText(), resp.OK(), strings.TrimSpace(text))
	// Output:
	// 404 Not Found false 404 page not found
}

func ExampleClient_Do() {
	srv := tutorialServer()
	defer srv.Close()

	req, err := fetch.NewRequest(srv.URL+"/echo", &fetch.RequestInit{Method: "POST", Body: url.NewSearchParams("q=go&lang=en")})
	if err != nil {
		fmt.Println(err)
		return
	}
	var client fetch.Client
	resp, err := client.Do(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text)
	fmt.Println("sent twice:", errors.Is(func() error { _, err := client.Do(context.Background(), req); return err }(), fetch.ErrBodyUsed))
	// Output:
	// POST application/x-www-form-urlencoded;charset=UTF-8 "q=go&lang=en"
	// sent twice: true
}

func ExampleString() {
	r, _ := fetch.NewResponse(fetch.String("héllo"), nil)
	ct, _ := r.Headers().Get("Content-Type")
	b, _ := r.Bytes()
	fmt.Println(ct, len(b))
	// Output:
	// text/plain;charset=UTF-8 6
}

func ExampleBytes() {
	r, _ := fetch.NewResponse(fetch.Bytes([]byte{0xCA, 0xFE}), nil)
	fmt.Println(r.Headers().Has("Content-Type"))
	b, _ := r.Bytes()
	fmt.Printf("% x\n", b)
	// Output:
	// false
	// ca fe
}

func ExampleReader() {
	srv := tutorialServer()
	defer srv.Close()

	// A stream of unknown length is sent chunked; it can be sent only once.
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/echo", &fetch.RequestInit{
		Method: "POST",
		Body:   fetch.Reader(strings.NewReader("streamed")),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text)
	// Output:
	// POST  "streamed"
}

func ExampleReaderWithLength() {
	srv := tutorialServer()
	defer srv.Close()

	resp, err := fetch.Fetch(context.Background(), srv.URL+"/echo", &fetch.RequestInit{
		Method: "POST",
		Body:   fetch.ReaderWithLength(strings.NewReader("sized"), 5), // sent with Content-Length: 5
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text)
	// Output:
	// POST  "sized"
}

func ExampleBodyInit() {
	// Any type with an ExtractBody method is a body; these are built in.
	bodies := []fetch.BodyInit{
		fetch.String("text"),
		fetch.Bytes([]byte("bytes")),
		blob.New([]blob.BlobPart{blob.String("blob")}, &blob.BlobPropertyBag{Type: "text/csv"}),
		url.NewSearchParams("a=1"),
	}
	for _, b := range bodies {
		rc, n, ct, _ := b.ExtractBody()
		rc.Close()
		fmt.Printf("%d %q\n", n, ct)
	}
	// Output:
	// 4 "text/plain;charset=UTF-8"
	// 5 ""
	// 4 "text/csv"
	// 3 "application/x-www-form-urlencoded;charset=UTF-8"
}

func ExampleNewHeaders() {
	h, err := fetch.NewHeaders(fetch.HeaderMap{"Accept": "application/json", "X-Trace": " 42 "})
	if err != nil {
		fmt.Println(err)
		return
	}
	trace, _ := h.Get("x-trace")
	fmt.Printf("%q %v\n", trace, h.Guard())

	_, err = fetch.NewHeaders(fetch.HeaderList{{"Bad Name", "x"}})
	fmt.Println(errors.Is(err, fetch.ErrInvalidHeader), err)
	// Output:
	// "42" none
	// true fetch: invalid header: header name "Bad Name" is not a token
}

func ExampleHeaders() {
	var h fetch.Headers // the zero value is an empty list with guard "none"
	_ = h.Append("Accept", "text/html")
	_ = h.Append("accept", "application/json")
	v, ok := h.Get("ACCEPT")
	fmt.Println(v, ok)
	// Output:
	// text/html, application/json true
}

func ExampleHeaders_Append() {
	h, _ := fetch.NewHeaders(nil)
	_ = h.Append("Set-Cookie", "a=1")
	_ = h.Append("Set-Cookie", "b=2")
	err := h.Append("X-Bad", "line\nbreak")
	fmt.Println(h.GetSetCookie(), err)
	// Output:
	// [a=1 b=2] fetch: invalid header: header "X-Bad": value "line\nbreak" contains NUL, CR or LF
}

func ExampleHeaders_Set() {
	h, _ := fetch.NewHeaders(fetch.HeaderList{{"X-A", "1"}, {"X-A", "2"}})
	_ = h.Set("x-a", "3")
	v, _ := h.Get("X-A")
	fmt.Println(v)
	// Output:
	// 3
}

func ExampleHeaders_Delete() {
	h, _ := fetch.NewHeaders(fetch.HeaderMap{"X-A": "1", "X-B": "2"})
	_ = h.Delete("x-a")
	fmt.Println(h.Has("X-A"), h.Has("X-B"))
	// Output:
	// false true
}

func ExampleHeaders_Get() {
	h, _ := fetch.NewHeaders(fetch.HeaderList{{"Vary", "Accept"}, {"Vary", "Origin"}})
	v, ok := h.Get("vary")
	fmt.Printf("%q %v\n", v, ok)
	v, ok = h.Get("missing")
	fmt.Printf("%q %v\n", v, ok)
	// Output:
	// "Accept, Origin" true
	// "" false
}

func ExampleHeaders_Has() {
	h, _ := fetch.NewHeaders(fetch.HeaderMap{"ETag": `"v1"`})
	fmt.Println(h.Has("etag"), h.Has("Last-Modified"))
	// Output:
	// true false
}

func ExampleHeaders_GetSetCookie() {
	h := fetch.HeadersFromHTTP(http.Header{"Set-Cookie": {"id=a3fWa; Secure", "lang=en"}}, fetch.GuardNone)
	for _, c := range h.GetSetCookie() {
		fmt.Println(c)
	}
	// Output:
	// id=a3fWa; Secure
	// lang=en
}

func ExampleHeaders_All() {
	h, _ := fetch.NewHeaders(fetch.HeaderList{{"X-B", "2"}, {"Set-Cookie", "a=1"}, {"x-a", "1"}, {"X-B", "3"}, {"Set-Cookie", "b=2"}})
	for name, value := range h.All() {
		fmt.Printf("%s: %s\n", name, value)
	}
	// Output:
	// set-cookie: a=1
	// set-cookie: b=2
	// x-a: 1
	// x-b: 2, 3
}

func ExampleHeaders_Keys() {
	h, _ := fetch.NewHeaders(fetch.HeaderMap{"Content-Type": "text/plain", "Accept": "*/*"})
	for name := range h.Keys() {
		fmt.Println(name)
	}
	// Output:
	// accept
	// content-type
}

func ExampleHeaders_Values() {
	h, _ := fetch.NewHeaders(fetch.HeaderMap{"Content-Type": "text/plain", "Accept": "*/*"})
	for value := range h.Values() {
		fmt.Println(value)
	}
	// Output:
	// */*
	// text/plain
}

func ExampleHeaders_Guard() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Headers: fetch.HeaderMap{"Cookie": "a=b", "X-Ok": "1"}})
	fmt.Println(req.Headers().Guard(), req.Headers().Has("Cookie"), req.Headers().Has("X-Ok"))
	// Output:
	// request false true
}

func ExampleHeaders_HTTPHeader() {
	h, _ := fetch.NewHeaders(fetch.HeaderList{{"x-multi", "a"}, {"X-Multi", "b"}})
	fmt.Println(h.HTTPHeader())
	// Output:
	// map[X-Multi:[a b]]
}

func ExampleHeadersFromHTTP() {
	h := fetch.HeadersFromHTTP(http.Header{"Content-Type": {"text/html"}, "Set-Cookie": {"a=b"}}, fetch.GuardResponse)
	for name, value := range h.All() {
		fmt.Println(name, value)
	}
	// Output:
	// content-type text/html
}

func ExampleHeadersGuard() {
	resp, _ := fetch.Redirect("https://example.com/new", 301)
	err := resp.Headers().Set("Location", "https://evil.example/")
	fmt.Println(resp.Headers().Guard(), errors.Is(err, fetch.ErrTypeError))
	// Output:
	// immutable true
}

func ExampleHeadersInit() {
	// A HeaderMap, a HeaderList and a *Headers are all HeadersInit.
	from, _ := fetch.NewHeaders(fetch.HeaderMap{"X-From": "headers"})
	for _, init := range []fetch.HeadersInit{fetch.HeaderMap{"X-From": "map"}, fetch.HeaderList{{"X-From", "list"}}, from} {
		h, _ := fetch.NewHeaders(init)
		v, _ := h.Get("X-From")
		fmt.Println(v)
	}
	// Output:
	// map
	// list
	// headers
}

func ExampleHeaderMap() {
	h, _ := fetch.NewHeaders(fetch.HeaderMap{"B": "2", "A": "1"}) // filled in sorted key order
	fmt.Println(h.HTTPHeader())
	// Output:
	// map[A:[1] B:[2]]
}

func ExampleHeaderList() {
	h, _ := fetch.NewHeaders(fetch.HeaderList{{"Accept", "text/html"}, {"Accept", "*/*"}})
	v, _ := h.Get("Accept")
	fmt.Println(v)
	// Output:
	// text/html, */*
}

func ExampleIsForbiddenRequestHeader() {
	fmt.Println(fetch.IsForbiddenRequestHeader("Cookie", ""))
	fmt.Println(fetch.IsForbiddenRequestHeader("Sec-Fetch-Site", "none"))
	fmt.Println(fetch.IsForbiddenRequestHeader("X-HTTP-Method-Override", "GET, TRACE"))
	fmt.Println(fetch.IsForbiddenRequestHeader("Authorization", "Bearer x"))
	// Output:
	// true
	// true
	// true
	// false
}

func ExampleIsForbiddenResponseHeaderName() {
	fmt.Println(fetch.IsForbiddenResponseHeaderName("set-cookie"), fetch.IsForbiddenResponseHeaderName("Location"))
	// Output:
	// true false
}

func ExampleNewRequest() {
	req, err := fetch.NewRequest("https://example.com/api/../users?id=1", &fetch.RequestInit{
		Method:  "post",
		Headers: fetch.HeaderMap{"Content-Type": "application/json"},
		Body:    fetch.String(`{"name":"John"}`),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Method(), req.URL(), req.Mode(), req.Credentials(), req.Redirect())

	_, err = fetch.NewRequest("https://example.com/", &fetch.RequestInit{Body: fetch.String("x")})
	fmt.Println(err)
	// Output:
	// POST https://example.com/users?id=1 cors same-origin follow
	// fetch: TypeError: a GET request cannot have a body
}

func ExampleRequest() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{
		Cache:          fetch.CacheNoStore,
		Referrer:       "https://example.com/page",
		ReferrerPolicy: fetch.ReferrerPolicyNoReferrer,
		Integrity:      "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
		Keepalive:      true,
		Priority:       fetch.PriorityLow,
	})
	fmt.Println(req.Cache(), req.Referrer(), req.ReferrerPolicy(), req.Keepalive(), req.Priority(), req.Duplex())
	fmt.Println(req.Integrity())
	fmt.Printf("%q %v %v\n", req.Destination(), req.IsReloadNavigation(), req.IsHistoryNavigation())
	// Output:
	// no-store https://example.com/page no-referrer true low half
	// sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
	// "" false false
}

func ExampleRequest_Clone() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Method: "POST", Body: fetch.String("payload")})
	clone, _ := req.Clone()
	a, _ := req.Text()
	b, _ := clone.Text()
	_, err := req.Clone()
	fmt.Println(a, b, errors.Is(err, fetch.ErrBodyUsed))
	// Output:
	// payload payload true
}

func ExampleRequest_Body() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Method: "POST", Body: fetch.String("stream me")})
	body := req.Body()
	defer body.Close()
	data, _ := io.ReadAll(body)
	fmt.Println(string(data), req.BodyUsed())
	// Output:
	// stream me true
}

func ExampleRequest_BodyUsed() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Method: "POST", Body: fetch.String("x")})
	fmt.Println(req.BodyUsed())
	_, _ = req.Bytes()
	fmt.Println(req.BodyUsed())
	// Output:
	// false
	// true
}

func ExampleRequest_Text() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Method: "POST", Body: fetch.Bytes([]byte("caf\xc3\xa9 \xff"))})
	text, _ := req.Text()
	fmt.Println(text)
	// Output:
	// café �
}

func ExampleRequest_JSON() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Method: "POST", Body: fetch.String(`{"id":7}`)})
	var v struct{ ID int }
	_ = req.JSON(&v)
	fmt.Println(v.ID)
	// Output:
	// 7
}

func ExampleRequest_Bytes() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Method: "POST", Body: fetch.String("abc")})
	b, _ := req.Bytes()
	fmt.Println(b)
	// Output:
	// [97 98 99]
}

func ExampleRequest_Blob() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Method: "POST", Body: fetch.String("a,b")})
	b, _ := req.Blob()
	fmt.Println(b.Size(), b.Type())
	// Output:
	// 3 text/plain;charset=utf-8
}

func ExampleRequest_FormData() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Method: "POST", Body: url.NewSearchParams("name=John&age=30")})
	form, _ := req.FormData()
	for name, v := range form.All() {
		fmt.Println(name, v.String())
	}
	// Output:
	// name John
	// age 30
}

func ExampleRequest_Signal() {
	c := fetch.NewAbortController()
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Signal: c.Signal()})
	c.Abort(nil)
	fmt.Println(req.Signal().Aborted())
	// Output:
	// true
}

func ExampleRequestInit() {
	srv := tutorialServer()
	defer srv.Close()

	// A nil *RequestInit means the defaults; zero fields too.
	init := &fetch.RequestInit{
		Method:   "PATCH",
		Headers:  fetch.HeaderMap{"Content-Type": "application/merge-patch+json"},
		Body:     fetch.String(`{"done":true}`),
		Redirect: fetch.RedirectError,
		Cache:    fetch.CacheNoCache,
	}
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/echo", init)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text)
	// Output:
	// PATCH application/merge-patch+json "{\"done\":true}"
}

func ExampleRequestMode() {
	// In no-cors mode only CORS-safelisted headers are kept.
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{
		Mode:    fetch.ModeNoCORS,
		Headers: fetch.HeaderMap{"Accept": "text/plain", "X-Custom": "dropped"},
	})
	for name := range req.Headers().Keys() {
		fmt.Println(name)
	}
	_, err := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Mode: fetch.ModeNavigate})
	fmt.Println(errors.Is(err, fetch.ErrTypeError))
	// Output:
	// accept
	// true
}

func ExampleRequestCredentials() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Credentials: fetch.CredentialsOmit})
	fmt.Println(req.Credentials())
	// Output:
	// omit
}

func ExampleRequestCache() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.Header.Get("Cache-Control"), " ", r.Header.Get("Pragma"))
	}))
	defer srv.Close()
	resp, err := fetch.Fetch(context.Background(), srv.URL, &fetch.RequestInit{Cache: fetch.CacheReload})
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text)
	// Output:
	// no-cache no-cache
}

func ExampleRequestRedirect() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		fmt.Fprint(w, "new page")
	}))
	defer srv.Close()
	ctx := context.Background()

	resp, _ := fetch.Fetch(ctx, srv.URL+"/old", nil) // follow
	text, _ := resp.Text()
	fmt.Println(resp.Status(), resp.Redirected(), strings.TrimPrefix(resp.URL(), srv.URL), text)

	resp, _ = fetch.Fetch(ctx, srv.URL+"/old", &fetch.RequestInit{Redirect: fetch.RedirectManual})
	loc, _ := resp.Headers().Get("Location")
	resp.Body().Close()
	fmt.Println(resp.Status(), loc)

	_, err := fetch.Fetch(ctx, srv.URL+"/old", &fetch.RequestInit{Redirect: fetch.RedirectError})
	fmt.Println(errors.Is(err, fetch.ErrNetwork))
	// Output:
	// 200 true /new new page
	// 301 /new
	// true
}

func ExampleReferrerPolicy() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.Header.Get("Referer"))
	}))
	defer srv.Close()
	for _, policy := range []fetch.ReferrerPolicy{fetch.ReferrerPolicyUnsafeURL, fetch.ReferrerPolicyOrigin, fetch.ReferrerPolicyNoReferrer} {
		resp, err := fetch.Fetch(context.Background(), srv.URL, &fetch.RequestInit{Referrer: "https://app.example/page?q=1", ReferrerPolicy: policy})
		if err != nil {
			fmt.Println(err)
			return
		}
		text, _ := resp.Text()
		fmt.Printf("%s: %q\n", policy, text)
	}
	// Output:
	// unsafe-url: "https://app.example/page?q=1"
	// origin: "https://app.example/"
	// no-referrer: ""
}

func ExampleRequestPriority() {
	req, _ := fetch.NewRequest("https://example.com/", &fetch.RequestInit{Priority: fetch.PriorityHigh})
	fmt.Println(req.Priority())
	// Output:
	// high
}

func ExampleRequestDuplex() {
	req, _ := fetch.NewRequest("https://example.com/", nil)
	fmt.Println(req.Duplex() == fetch.DuplexHalf)
	// Output:
	// true
}

func ExampleNewResponse() {
	resp, err := fetch.NewResponse(fetch.String("created"), &fetch.ResponseInit{
		Status:     201,
		StatusText: "Created",
		Headers:    fetch.HeaderMap{"Location": "/items/1"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(resp.Status(), resp.StatusText(), resp.Type(), text)

	_, err = fetch.NewResponse(nil, &fetch.ResponseInit{Status: 99})
	fmt.Println(err)
	_, err = fetch.NewResponse(fetch.String("x"), &fetch.ResponseInit{Status: 204})
	fmt.Println(err)
	// Output:
	// 201 Created default created
	// fetch: RangeError: status 99 is outside 200-599
	// fetch: TypeError: a response with status 204 cannot have a body
}

func ExampleResponseInit() {
	resp, _ := fetch.NewResponse(nil, &fetch.ResponseInit{Status: 418, StatusText: "I'm a teapot"})
	fmt.Println(resp.Status(), resp.StatusText(), resp.OK())
	// Output:
	// 418 I'm a teapot false
}

func ExampleErrorResponse() {
	resp := fetch.ErrorResponse()
	fmt.Println(resp.Type(), resp.Status())
	// Output:
	// error 0
}

func ExampleRedirect() {
	resp, _ := fetch.Redirect("https://example.com/login", 302)
	loc, _ := resp.Headers().Get("Location")
	fmt.Println(resp.Status(), loc)
	_, err := fetch.Redirect("https://example.com/", 200)
	fmt.Println(errors.Is(err, fetch.ErrRangeError))
	// Output:
	// 302 https://example.com/login
	// true
}

func ExampleJSONResponse() {
	resp, _ := fetch.JSONResponse(map[string]any{"ok": true, "html": "<b>"}, nil)
	ct, _ := resp.Headers().Get("Content-Type")
	text, _ := resp.Text()
	fmt.Println(ct, text)
	// Output:
	// application/json {"html":"<b>","ok":true}
}

func ExampleResponse() {
	srv := tutorialServer()
	defer srv.Close()
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/commits", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body().Close()
	fmt.Println(resp.Status(), resp.OK(), resp.StatusText(), resp.Type(), resp.Redirected(), strings.TrimPrefix(resp.URL(), srv.URL))
	// Output:
	// 200 true OK basic false /commits
}

func ExampleResponseType() {
	fetched, _ := fetch.NewResponse(nil, nil)
	fmt.Println(fetched.Type(), fetch.ErrorResponse().Type() == fetch.ResponseTypeError)
	// Output:
	// default true
}

func ExampleResponse_Body() {
	resp, _ := fetch.NewResponse(fetch.String("line 1\nline 2\n"), nil)
	body := resp.Body()
	defer body.Close()
	data, _ := io.ReadAll(body)
	fmt.Print(string(data))
	_, err := resp.Text()
	fmt.Println(errors.Is(err, fetch.ErrBodyUsed))
	// Output:
	// line 1
	// line 2
	// true
}

func ExampleResponse_BodyUsed() {
	resp, _ := fetch.NewResponse(fetch.String("x"), nil)
	fmt.Println(resp.BodyUsed())
	_, _ = resp.Text()
	fmt.Println(resp.BodyUsed())
	// Output:
	// false
	// true
}

func ExampleResponse_Text() {
	resp, _ := fetch.NewResponse(fetch.Bytes([]byte("\xef\xbb\xbfBOM dropped")), nil)
	text, _ := resp.Text()
	fmt.Println(text)
	// Output:
	// BOM dropped
}

func ExampleResponse_JSON() {
	resp, _ := fetch.NewResponse(fetch.String(`{"message":"User saved"}`), nil)
	var result struct{ Message string }
	if err := resp.JSON(&result); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(result.Message)
	// Output:
	// User saved
}

func ExampleResponse_Bytes() {
	resp, _ := fetch.NewResponse(fetch.Bytes([]byte{1, 2, 3}), nil)
	b, _ := resp.Bytes()
	fmt.Println(b)
	// Output:
	// [1 2 3]
}

func ExampleResponse_Blob() {
	resp, _ := fetch.NewResponse(fetch.String("<svg/>"), &fetch.ResponseInit{Headers: fetch.HeaderMap{"Content-Type": "image/svg+xml"}})
	b, _ := resp.Blob()
	fmt.Println(b.Type(), b.Size())
	// Output:
	// image/svg+xml 6
}

func ExampleResponse_FormData() {
	form := formdata.New()
	form.Append("key1", "value1")
	form.Append("key2", "value2")
	resp, _ := fetch.NewResponse(form, nil)
	parsed, err := resp.FormData()
	if err != nil {
		fmt.Println(err)
		return
	}
	for name, value := range parsed.All() {
		fmt.Printf("%s = %s\n", name, value.String())
	}
	// Output:
	// key1 = value1
	// key2 = value2
}

func ExampleResponse_Clone() {
	srv := tutorialServer()
	defer srv.Close()
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/commits", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	clone, _ := resp.Clone()
	raw, _ := clone.Text() // one branch as text...
	var commits []struct{ Author struct{ Login string } }
	_ = resp.JSON(&commits) // ...the other as JSON
	fmt.Println(len(raw), commits[1].Author.Login)
	// Output:
	// 71 ArtemKolichenko
}

func ExampleResponse_Headers() {
	resp, _ := fetch.NewResponse(nil, &fetch.ResponseInit{Headers: fetch.HeaderMap{"Set-Cookie": "dropped", "X-Kept": "1"}})
	for name, value := range resp.Headers().All() {
		fmt.Println(name, value)
	}
	// Output:
	// x-kept 1
}

func ExampleNewAbortController() {
	controller := fetch.NewAbortController()
	signal := controller.Signal()
	signal.OnAbort(func(reason error) { fmt.Println("abort!", reason) })
	controller.Abort(nil)
	fmt.Println(signal.Aborted())
	// Output:
	// abort! fetch: aborted
	// true
}

func ExampleAbortController() {
	var controller fetch.AbortController // the zero value works too
	controller.Abort(errors.New("no longer needed"))
	fmt.Println(controller.Signal().Reason())
	// Output:
	// no longer needed
}

func ExampleAbortController_Abort() {
	c := fetch.NewAbortController()
	c.Abort(errors.New("first"))
	c.Abort(errors.New("second")) // no effect
	fmt.Println(c.Signal().Reason())
	// Output:
	// first
}

func ExampleAbortController_Signal() {
	c := fetch.NewAbortController()
	fmt.Println(c.Signal() == c.Signal())
	// Output:
	// true
}

func ExampleAbortSignal() {
	// A signal is a context underneath: hand it to code that takes one.
	c := fetch.NewAbortController()
	ctx := c.Signal().Context()
	c.Abort(errors.New("shutdown"))
	<-ctx.Done()
	fmt.Println(ctx.Err(), context.Cause(ctx))
	// Output:
	// context canceled shutdown
}

func ExampleAbortSignal_OnAbort() {
	c := fetch.NewAbortController()
	stop := c.Signal().OnAbort(func(error) { fmt.Println("not called") })
	stop()
	c.Signal().OnAbort(func(reason error) { fmt.Println("called with", reason) })
	c.Abort(nil)
	c.Signal().OnAbort(func(error) { fmt.Println("added too late: never called") })
	// Output:
	// called with fetch: aborted
}

func ExampleAbortSignal_Err() {
	c := fetch.NewAbortController()
	work := func(s *fetch.AbortSignal) error {
		if err := s.Err(); err != nil { // throwIfAborted
			return err
		}
		return nil
	}
	fmt.Println(work(c.Signal()))
	c.Abort(nil)
	fmt.Println(work(c.Signal()))
	// Output:
	// <nil>
	// fetch: aborted
}

func ExampleAbortSignal_Aborted() {
	fmt.Println(fetch.NewAbortController().Signal().Aborted(), fetch.AbortSignalAbort(nil).Aborted())
	// Output:
	// false true
}

func ExampleAbortSignal_Reason() {
	fmt.Println(fetch.NewAbortController().Signal().Reason(), fetch.AbortSignalAbort(nil).Reason())
	// Output:
	// <nil> fetch: aborted
}

func ExampleAbortSignal_Done() {
	s := fetch.AbortSignalTimeout(10 * time.Millisecond)
	select {
	case <-s.Done():
		fmt.Println(s.Reason())
	case <-time.After(10 * time.Second):
		fmt.Println("no timeout")
	}
	// Output:
	// fetch: timeout
}

func ExampleAbortSignal_Context() {
	c := fetch.NewAbortController()
	done := make(chan struct{})
	// context.AfterFunc also runs for an abort that already happened.
	context.AfterFunc(c.Signal().Context(), func() { close(done) })
	c.Abort(nil)
	<-done
	fmt.Println("cleaned up")
	// Output:
	// cleaned up
}

func ExampleAbortSignalAbort() {
	srv := tutorialServer()
	defer srv.Close()
	_, err := fetch.Fetch(context.Background(), srv.URL+"/commits", &fetch.RequestInit{Signal: fetch.AbortSignalAbort(errors.New("cancelled early"))})
	fmt.Println(errors.Is(err, fetch.ErrAbort), strings.ReplaceAll(err.Error(), srv.URL, "SERVER"))
	// Output:
	// true fetch SERVER/commits: fetch: aborted: cancelled early
}

func ExampleAbortSignalTimeout() {
	srv := tutorialServer()
	defer srv.Close()
	_, err := fetch.Fetch(context.Background(), srv.URL+"/article/fetch-abort/demo/hang", &fetch.RequestInit{
		Signal: fetch.AbortSignalTimeout(50 * time.Millisecond),
	})
	fmt.Println(errors.Is(err, fetch.ErrTimeout), errors.Is(err, fetch.ErrAbort))
	// Output:
	// true false
}

func ExampleAbortSignalAny() {
	user := fetch.NewAbortController()
	signal := fetch.AbortSignalAny(user.Signal(), fetch.AbortSignalTimeout(time.Hour))
	user.Abort(errors.New("user clicked cancel"))
	fmt.Println(signal.Aborted(), signal.Reason())
	// Output:
	// true user clicked cancel
}

func ExampleAbortSignalFromContext() {
	ctx, cancel := context.WithCancel(context.Background())
	signal := fetch.AbortSignalFromContext(ctx)
	cancel()
	<-signal.Done()
	fmt.Println(signal.Reason())
	// Output:
	// context canceled
}

func ExampleHeaderMap_All() {
	for k, v := range (fetch.HeaderMap{"b": "2", "a": "1"}).All() {
		fmt.Println(k, v)
	}
	// Output:
	// a 1
	// b 2
}

func ExampleHeaderList_All() {
	for k, v := range (fetch.HeaderList{{"b", "2"}, {"a", "1"}}).All() {
		fmt.Println(k, v)
	}
	// Output:
	// b 2
	// a 1
}

// exampleRequest is the request of the getter examples.
func exampleRequest() *fetch.Request {
	req, err := fetch.NewRequest("https://example.com/a/./b#top", &fetch.RequestInit{
		Method:         "delete",
		Headers:        fetch.HeaderMap{"Authorization": "Bearer token"},
		Mode:           fetch.ModeSameOrigin,
		Credentials:    fetch.CredentialsInclude,
		Cache:          fetch.CacheNoCache,
		Redirect:       fetch.RedirectManual,
		Referrer:       "https://example.com/from",
		ReferrerPolicy: fetch.ReferrerPolicySameOrigin,
		Integrity:      "sha384-abc",
		Keepalive:      true,
		Priority:       fetch.PriorityHigh,
	})
	if err != nil {
		panic(err)
	}
	return req
}

func ExampleRequest_Method() {
	fmt.Println(exampleRequest().Method())
	// Output:
	// DELETE
}

func ExampleRequest_URL() {
	fmt.Println(exampleRequest().URL())
	// Output:
	// https://example.com/a/b#top
}

func ExampleRequest_Headers() {
	v, _ := exampleRequest().Headers().Get("authorization")
	fmt.Println(v)
	// Output:
	// Bearer token
}

func ExampleRequest_Mode() {
	fmt.Println(exampleRequest().Mode())
	// Output:
	// same-origin
}

func ExampleRequest_Credentials() {
	fmt.Println(exampleRequest().Credentials())
	// Output:
	// include
}

func ExampleRequest_Cache() {
	fmt.Println(exampleRequest().Cache())
	// Output:
	// no-cache
}

func ExampleRequest_Redirect() {
	fmt.Println(exampleRequest().Redirect())
	// Output:
	// manual
}

func ExampleRequest_Referrer() {
	fmt.Println(exampleRequest().Referrer())
	req, _ := fetch.NewRequest("https://example.com/", nil)
	fmt.Println(req.Referrer())
	// Output:
	// https://example.com/from
	// about:client
}

func ExampleRequest_ReferrerPolicy() {
	fmt.Println(exampleRequest().ReferrerPolicy())
	// Output:
	// same-origin
}

func ExampleRequest_Integrity() {
	fmt.Println(exampleRequest().Integrity())
	// Output:
	// sha384-abc
}

func ExampleRequest_Keepalive() {
	fmt.Println(exampleRequest().Keepalive())
	// Output:
	// true
}

func ExampleRequest_Priority() {
	fmt.Println(exampleRequest().Priority())
	// Output:
	// high
}

func ExampleRequest_Duplex() {
	fmt.Println(exampleRequest().Duplex())
	// Output:
	// half
}

func ExampleRequest_Destination() {
	fmt.Printf("%q\n", exampleRequest().Destination())
	// Output:
	// ""
}

func ExampleRequest_IsReloadNavigation() {
	fmt.Println(exampleRequest().IsReloadNavigation())
	// Output:
	// false
}

func ExampleRequest_IsHistoryNavigation() {
	fmt.Println(exampleRequest().IsHistoryNavigation())
	// Output:
	// false
}

func ExampleResponse_Status() {
	resp, _ := fetch.NewResponse(nil, &fetch.ResponseInit{Status: 202})
	fmt.Println(resp.Status())
	// Output:
	// 202
}

func ExampleResponse_OK() {
	for _, status := range []int{200, 299, 300, 404} {
		resp, _ := fetch.NewResponse(nil, &fetch.ResponseInit{Status: status})
		fmt.Println(status, resp.OK())
	}
	// Output:
	// 200 true
	// 299 true
	// 300 false
	// 404 false
}

func ExampleResponse_StatusText() {
	resp, _ := fetch.NewResponse(nil, &fetch.ResponseInit{Status: 503, StatusText: "Service Unavailable"})
	fmt.Println(resp.StatusText())
	// Output:
	// Service Unavailable
}

func ExampleResponse_Type() {
	srv := tutorialServer()
	defer srv.Close()
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/commits", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body().Close()
	fmt.Println(resp.Type())
	// Output:
	// basic
}

func ExampleResponse_URL() {
	resp, err := fetch.Fetch(context.Background(), "data:,Hello%2C%20World!#greeting", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(resp.URL(), text)
	// Output:
	// data:,Hello%2C%20World! Hello, World!
}

func ExampleResponse_Redirected() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/a" {
			http.Redirect(w, r, "/b", http.StatusSeeOther)
		}
	}))
	defer srv.Close()
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/a", &fetch.RequestInit{Method: "POST", Body: fetch.String("x")})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body().Close()
	fmt.Println(resp.Redirected(), strings.TrimPrefix(resp.URL(), srv.URL))
	// Output:
	// true /b
}
