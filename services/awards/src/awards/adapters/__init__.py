"""What the awards service uses to talk to the world beside the database and Kafka: its documents (PDF)."""
