"""Reading the e-mails the platform sent, as kept by the local stack's mail sink (deploy/mail/sink.py) in a Maildir.

The sink adds `X-Thidua-Envelope-To` (the SMTP RCPT TO addresses) in front of each message; a message is "to" an
address when that header or the To header names it, ignoring case. Messages arrive asynchronously: poll with a
deadline. The Maildir is read directly (new/ and cur/), so this module does not need the standard `mailbox` module,
whose name it shares.
"""

from __future__ import annotations

import os
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAILDIR = Path(os.environ.get("THIDUA_MAILDIR") or Path(os.environ.get("THIDUA_STACK_DIR", ROOT / ".stack")) / "mail")
ENVELOPE_HEADER = "X-Thidua-Envelope-To"


def delivered_files() -> list[Path]:
    """Every message file in the Maildir, oldest delivery first."""
    stamped: list[tuple[int, str, Path]] = []
    for folder in ("new", "cur"):
        try:
            entries = list(os.scandir(MAILDIR / folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                stamped.append((entry.stat().st_mtime_ns, entry.name, Path(entry.path)))
            except FileNotFoundError:  # moved from new/ to cur/ meanwhile
                continue
    return [path for _, _, path in sorted(stamped)]


_DELIVERY_OF: dict[str, str] = {}  # message file name → its X-Thidua-Delivery (delivered files never change)


def delivery_ids() -> list[str]:
    """The `X-Thidua-Delivery` of every message received, one per message (a repeat shows twice); reads headers only,
    and each file once per process, so it stays quick with tens of thousands of messages."""
    parser = BytesParser(policy=policy.compat32)
    ids: list[str] = []
    for path in delivered_files():
        if path.name not in _DELIVERY_OF:
            try:
                with path.open("rb") as file:
                    headers = parser.parse(file, headersonly=True)
            except FileNotFoundError:
                continue
            _DELIVERY_OF[path.name] = str(headers.get("X-Thidua-Delivery", ""))
        ids.append(_DELIVERY_OF[path.name])
    return ids


def all_messages() -> list[EmailMessage]:
    parser = BytesParser(policy=policy.default)
    messages: list[EmailMessage] = []
    for path in delivered_files():
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        messages.append(parser.parsebytes(data))
    return messages


def addressed(message: EmailMessage, header: str) -> set[str]:
    return {address.lower() for _, address in getaddresses([str(value) for value in message.get_all(header, [])])}


def messages_to(address: str) -> list[EmailMessage]:
    """Messages whose envelope or To header names the address (case-insensitive), oldest first."""
    wanted = address.strip().lower()
    return [
        message
        for message in all_messages()
        if wanted in addressed(message, ENVELOPE_HEADER) or wanted in addressed(message, "To")
    ]


def messages_about(address: str, header: str, value: str) -> list[EmailMessage]:
    """Messages to the address carrying `header: value`, e.g. ("X-Thidua-Subject", aggregate id), oldest first."""
    return [message for message in messages_to(address) if value in (str(v) for v in message.get_all(header, []))]
