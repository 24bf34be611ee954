"""The one exception type the CLI turns into a one-line error message, and how a server's
answer is quoted in such a message."""

from __future__ import annotations

import re


class CoopkgError(Exception):
    """An error the user can act on: bad input, a parse error, a refused request.

    ``exit_code`` is 2 (usage, input, parse, network or runtime error) unless a caller says
    otherwise. The message is printed as ``coopkg: error: <message>`` on one line, followed by
    the ``context`` lines (indented) when there are any.
    """

    def __init__(self, message: str, exit_code: int = 2, context: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        # Lines shown after the error line, indented: e.g. a query's line and a caret under the
        # error's column. The error line itself stays complete on its own.
        self.context = list(context or [])

    def __str__(self) -> str:
        return self.message


def excerpt(body: bytes | str | None, limit: int, *, markup: bool = False) -> str:
    """The first words of a server's answer on one line: at most `limit` characters, then "…"
    where it was cut; with markup, HTML tags are removed first (an error page's text)."""
    if body is None:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    if markup:
        text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
