package dataurl

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProcess(t *testing.T) {
	tests := []struct {
		name     string
		href     string
		wantType string
		wantBody string
	}{
		{"default type", "data:,Hello%20World!", "text/plain;charset=US-ASCII", "Hello World!"},
		{"empty body", "data:,", "text/plain;charset=US-ASCII", ""},
		{"fragment dropped", "data:text/plain,a#b,c", "text/plain", "a"},
		{"base64 with fragment", "data:text/plain;base64,SGk=#frag", "text/plain", "Hi"},
		{"base64 case and spaces", "data:image/png;  BaSe64,SG k", "image/png", "Hi"},
		{"parameters only", "data:;charset=utf-8,x", "text/plain;charset=utf-8", "x"},
		{"invalid type falls back", "data:nonsense,x", "text/plain;charset=US-ASCII", "x"},
		{"stray percent kept", "data:,a%2g%", "text/plain;charset=US-ASCII", "a%2g%"},
		{"percent-encoded bytes", "data:application/octet-stream,%00%ff%FF", "application/octet-stream", "\x00\xff\xff"},
		{"base64 in a parameter is not the suffix", "data:x/x;y=base64,WA", "x/x;y=base64", "WA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Process(tt.href)
			require.NoError(t, err)
			require.NotNil(t, res.MIMEType)
			assert.Equal(t, tt.wantType, res.MIMEType.String())
			assert.NotNil(t, res.Body)
			assert.Equal(t, tt.wantBody, string(res.Body))
		})
	}
}

func TestProcessErrors(t *testing.T) {
	tests := []struct {
		name string
		href string
		want error
	}{
		{"other scheme", "https://example.com/,x", ErrNotDataURL},
		{"upper-case scheme is not serialized", "DATA:,x", ErrNotDataURL},
		{"no comma", "data:text/html", ErrNoComma},
		{"comma only in the fragment", "data:text/html#,x", ErrNoComma},
		{"bad base64 length", "data:;base64,WAW%3DX", ErrInvalidBase64},
		{"bad base64 character", "data:;base64,W*A", ErrInvalidBase64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Process(tt.href)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, res)
		})
	}
}

func TestErrorMessagesSayWhy(t *testing.T) {
	_, err := Process("data:text/html")
	require.Error(t, err)
	assert.Equal(t, "dataurl: data: URL has no comma", err.Error())

	_, err = ForgivingBase64Decode("ab*d")
	require.ErrorIs(t, err, ErrInvalidBase64)
	assert.Contains(t, err.Error(), "offset 2")

	_, err = ForgivingBase64Decode("abcde")
	require.ErrorIs(t, err, ErrInvalidBase64)
	assert.Contains(t, err.Error(), "length")
}

func TestForgivingBase64DecodeDoesNotModifyInput(t *testing.T) {
	in := " S G k = "
	out, err := ForgivingBase64Decode(in)
	require.NoError(t, err)
	assert.Equal(t, "Hi", string(out))
	assert.Equal(t, " S G k = ", in)
}
