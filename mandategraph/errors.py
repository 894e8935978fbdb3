"""The errors mandategraph raises on purpose, each with a documented exit code.

The CLI prints ``error: <message>`` on one line and exits with :attr:`exit_code`;
the HTTP API answers :attr:`http_status` with ``{"error", "detail", "status"}``.

=========================  =========  ======  ====================================
error                      exit code  HTTP    when
=========================  =========  ======  ====================================
MandategraphError          1          500     base class; anything unexpected
DocumentError              3          422     a document cannot be read/decoded
ExtractionError            3          422     a document was read, extraction failed
BadParameterError          2          400     an option or parameter value is wrong
PayloadTooLargeError       2          413     a body or query is over its size limit
UnknownFormatError         2          406     a serialization format is unknown
QueryNotFoundError         4          404     no canned query of that name
NotFoundError              4          404     no such resource
QuerySyntaxError           5          400     SPARQL does not parse (line/column)
QueryTimeoutError          6          503     a query ran past the timeout
StoreError                 7          503     the store cannot be opened or written
ValidationError            8          422     SHACL shapes or the reasoner reject data
ForbiddenError             9          403     an update without the token, a SERVICE
=========================  =========  ======  ====================================
"""

from __future__ import annotations


class MandategraphError(Exception):
    """Base class of the errors mandategraph raises on purpose."""

    exit_code = 1
    http_status = 500
    title = "internal error"

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def to_dict(self) -> dict[str, object]:
        """The JSON error body: ``{"error": title, "detail": message, "status": code}``."""
        detail = self.message if not self.detail else f"{self.message}\n{self.detail}"
        return {"error": self.title, "detail": detail, "status": self.http_status}


class DocumentError(MandategraphError):
    """A document is missing, unreadable, empty or not text."""

    exit_code = 3
    http_status = 422
    title = "document not readable"


class ExtractionError(MandategraphError):
    """A document was read but facts could not be extracted from it."""

    exit_code = 3
    http_status = 422
    title = "extraction failed"


class BadParameterError(MandategraphError):
    """An option or query parameter has a wrong value."""

    exit_code = 2
    http_status = 400
    title = "bad parameter"


class UnknownFormatError(BadParameterError):
    """A serialization or results format is not supported."""

    http_status = 406
    title = "unknown format"


class NotFoundError(MandategraphError):
    """A resource (document, activity, state...) does not exist."""

    exit_code = 4
    http_status = 404
    title = "not found"


class QueryNotFoundError(NotFoundError):
    """No canned query has that name."""

    title = "query not found"


class QuerySyntaxError(MandategraphError):
    """A SPARQL query or update does not parse."""

    exit_code = 5
    http_status = 400
    title = "query syntax error"

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message, detail=detail)
        self.line = line
        self.column = column

    def to_dict(self) -> dict[str, object]:
        body = super().to_dict()
        if self.line is not None:
            body["line"] = self.line
            body["column"] = self.column
        return body


class QueryTimeoutError(MandategraphError):
    """A query ran longer than the configured timeout and was stopped."""

    exit_code = 6
    http_status = 503
    title = "query timeout"


class StoreError(MandategraphError):
    """The store cannot be opened, locked, or written."""

    exit_code = 7
    http_status = 503
    title = "store unavailable"


class ValidationError(MandategraphError):
    """The data breaks the SHACL shapes or makes the ontology inconsistent."""

    exit_code = 8
    http_status = 422
    title = "validation failed"


class ForbiddenError(MandategraphError):
    """The operation is not allowed (update without token, SERVICE not allow-listed)."""

    exit_code = 9
    http_status = 403
    title = "forbidden"


class PayloadTooLargeError(BadParameterError):
    """A request body or query text is larger than the configured limit."""

    http_status = 413
    title = "payload too large"
