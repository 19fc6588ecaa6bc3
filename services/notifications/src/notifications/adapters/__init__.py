"""What the notifications service talks to beside its database and Kafka: the directory of people (Keycloak) and
the outbound channels (SMTP, webhooks)."""
