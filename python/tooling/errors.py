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
