// Command sse shows the two ways webnet reads server-sent events, against
// a loopback server it starts itself (no flags, no network):
//
//   - an LLM-style one-shot stream: a POST with fetch, its body read with
//     eventsource.Parse as an iterator;
//   - a long-lived EventSource that reconnects after a dropped connection,
//     resuming with Last-Event-ID, until the server answers 204.
//
// Run it with
//
//	go run ./examples/sse
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"time"

	"github.com/webnet-go/webnet/eventsource"
	"github.com/webnet-go/webnet/fetch"
)

func main() {
	srv := httptest.NewServer(routes())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := completion(ctx, srv.URL); err != nil {
		log.Fatal(err)
	}
	if err := ticker(ctx, srv.URL); err != nil {
		log.Fatal(err)
	}
}

func routes() *http.ServeMux {
	mux := http.NewServeMux()
	// An LLM-style completion: the answer streamed token by token as JSON
	// deltas, ended by "[DONE]".
	mux.HandleFunc("POST /v1/completions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, tok := range []string{"Server", "-sent", " events", " are", " simple", "."} {
			b, _ := json.Marshal(map[string]string{"delta": tok})
			fmt.Fprintf(w, "data: %s\n\n", b)
			http.NewResponseController(w).Flush()
		}
		io.WriteString(w, "data: [DONE]\n\n")
	})
	// A ticker that drops the connection every three ticks; it resumes
	// after the Last-Event-ID and says 204 after tick 6.
	mux.HandleFunc("GET /ticks", func(w http.ResponseWriter, r *http.Request) {
		last, _ := strconv.Atoi(r.Header.Get("Last-Event-ID"))
		if last >= 6 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "retry: 100\n\n")
		for i := last + 1; i <= last+3; i++ {
			fmt.Fprintf(w, "event: tick\ndata: tick %d\nid: %d\n\n", i, i)
			http.NewResponseController(w).Flush()
		}
	})
	return mux
}

// completion posts a prompt and prints the streamed answer.
func completion(ctx context.Context, base string) error {
	resp, err := fetch.Fetch(ctx, base+"/v1/completions", &fetch.RequestInit{
		Method:  "POST",
		Headers: fetch.HeaderMap{"Content-Type": "application/json"},
		Body:    fetch.String(`{"prompt":"Describe SSE in one sentence."}`),
	})
	if err != nil {
		return err
	}
	body := resp.Body()
	defer body.Close()
	fmt.Print("completion: ")
	for ev, err := range eventsource.Parse(body) {
		if err != nil {
			return err
		}
		if ev.Data == "[DONE]" {
			break
		}
		var chunk struct{ Delta string }
		if err := json.Unmarshal([]byte(ev.Data), &chunk); err != nil {
			return err
		}
		fmt.Print(chunk.Delta)
	}
	fmt.Println()
	return nil
}

// ticker follows the tick stream through its reconnections.
func ticker(ctx context.Context, base string) error {
	done := make(chan error, 1)
	// finish reports the first outcome; a later error (the stream may fail
	// again before Close) must not block the EventSource's goroutine.
	finish := func(err error) {
		select {
		case done <- err:
		default:
		}
	}
	es, err := eventsource.New(ctx, base+"/ticks", &eventsource.EventSourceInit{
		Listeners: map[string]func(eventsource.MessageEvent){
			"tick": func(ev eventsource.MessageEvent) { fmt.Printf("%s (id %s)\n", ev.Data, ev.LastEventID) },
		},
		OnError: func(err error) {
			var re *eventsource.ResponseError
			switch {
			case errors.Is(err, io.EOF):
				fmt.Println("connection dropped; reconnecting")
			case errors.As(err, &re):
				fmt.Println("server said", re.Status, "- stopping")
				finish(nil)
			default:
				finish(err)
			}
		},
	})
	if err != nil {
		return err
	}
	defer es.Close()
	select {
	case err = <-done:
		return err
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "timed out")
		return ctx.Err()
	}
}
