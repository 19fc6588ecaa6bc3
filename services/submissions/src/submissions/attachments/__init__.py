"""Evidence files (minh chứng): streamed upload (their chunks are stored by `submissions.repositories`)."""
