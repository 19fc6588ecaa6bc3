"""What the submissions service talks to beside its database and Kafka: the evidence files as they are uploaded."""
