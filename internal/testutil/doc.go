// Package testutil holds what webnet's tests share: locating the
// web-platform-tests conformance data, reporting a conformance result in the
// one-line form the project uses, and a goroutine-leak check modelled on
// net/http's afterTest.
//
// It is internal: nothing outside webnet's own tests may depend on it.
package testutil
