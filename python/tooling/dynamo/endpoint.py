"""Telling a lost endpoint from a busy one.

A connection that cannot even be made (refused, no route, DNS failure: botocore's
EndpointConnectionError, already tried aws.CONNECT_ATTEMPTS times) means the endpoint is gone, not
slow: retrying it for minutes only hides the cause. Dropped connections and timeouts on a live
endpoint stay retryable. The writer and the verifier stop as soon as botocore gives up connecting
and say so: "lost connection to URL while ...".
"""

from __future__ import annotations

from botocore.exceptions import EndpointConnectionError

from tooling.errors import ToolingError


class EndpointLost(ToolingError):
    """The DynamoDB endpoint stopped accepting connections part-way (exit 1)."""

    def __init__(self, url: str, doing: str) -> None:
        self.url = url
        super().__init__(f"lost connection to {url} while {doing}")


def unreachable(exc: BaseException) -> str | None:
    """The endpoint URL if `exc` says no connection could be made to it, else None."""
    if isinstance(exc, EndpointConnectionError):
        return str(exc.kwargs.get("endpoint_url") or "the endpoint").rstrip("/")
    return None
