"""A limit on request bodies, for every route (``MANDATEGRAPH_MAX_QUERY_BYTES``).

Without it one request could make the server buffer any amount of data before a
route saw it. The limit is enforced where the body is read: a request that declares
a larger ``Content-Length``, or streams more bytes than the limit, makes the read
raise :class:`~mandatemandategraph.errors.PayloadTooLargeError`, which the application's error
handler turns into a 413 with the usual ``{"error", "detail", "status"}`` body. Nothing
of such a body is kept beyond the limit.
"""

from __future__ import annotations

from typing import Any

from mandategraph.errors import PayloadTooLargeError

Scope = dict[str, Any]
Message = dict[str, Any]


class BodyLimit:
    """ASGI middleware: bodies over ``max_bytes`` fail as they are read."""

    def __init__(self, app: Any, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self, size: int | None) -> PayloadTooLargeError:
        said = f"{size:,} bytes" if size is not None else "more"
        return PayloadTooLargeError(
            f"the request body is {said}; the limit is {self.max_bytes:,} bytes "
            "(MANDATEGRAPH_MAX_QUERY_BYTES)"
        )

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared: int | None = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = None
                break
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            if declared is not None and declared > self.max_bytes:
                raise self._too_large(declared)
            message: Message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise self._too_large(None)
            return message

        await self.app(scope, limited_receive, send)
