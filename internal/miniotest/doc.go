// Package miniotest runs a real MinIO server on 127.0.0.1 for tests of the
// S3 store: started in a temporary directory, stoppable and restartable on
// the same port so tests can take the "Hollow server" away and bring it back.
package miniotest
