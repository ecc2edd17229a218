// Package labtest starts a lab for a test and removes it when the test ends,
// failing or skipping (outside CI) when root or Kea are missing.
package labtest
