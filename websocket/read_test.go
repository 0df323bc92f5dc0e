package websocket

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadMessage(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		limit   int64
		hint    int
		tooBig  bool
		oneByte bool
	}{
		{name: "empty", size: 0, limit: 10, hint: 512},
		{name: "under the hint", size: 100, limit: -1, hint: 512},
		{name: "exactly the hint", size: 512, limit: -1, hint: 512},
		{name: "over the hint", size: 5000, limit: -1, hint: 512},
		{name: "exactly the limit", size: 1000, limit: 1000, hint: 512},
		{name: "limit and hint equal", size: 1000, limit: 1000, hint: 1001},
		{name: "one over the limit", size: 1001, limit: 1000, hint: 512, tooBig: true},
		{name: "far over the limit", size: 100000, limit: 1000, hint: 4096, tooBig: true},
		{name: "zero limit", size: 1, limit: 0, hint: 512, tooBig: true},
		{name: "one byte reads", size: 3000, limit: 5000, hint: 16, oneByte: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := strings.Repeat("m", tt.size)
			var r io.Reader = strings.NewReader(msg)
			if tt.oneByte {
				r = iotest.OneByteReader(r)
			}
			got, err := readMessage(r, tt.limit, tt.hint)
			if tt.tooBig {
				assert.ErrorIs(t, err, ErrMessageTooBig)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, msg, string(got))
		})
	}
}

func TestReadMessageError(t *testing.T) {
	boom := errors.New("boom")
	_, err := readMessage(io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(boom)), -1, 2)
	assert.ErrorIs(t, err, boom)
}

func TestReadyStateString(t *testing.T) {
	assert.Equal(t, "CONNECTING", StateConnecting.String())
	assert.Equal(t, "OPEN", StateOpen.String())
	assert.Equal(t, "CLOSING", StateClosing.String())
	assert.Equal(t, "CLOSED", StateClosed.String())
	assert.Equal(t, "ReadyState(7)", ReadyState(7).String())
}

func TestGoid(t *testing.T) {
	here := goid()
	assert.NotZero(t, here)
	assert.Equal(t, here, goid())
	other := make(chan uint64)
	go func() { other <- goid() }()
	assert.NotEqual(t, here, <-other)
}
