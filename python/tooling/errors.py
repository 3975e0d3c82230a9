"""The package's own error types: every failure a user can cause or meet ends as one of these."""

from __future__ import annotations


class ToolingError(Exception):
    """A runtime failure (exit code 1): unreachable endpoint, missing table, failed verification."""

    exit_code = 1


class UsageError(ToolingError):
    """Bad input (exit code 2): a malformed file, an unknown table, app or pattern, a bad flag."""

    exit_code = 2


class InputFileError(UsageError):
    """A problem inside an input file, located by path and position within the document."""

    def __init__(self, path: str, where: str, problem: str) -> None:
        self.path = path
        self.where = where
        self.problem = problem
        location = f"{path}: {where}" if where else path
        super().__init__(f"{location}: {problem}")


class WriteStopped(ToolingError):
    """A write into a table stopped part-way: how many items were written, and how to resume."""

    def __init__(
        self, table: str, written: int, total: int | None, cause: str, *, interrupted: bool = False
    ) -> None:
        self.written = written
        if interrupted:
            self.exit_code = 130
        of = f" of {total:,}" if total is not None else ""
        super().__init__(
            f"{cause}: {written:,}{of} items were written to {table}; run the same "
            "command again to finish (items are put by key, so a rerun rewrites the same items "
            "and leaves no duplicates)"
        )


def describe(exc: BaseException) -> ToolingError:
    """Turn a library or AWS SDK exception into a one-line ToolingError."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
    )

    if isinstance(exc, ToolingError):
        return exc
    if isinstance(exc, EndpointConnectionError):
        return ToolingError(f"cannot reach the DynamoDB endpoint {exc.kwargs.get('endpoint_url')}")
    if isinstance(exc, NoCredentialsError):
        return ToolingError(
            "no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(exc, NoRegionError):
        return ToolingError("no AWS region: set AWS_REGION or pass --region")
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        op = getattr(exc, "operation_name", "request")
        return ToolingError(f"{op} failed: {err.get('Code', 'Error')}: {err.get('Message', '')}")
    if isinstance(exc, BotoCoreError):
        return ToolingError(str(exc))
    if isinstance(exc, OSError):
        return ToolingError(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    return ToolingError(f"unexpected {type(exc).__name__}: {exc}")
