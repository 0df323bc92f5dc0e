package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/xhr"
)

// The XMLHttpRequest chapter: the tutorial's reason to still use XHR,
// upload progress, drawn as a text progress bar while a 16 MiB file goes
// to a server that reads it at a limited pace; then the response, and a
// JSON download with its own progress.
func init() {
	register(chapter{
		order:  30,
		title:  "XMLHttpRequest: upload progress",
		routes: xhrRoutes,
		run:    xhrRun,
	})
}

const xhrUploadSize = 16 << 20

func xhrRoutes(mux *http.ServeMux) {
	mux.HandleFunc("/xhr/upload", func(w http.ResponseWriter, r *http.Request) {
		// Read 1 MiB every 20 ms, like a slow uplink, so that the
		// progress bar has something to show.
		var n int64
		buf := make([]byte, 32<<10)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			m, err := io.CopyBuffer(io.Discard, io.LimitReader(r.Body, 1<<20), buf)
			n += m
			if err != nil || m < 1<<20 {
				break
			}
			<-tick.C
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"received": %d, "file": %q}`, n, r.Header.Get("X-File-Name"))
	})
}

// progressBar renders loaded of total as a 30-character bar.
func progressBar(e xhr.ProgressEvent) string {
	if !e.LengthComputable {
		return fmt.Sprintf("[%s] %d bytes", strings.Repeat("?", 30), e.Loaded)
	}
	filled := int(e.Loaded * 30 / e.Total)
	return fmt.Sprintf("[%s%s] %3d%% %5.1f of %.1f MiB", strings.Repeat("#", filled), strings.Repeat(".", 30-filled),
		e.Loaded*100/e.Total, float64(e.Loaded)/(1<<20), float64(e.Total)/(1<<20))
}

func xhrRun(ctx context.Context, out io.Writer, base string) error {
	// A file to upload: 16 MiB made in memory (blob.OpenFile would stream
	// one from disk just the same).
	file := blob.NewFile([]blob.BlobPart{blob.Bytes(make([]byte, xhrUploadSize))}, "video.bin",
		&blob.FilePropertyBag{Type: "application/octet-stream"})

	x := xhr.New(ctx, &xhr.Options{BaseURL: base})
	done := make(chan struct{})
	var failure error
	x.Upload().OnLoadStart(func(e xhr.ProgressEvent) { fmt.Fprintln(out, "upload started:", progressBar(e)) })
	x.Upload().OnProgress(func(e xhr.ProgressEvent) { fmt.Fprintln(out, "  ", progressBar(e)) })
	x.Upload().OnLoad(func(xhr.ProgressEvent) { fmt.Fprintln(out, "Upload finished successfully.") })
	x.OnError(func(err error) { failure = err })
	x.OnTimeout(func(xhr.ProgressEvent) { failure = errors.New("timed out") })
	x.OnLoadEnd(func(xhr.ProgressEvent) { close(done) })
	if err := x.SetTimeout(20 * time.Second); err != nil {
		return err
	}
	if err := x.SetResponseType(xhr.ResponseTypeJSON); err != nil {
		return err
	}
	if err := x.Open("POST", "/xhr/upload"); err != nil {
		return err
	}
	if err := x.SetRequestHeader("X-File-Name", file.Name()); err != nil {
		return err
	}
	if err := x.Send(file); err != nil {
		return err
	}
	select {
	case <-done:
	case <-ctx.Done():
		x.Abort()
		return ctx.Err()
	}
	if failure != nil {
		return failure
	}
	reply, ok := x.Response().(map[string]any)
	if !ok {
		return fmt.Errorf("unexpected response %v", x.Response())
	}
	received, _ := reply["received"].(float64) // JSON numbers decode as float64
	fmt.Fprintf(out, "server: %d %s, received %.0f bytes of %v\n", x.Status(), x.StatusText(), received, reply["file"])
	if received != xhrUploadSize {
		return fmt.Errorf("server received %.0f bytes, want %d", received, xhrUploadSize)
	}
	return nil
}
