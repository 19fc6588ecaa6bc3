#!/usr/bin/env python3
"""Readiness probe for the local Kafka broker.

Usage: python deploy/kafka/ready.py [BOOTSTRAP]   (default 127.0.0.1:19092)
Exits 0 when an AdminClient can list topics within 2 s, else 1.
Needs confluent-kafka in the interpreter's environment.
"""

import sys


def main() -> int:
    bootstrap = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:19092"
    try:
        from confluent_kafka.admin import AdminClient
    except ImportError as exc:  # not installed in this environment
        print(f"ready.py: {exc}", file=sys.stderr)
        return 1
    admin = AdminClient(
        {
            "bootstrap.servers": bootstrap,
            "socket.connection.setup.timeout.ms": 2000,
            "reconnect.backoff.max.ms": 200,
            "log_level": 0,  # keep librdkafka quiet while the broker is still down
            "logger": _Silent(),
        }
    )
    try:
        admin.list_topics(timeout=2)
        return 0
    except Exception:
        return 1


class _Silent:
    """A logging.Logger stand-in that drops librdkafka's log lines."""

    def log(self, *args, **kwargs):
        pass


if __name__ == "__main__":
    sys.exit(main())
