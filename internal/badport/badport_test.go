package badport

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBlocked(t *testing.T) {
	for _, p := range []int{0, 1, 25, 6000, 6697, 10080} {
		assert.True(t, Blocked(p), "port %d", p)
	}
	for _, p := range []int{-1, 80, 443, 8080, 6001, 10081} {
		assert.False(t, Blocked(p), "port %d", p)
	}
	assert.Len(t, ports, 83, "the spec's list, port 0 included")
}
