"""The headless subcommands of ``dispatch-console``: network set-up, queries, audit."""

from console.domain.errors import ConsoleError

EXIT_OK, EXIT_UNREACHABLE, EXIT_INVALID, EXIT_DENIED = 0, 1, 2, 3
PASSWORD_ENV = "DISPATCH_CONSOLE_PASSWORD"
NEW_PASSWORD_ENV = "DISPATCH_CONSOLE_NEW_PASSWORD"  # operator add, reset, password
CENTER_PASSWORD_ENV = "DISPATCH_CONSOLE_CENTER_PASSWORD"  # the centre's console role


class FileUnusable(ConsoleError):
    """A file named on the command line cannot be read or used (exit 1, as documented)."""
