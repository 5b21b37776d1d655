"""A real SMTP server for LearnHub's tests (aiosmtpd, from Debian's python3-aiosmtpd).

Every accepted message is written twice into --dir: the raw message as NNNNNN.eml and what Python's own email parser
read from it as NNNNNN.json (envelope, headers, text and HTML parts, calendar parts with their METHOD), so the .NET
tests check what a real mail client would see without a MIME parser of their own. The JSON file is written last and
renamed into place, so a reader never sees half a message.

    /usr/bin/python3 tests/tools/smtp_sink.py --port 2525 --dir /tmp/mail
    /usr/bin/python3 tests/tools/smtp_sink.py --port 2525 --discard      # count only (benchmarks)
    /usr/bin/python3 tests/tools/smtp_sink.py --port 2525 --dir /tmp/mail --refuse @gone.example

--refuse SUFFIX answers RCPT TO for addresses ending in SUFFIX with 550, as a server does for a mailbox it does not
have, so tests can check what a per-recipient refusal does to the message and to the connection.
"""
import argparse
import asyncio
import email
import email.policy
import itertools
import json
import os
import signal

from aiosmtpd.controller import Controller


class CountingHandler:
    """--discard: accept and count only (benchmarks), so the sink is not what limits the sender."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 Message accepted for delivery"


class SavingHandler:
    def __init__(self, directory, refuse=None):
        self.directory = directory
        self.refuse = refuse
        existing = [int(n[:6]) for n in os.listdir(directory) if n.endswith(".json")]
        self.counter = itertools.count(max(existing, default=0) + 1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and address.lower().endswith(self.refuse.lower()):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        raw = envelope.original_content or envelope.content
        base = os.path.join(self.directory, f"{number:06d}")
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parsed = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "messageId": str(message.get("Message-ID", "")),
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "subject": str(message.get("Subject", "")),
            "text": None,
            "html": None,
            "calendars": [],
        }
        for part in message.walk():
            if part.is_multipart():
                continue
            content_type = part.get_content_type()
            if content_type == "text/plain" and parsed["text"] is None and part.get_filename() is None:
                parsed["text"] = part.get_content()
            elif content_type == "text/html" and parsed["html"] is None:
                parsed["html"] = part.get_content()
            elif content_type in ("text/calendar", "application/ics"):
                content = part.get_content()
                if isinstance(content, bytes):
                    content = content.decode("utf-8")
                parsed["calendars"].append({
                    "contentType": content_type,
                    "method": part.get_param("method"),
                    "filename": part.get_filename(),
                    "content": content,
                })
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(parsed, f)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir")
    parser.add_argument("--discard", action="store_true")
    parser.add_argument("--refuse")
    args = parser.parse_args()
    if args.discard:
        handler = CountingHandler()
    else:
        os.makedirs(args.dir, exist_ok=True)
        handler = SavingHandler(args.dir, args.refuse)
    controller = Controller(handler, hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"listening on 127.0.0.1:{args.port}", flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()
    if args.discard:
        print(f"accepted {handler.count}", flush=True)


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    main()
