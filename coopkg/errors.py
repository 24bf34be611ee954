"""The one exception type the CLI turns into a one-line error message."""


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
