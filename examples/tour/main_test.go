package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tour is the README's main command: it must run every chapter to the
// end against its own loopback server.
func TestTourRunsEveryChapter(t *testing.T) {
	var out strings.Builder
	require.NoError(t, tour(t.Context(), &out))
	assert.Contains(t, out.String(), "Tour complete.")
	require.NotEmpty(t, chapters, "no chapter registered itself")
	for _, c := range chapters {
		assert.Contains(t, out.String(), c.title)
	}
}
