"""Errors the services raise for the UI and the CLI to show as they are."""


class ValidationError(ValueError):
    """Bad input. ``field`` names the form field / CLI option; the message says how to fix it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(LookupError):
    """A record named by the user does not exist (the message is one sentence)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "Not found."


class AccessDenied(Exception):
    """The session's role may not do this (captain mode); the message is one sentence."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "Not available in this mode."
