// Package e2e tests keascope as an operator runs it: the built binary's
// `monitor` against a real Kea in the lab, under perfdhcp load, publishing
// to a local store mirrored to a real MinIO, killed and restarted, with
// Kea killed under it, and its dashboard opened in a real Chromium.
package e2e
