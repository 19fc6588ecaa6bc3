"""Evidence files (minh chứng): streamed upload, content checks, chunked storage."""
