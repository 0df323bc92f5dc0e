package textenc

import "unsafe"

// LowerASCII returns s with its ASCII upper-case letters lower-cased and
// every other byte kept, so that the result has the same length and byte
// offsets as s. It returns s itself, allocating nothing, when s has no
// upper-case ASCII letter, and allocates once otherwise.
//
// Spec: https://infra.spec.whatwg.org/#ascii-lowercase
func LowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return unsafe.String(unsafe.SliceData(b), len(b)) // b is not used again
		}
	}
	return s
}
