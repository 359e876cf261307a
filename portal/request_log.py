"""Structured logging: one JSON object per line, and one line per request.

The request line carries the method, the path, the status, the duration in milliseconds,
whether the page cache answered, the client's address (the reader's, behind the proxy:
portal/client.py) and, on a 429, which rate limit refused it. The query string is left out on
purpose: a practitioner's search can describe a child, and logs are kept and shared more widely
than the database.
"""

import json
import logging
import time
from datetime import UTC, datetime

from .client import client_address

logger = logging.getLogger("portal.requests")

# Set by the page cache (portal/caching.py): "hit" or "miss".
CACHE_STATUS_HEADER = "X-Page-Cache"

# Attributes every LogRecord has; anything else was passed in ``extra`` and is logged as a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestLogMiddleware:
    """Outermost middleware, so the duration covers everything, cache hits included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "cache": response.get(CACHE_STATUS_HEADER, "-"),
                "client": client_address(request),
                **({"limit": response.rate_limit} if hasattr(response, "rate_limit") else {}),
                **({"handed_to": "search pool"} if getattr(response, "search_pool", False) else {}),
            },
        )
        return response
