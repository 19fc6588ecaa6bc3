"""What the awards service uses to talk to the world beside the database and Kafka: its documents (PDF) and the
award-history workbook (.xlsx)."""
