"""The one exception type the CLI turns into a one-line error message."""


class CoopkgError(Exception):
    """An error the user can act on: bad input, a parse error, a refused request.

    ``exit_code`` is 2 (usage, input, parse, network or runtime error) unless a caller says
    otherwise. The message is printed as ``coopkg: error: <message>`` on one line.
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message
