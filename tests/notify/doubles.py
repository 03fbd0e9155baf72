"""Servers the alert tests talk to: a real SMTP server (aiosmtpd) and an SMS gateway.

The SMTP server is the real thing. The gateway is the test double of the paid SMS operator
(which cannot run here): a real HTTP server speaking the contract of ``securact.notify.sms``,
which records every request and answers what the test tells it to.
"""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

# --- SMTP ---------------------------------------------------------------------------------


class RecordingHandler:
    """Accepts every message and keeps it, parsed."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self.delay = delay

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.delay:
            time.sleep(self.delay)  # holds the connection, as a slow server does
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.envelopes.append(envelope)
        self.messages.append(parsed)
        return "250 2.0.0 Message accepted for delivery"


class RefusingHandler(RecordingHandler):
    """Answers every RCPT TO with a fixed reply, such as "550 5.1.1 …"."""

    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        return self.reply


@dataclass
class SmtpServer:
    """An aiosmtpd server on a fixed port, which may be started and stopped."""

    port: int
    handler: RecordingHandler = field(default_factory=RecordingHandler)
    _controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


# --- SMS gateway --------------------------------------------------------------------------


@dataclass(frozen=True)
class GatewayRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass(frozen=True)
class GatewayAnswer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class SmsGateway:
    """An HTTP server that records requests and answers from a queue (default: 200 + id)."""

    def __init__(self) -> None:
        self.requests: list[GatewayRequest] = []
        self._answers: deque[GatewayAnswer] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        # A short poll interval: shutdown() waits for it, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/sms"

    def answer(
        self,
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        """Queue the answer to the next request (``body``: JSON-able, or raw bytes)."""
        raw = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
        self._answers.append(GatewayAnswer(status, raw, headers or {}, delay))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_answer(self) -> GatewayAnswer:
        with self._lock:
            if self._answers:
                return self._answers.popleft()
            message_id = f"op-{len(self.requests):04d}"
        return GatewayAnswer(200, json.dumps({"id": message_id}).encode())

    def _record(self, request: GatewayRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self._serve()

            def do_GET(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                headers = {name.lower(): value for name, value in self.headers.items()}
                gateway._record(GatewayRequest(self.command, self.path, headers, body))
                answer = gateway._next_answer()
                if answer.delay:
                    time.sleep(answer.delay)
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep the test output clean

        return Handler
