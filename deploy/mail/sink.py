"""A catch-all SMTP server for the local stack: keeps every e-mail the platform sends in a Maildir for tests to read.

For development and CI only. Production sends through the province's real SMTP relay; nothing here is deployed there.

Listens on 127.0.0.1:$THIDUA_SMTP_PORT (default 18025), accepts any sender and recipient, and stores each message's
bytes unchanged in the Maildir at $THIDUA_MAILDIR (default `.stack/mail`), with one header added in front:
`X-Thidua-Envelope-To`, the RCPT TO addresses, which can differ from the To and Cc headers (Bcc, aliases).
Started and stopped by `deploy/stack` as the `mail` component; exits cleanly on SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import mailbox
import os
import signal
from email.parser import BytesHeaderParser
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
PORT = int(os.environ.get("THIDUA_SMTP_PORT", "18025"))
MAILDIR = Path(os.environ.get("THIDUA_MAILDIR", ROOT / ".stack" / "mail"))
ENVELOPE_HEADER = b"X-Thidua-Envelope-To"


def open_maildir(path: Path) -> mailbox.Maildir:
    path.parent.mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(path, factory=None, create=True)


def with_envelope(content: bytes, recipients: list[str]) -> bytes:
    """The message as received, preceded by the envelope recipients in the message's own line ending."""
    newline = b"\r\n" if b"\r\n" in content else b"\n"
    return ENVELOPE_HEADER + b": " + ", ".join(recipients).encode() + newline + content


class Sink:
    def __init__(self, maildir: mailbox.Maildir) -> None:
        self.maildir = maildir

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.maildir.add(with_envelope(content, envelope.rcpt_tos))
        message_id = BytesHeaderParser().parsebytes(content).get("Message-ID", "(no message-id)")
        print(f"received {message_id} for {len(envelope.rcpt_tos)} recipient(s), {len(content)} bytes", flush=True)
        return "250 Message accepted for delivery"


async def serve() -> None:
    sink = Sink(open_maildir(MAILDIR))
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="thidua-mail-sink", enable_SMTPUTF8=True, loop=loop), HOST, PORT
    )
    print(f"mail sink on smtp://{HOST}:{PORT}, storing into {MAILDIR}", flush=True)
    await stopping.wait()
    server.close()
    await server.wait_closed()
    print("mail sink stopped", flush=True)


if __name__ == "__main__":
    asyncio.run(serve())
