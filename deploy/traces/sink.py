"""An OTLP/HTTP trace receiver for the local stack: keeps every span the services export, one JSON line each.

For development and CI only (production exports to the province's collector: OTEL_EXPORTER_OTLP_ENDPOINT). Listens
on 127.0.0.1:$THIDUA_TRACE_PORT (default 18318) for `POST /v1/traces` (protobuf, as the services' exporter sends)
and appends each span to $THIDUA_TRACE_DIR/spans.jsonl (default `.stack/traces`), moved aside to spans.1.jsonl at
64 MB so a long run cannot fill the disk. Started and stopped by `deploy/stack` as the `traces` component.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
PORT = int(os.environ.get("THIDUA_TRACE_PORT", "18318"))
DIRECTORY = Path(os.environ.get("THIDUA_TRACE_DIR", ROOT / ".stack" / "traces"))
ROTATE_AT = 64 * 1024 * 1024


def value_of(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind in ("string_value", "bool_value", "int_value", "double_value") else str(value)


def spans_of(request: ExportTraceServiceRequest) -> list[dict[str, Any]]:
    found = []
    for resource_spans in request.resource_spans:
        resource = {a.key: value_of(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                found.append(
                    {
                        "trace_id": span.trace_id.hex(),
                        "span_id": span.span_id.hex(),
                        "parent_span_id": span.parent_span_id.hex(),
                        "name": span.name,
                        "kind": span.kind,
                        "service": resource.get("service.name"),
                        "process": resource.get("thidua.process"),
                        "start_ns": span.start_time_unix_nano,
                        "end_ns": span.end_time_unix_nano,
                        "attributes": {a.key: value_of(a.value) for a in span.attributes},
                    }
                )
    return found


class Spans:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "spans.jsonl"
        self.lock = threading.Lock()

    def add(self, spans: list[dict[str, Any]]) -> None:
        lines = "".join(json.dumps(span, ensure_ascii=False) + "\n" for span in spans)
        with self.lock:
            if self.path.exists() and self.path.stat().st_size > ROTATE_AT:
                self.path.replace(self.path.with_name("spans.1.jsonl"))
            with self.path.open("a", encoding="utf-8") as out:
                out.write(lines)


def handler_for(spans: Spans) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path != "/v1/traces":
                self.send_error(404)
                return
            request = ExportTraceServiceRequest()
            try:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                request.ParseFromString(body)
            except Exception:
                self.send_error(400, "not an OTLP protobuf trace export")
                return
            spans.add(spans_of(request))
            answer = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def do_GET(self) -> None:  # readiness for deploy/stack
            self.send_response(200 if self.path == "/health" else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, _format: str, *_args: Any) -> None:
            return

    return Handler


def main() -> None:
    server = ThreadingHTTPServer((HOST, PORT), handler_for(Spans(DIRECTORY)))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"trace sink on http://{HOST}:{PORT}/v1/traces, spans kept in {DIRECTORY}/spans.jsonl", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
