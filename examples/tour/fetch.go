package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/formdata"
)

// The fetch chapters follow the tutorial's "Fetch", "FormData", "Fetch:
// download progress" and "Fetch: Abort" sections, one chapter each.
func init() {
	register(chapter{order: 10, title: "fetch: GET, status and a JSON body", routes: fetchRoutes, run: fetchGetJSON})
	register(chapter{order: 11, title: "fetch: POST JSON", run: fetchPostJSON})
	register(chapter{order: 12, title: "fetch: POST a Blob", run: fetchPostBlob})
	register(chapter{order: 13, title: "fetch: FormData with a file", run: fetchFormData})
	register(chapter{order: 14, title: "fetch: download progress from the streamed body", run: fetchDownloadProgress})
	register(chapter{order: 15, title: "fetch: abort after 1 s", run: fetchAbort})
	register(chapter{order: 16, title: "fetch: reading a body twice", run: fetchReadTwice})
}

// fetchDownloadSize is the size of the progress chapter's download.
const fetchDownloadSize = 4 << 20

func fetchRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /fetch/commits", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, `[{"sha":"0f3c1e2","author":{"login":"iliakan"},"commit":{"message":"Fix typo"}},`+
			`{"sha":"9ab77d0","author":{"login":"ArtemKolichenko"},"commit":{"message":"Translate fetch"}}]`)
	})
	mux.HandleFunc("POST /fetch/user", func(w http.ResponseWriter, r *http.Request) {
		var user struct{ Name, Surname string }
		if err := json.NewDecoder(r.Body).Decode(&user); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"message":     "User saved: " + user.Name + " " + user.Surname,
			"contentType": r.Header.Get("Content-Type"),
		})
	})
	mux.HandleFunc("POST /fetch/image", func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"message": "Image saved", "type": r.Header.Get("Content-Type"), "size": n})
	})
	mux.HandleFunc("POST /fetch/user-avatar", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f, h, err := r.FormFile("picture")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		defer f.Close()
		n, _ := io.Copy(io.Discard, f)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"message": fmt.Sprintf("User %s saved with the picture %s (%s, %d bytes)",
				r.FormValue("firstName"), h.Filename, h.Header.Get("Content-Type"), n),
		})
	})
	mux.HandleFunc("GET /fetch/download", func(w http.ResponseWriter, r *http.Request) {
		// 4 MiB in 256 KiB pieces, 10 ms apart, like a slow link.
		w.Header().Set("Content-Length", strconv.Itoa(fetchDownloadSize))
		piece := make([]byte, 256<<10)
		for sent := 0; sent < fetchDownloadSize; sent += len(piece) {
			if _, err := w.Write(piece); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(10 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	})
	mux.HandleFunc("GET /fetch/hang", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; returns when the client leaves
	})
}

func fetchGetJSON(ctx context.Context, out io.Writer, base string) error {
	resp, err := fetch.Fetch(ctx, base+"/fetch/commits", nil)
	if err != nil {
		return err // only a network failure is an error: 404 and 500 are responses
	}
	fmt.Fprintf(out, "GET %s -> %d %s (ok: %v)\n", strings.TrimPrefix(resp.URL(), base), resp.Status(), resp.StatusText(), resp.OK())
	ct, _ := resp.Headers().Get("Content-Type")
	fmt.Fprintln(out, "Content-Type:", ct)
	var commits []struct {
		SHA    string
		Author struct{ Login string }
		Commit struct{ Message string }
	}
	if err := resp.JSON(&commits); err != nil {
		return err
	}
	for _, c := range commits {
		fmt.Fprintf(out, "  %s %-16s %s\n", c.SHA, c.Author.Login, c.Commit.Message)
	}

	missing, err := fetch.Fetch(ctx, base+"/fetch/missing", nil)
	if err != nil {
		return err
	}
	_ = missing.Body().Close()
	fmt.Fprintf(out, "GET /fetch/missing -> %d, ok: %v, and no error: an HTTP error status is a response\n", missing.Status(), missing.OK())
	return nil
}

func fetchPostJSON(ctx context.Context, out io.Writer, base string) error {
	user := map[string]string{"name": "John", "surname": "Smith"}
	data, err := json.Marshal(user)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "POST /fetch/user", string(data))
	resp, err := fetch.Fetch(ctx, base+"/fetch/user", &fetch.RequestInit{
		Method:  "POST",
		Headers: fetch.HeaderMap{"Content-Type": "application/json;charset=utf-8"},
		Body:    fetch.String(string(data)),
	})
	if err != nil {
		return err
	}
	var result struct{ Message, ContentType string }
	if err := resp.JSON(&result); err != nil {
		return err
	}
	fmt.Fprintf(out, "-> %d %q (sent as %s)\n", resp.Status(), result.Message, result.ContentType)
	return nil
}

func fetchPostBlob(ctx context.Context, out io.Writer, base string) error {
	// The tutorial draws on a <canvas> and sends canvas.toBlob(): here, a
	// tiny PNG-typed Blob. Its type becomes the Content-Type.
	image := blob.New([]blob.BlobPart{blob.Bytes([]byte("\x89PNG\r\n\x1a\n")), blob.String("...pixels...")},
		&blob.BlobPropertyBag{Type: "image/png"})
	fmt.Fprintf(out, "POST /fetch/image: a Blob of %d bytes, type %s\n", image.Size(), image.Type())
	resp, err := fetch.Fetch(ctx, base+"/fetch/image", &fetch.RequestInit{Method: "POST", Body: image})
	if err != nil {
		return err
	}
	text, err := resp.Text()
	if err != nil {
		return err
	}
	fmt.Fprint(out, "-> ", text)
	return nil
}

func fetchFormData(ctx context.Context, out io.Writer, base string) error {
	form := formdata.New()
	form.Append("firstName", "John")
	picture := blob.NewFile([]blob.BlobPart{blob.String(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}, "avatar.svg",
		&blob.FilePropertyBag{Type: "image/svg+xml"})
	form.AppendFile("picture", picture, "")
	for name, v := range form.All() {
		if v.IsFile() {
			fmt.Fprintf(out, "  field %s = file %s (%d bytes)\n", name, v.File().Name(), v.File().Size())
			continue
		}
		fmt.Fprintf(out, "  field %s = %s\n", name, v.String())
	}
	req, err := fetch.NewRequest(base+"/fetch/user-avatar", &fetch.RequestInit{Method: "POST", Body: form})
	if err != nil {
		return err
	}
	ct, _ := req.Headers().Get("Content-Type")
	fmt.Fprintln(out, "POST /fetch/user-avatar as", ct[:strings.Index(ct, ";")]+"; boundary=...")
	resp, err := (&fetch.Client{}).Do(ctx, req)
	if err != nil {
		return err
	}
	var result struct{ Message string }
	if err := resp.JSON(&result); err != nil {
		return err
	}
	fmt.Fprintln(out, "->", result.Message)
	return nil
}

func fetchDownloadProgress(ctx context.Context, out io.Writer, base string) error {
	resp, err := fetch.Fetch(ctx, base+"/fetch/download", nil)
	if err != nil {
		return err
	}
	cl, _ := resp.Headers().Get("Content-Length")
	total, _ := strconv.ParseInt(cl, 10, 64)
	body := resp.Body() // response.body.getReader()
	defer body.Close()

	var received int64
	var chunks int
	nextReport := int64(0)
	buf := make([]byte, 64<<10)
	for {
		n, err := body.Read(buf)
		received += int64(n)
		if n > 0 {
			chunks++
		}
		if received >= nextReport || err == io.EOF {
			fmt.Fprintf(out, "  %s\n", fetchProgressLine(received, total))
			nextReport += total / 4
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Received %d of %d bytes in %d chunks\n", received, total, chunks)
	return nil
}

// fetchProgressLine renders received of total as a 20-character bar.
func fetchProgressLine(received, total int64) string {
	if total <= 0 {
		return fmt.Sprintf("Received %d bytes", received)
	}
	filled := int(received * 20 / total)
	return fmt.Sprintf("[%s%s] %3d%% Received %d of %d", strings.Repeat("=", filled), strings.Repeat(" ", 20-filled),
		received*100/total, received, total)
}

func fetchAbort(ctx context.Context, out io.Writer, base string) error {
	controller := fetch.NewAbortController()
	// The listener runs on the goroutine that calls Abort (the timer's):
	// it hands the reason over instead of printing concurrently.
	event := make(chan error, 1)
	controller.Signal().OnAbort(func(reason error) { event <- reason })
	time.AfterFunc(time.Second, func() { controller.Abort(nil) }) // setTimeout(() => controller.abort(), 1000)

	start := time.Now()
	fmt.Fprintln(out, "GET /fetch/hang (the server never answers), aborting after 1 s...")
	_, err := fetch.Fetch(ctx, base+"/fetch/hang", &fetch.RequestInit{Signal: controller.Signal()})
	if !errors.Is(err, fetch.ErrAbort) {
		return fmt.Errorf("want an abort, got %v", err)
	}
	elapsed := time.Since(start)
	fmt.Fprintln(out, "abort event:", <-event)
	fmt.Fprintf(out, "Aborted! after %.1f s: %v\n", elapsed.Seconds(), strings.ReplaceAll(err.Error(), base, ""))

	// AbortSignalTimeout does the same without a controller, with a
	// TimeoutError.
	_, err = fetch.Fetch(ctx, base+"/fetch/hang", &fetch.RequestInit{Signal: fetch.AbortSignalTimeout(100 * time.Millisecond)})
	if !errors.Is(err, fetch.ErrTimeout) {
		return fmt.Errorf("want a timeout, got %v", err)
	}
	fmt.Fprintln(out, "With AbortSignalTimeout(100ms):", strings.ReplaceAll(err.Error(), base, ""))
	return nil
}

func fetchReadTwice(ctx context.Context, out io.Writer, base string) error {
	resp, err := fetch.Fetch(ctx, base+"/fetch/commits", nil)
	if err != nil {
		return err
	}
	text, err := resp.Text()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "response.text(): %d characters\n", len(text))
	var parsed any
	err = resp.JSON(&parsed)
	if !errors.Is(err, fetch.ErrBodyUsed) {
		return fmt.Errorf("want ErrBodyUsed, got %v", err)
	}
	fmt.Fprintln(out, "response.json() after that:", err)

	// Clone before reading to read twice.
	resp, err = fetch.Fetch(ctx, base+"/fetch/commits", nil)
	if err != nil {
		return err
	}
	clone, err := resp.Clone()
	if err != nil {
		return err
	}
	if _, err := clone.Text(); err != nil {
		return err
	}
	if err := resp.JSON(&parsed); err != nil {
		return err
	}
	fmt.Fprintf(out, "with response.clone(): text and json both read (%d commits)\n", len(parsed.([]any)))
	return nil
}
