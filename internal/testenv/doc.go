// Package testenv decides whether a test that needs a privileged or external
// resource (root, BTF, Kea, perfdhcp, MinIO, Chromium) runs, skips or fails.
//
// Outside CI such a test skips with a one-line reason. With CI=true it fails
// instead, because a CI run that silently skipped the eBPF or Kea tests would
// report green while testing nothing.
package testenv
