// Package browsertest drives Debian's headless Chromium over CDP for the
// dashboard's tests, recording everything that means the page misbehaved:
// console errors, uncaught exceptions, CSP violations, JavaScript dialogs
// (an injected script ran) and <img> elements ever added to the document
// (a hostile string became markup). With CI=true a missing Chromium fails
// the test instead of skipping it.
package browsertest
