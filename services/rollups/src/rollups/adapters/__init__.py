"""What the rollups service uses to talk to the world beside the database and Kafka: its report renderers (xlsx,
PDF)."""
