package dataurl_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/webnet-go/webnet/internal/dataurl"
	"github.com/webnet-go/webnet/internal/testutil"
	"github.com/webnet-go/webnet/url"
)

// TestWPTDataURLs runs fetch/data-urls/data-urls.json: each input goes
// through the URL parser (which strips whitespace and percent-encodes, as
// fetch(input) does) and the serialized URL through Process. A null MIME
// type means a network error: the URL does not parse, or Process fails.
func TestWPTDataURLs(t *testing.T) {
	var cases [][]json.RawMessage
	testutil.LoadWPTJSON(t, "fetch/data-urls/data-urls.json", &cases)
	c := testutil.NewConformance(t, "data-urls.json")
	for _, tc := range cases {
		var input string
		var wantType *string
		var wantBody []int
		if len(tc) < 2 || json.Unmarshal(tc[0], &input) != nil || json.Unmarshal(tc[1], &wantType) != nil ||
			(len(tc) > 2 && json.Unmarshal(tc[2], &wantBody) != nil) {
			c.Fail(fmt.Sprint(tc), "malformed case")
			continue
		}
		name := fmt.Sprintf("%q", input)

		u, err := url.Parse(input)
		var res *dataurl.Result
		if err == nil {
			res, err = dataurl.Process(u.Href())
		}
		switch {
		case wantType == nil:
			c.Check(err != nil, name, "got %s, want a network error", describe(res))
		case err != nil:
			c.Fail(name, "error %v, want %q", err, *wantType)
		default:
			body := make([]byte, len(wantBody))
			for i, v := range wantBody {
				body[i] = byte(v)
			}
			got := res.MIMEType.String()
			c.Check(got == *wantType && slices.Equal(body, res.Body), name,
				"got %q %v, want %q %v", got, res.Body, *wantType, body)
		}
	}
}

func describe(res *dataurl.Result) string {
	if res == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%q %v", res.MIMEType.String(), res.Body)
}
