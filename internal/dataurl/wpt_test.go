package dataurl

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/webnet-go/webnet/internal/testutil"
)

// TestWPTBase64 runs fetch/data-urls/base64.json: each input decodes to the
// given bytes, or fails where the expected output is null.
func TestWPTBase64(t *testing.T) {
	var cases [][2]json.RawMessage
	testutil.LoadWPTJSON(t, "fetch/data-urls/base64.json", &cases)
	c := testutil.NewConformance(t, "base64.json")
	for _, tc := range cases {
		var input string
		var want []byte
		if err := json.Unmarshal(tc[0], &input); err != nil {
			c.Fail(string(tc[0]), "bad case: %v", err)
			continue
		}
		wantFailure := string(tc[1]) == "null"
		if !wantFailure {
			var ints []int
			if err := json.Unmarshal(tc[1], &ints); err != nil {
				c.Fail(input, "bad case: %v", err)
				continue
			}
			want = bytesOf(ints)
		}
		got, err := ForgivingBase64Decode(input)
		switch {
		case wantFailure:
			c.Check(err != nil, fmt.Sprintf("%q", input), "decoded to %v, want failure", got)
		case err != nil:
			c.Fail(fmt.Sprintf("%q", input), "error %v, want %v", err, want)
		default:
			c.Check(slices.Equal(want, got), fmt.Sprintf("%q", input), "got %v, want %v", got, want)
		}
	}
}

func bytesOf(ints []int) []byte {
	b := make([]byte, len(ints))
	for i, v := range ints {
		b[i] = byte(v)
	}
	return b
}
