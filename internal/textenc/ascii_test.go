package textenc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLowerASCII(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"already lower":      "already lower",
		"Content-Type":       "content-type",
		"AZaz@[`{09":         "azaz@[`{09",
		"\u212A\xffK\u00C9":  "\u212A\xffk\u00C9", // only ASCII letters change
		"X-HTTP-Method-OVER": "x-http-method-over",
	} {
		got := LowerASCII(in)
		assert.Equal(t, want, got, "%q", in)
		assert.Len(t, got, len(in), "%q keeps its byte length", in)
	}
	s := "no upper case"
	assert.Zero(t, testing.AllocsPerRun(10, func() { s = LowerASCII(s) }), "nothing to change: no allocation")
	u := "Upper"
	assert.Equal(t, 1.0, testing.AllocsPerRun(10, func() { _ = LowerASCII(u) }), "one allocation")
}
