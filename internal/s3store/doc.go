// Package s3store keeps Hollow blobs and the announced version in an
// S3-compatible bucket (AWS S3, MinIO, ...) under a prefix per server, with
// the same object names as Java's filesystem layout (snapshot-<v>,
// delta-<a>-<b>, reversedelta-<b>-<a>, header-<v>, announced.version), so
// many Kea servers can publish to one bucket and consumers anywhere can
// follow each of them. It is the remote "Hollow server" of keascope.
package s3store
