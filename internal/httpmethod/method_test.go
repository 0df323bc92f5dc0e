package httpmethod

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"get": "GET", "Post": "POST", "delete": "DELETE", "head": "HEAD", "options": "OPTIONS", "pUt": "PUT",
		"patch": "patch", "PATCH": "PATCH", "custom": "custom",
	} {
		assert.Equal(t, want, Normalize(in), "%q", in)
	}
}

func TestForbidden(t *testing.T) {
	for _, m := range []string{"CONNECT", "connect", "Trace", "track"} {
		assert.True(t, Forbidden(m), "%q", m)
	}
	for _, m := range []string{"GET", "POST", "CONNECTS", "tracks", ""} {
		assert.False(t, Forbidden(m), "%q", m)
	}
}
