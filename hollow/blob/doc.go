// Package blob stores Hollow blobs and the announced version. Store is what
// a producer publishes to and a consumer reads from; FS is a directory with
// exactly the layout of Java's HollowFilesystemPublisher, BlobRetriever and
// Announcer (snapshot-<v>, delta-<from>-<to>, reversedelta-<from>-<to>,
// header-<v>, announced.version), so Java consumers can read it too. Other
// stores (S3, ...) implement the same interface.
package blob
