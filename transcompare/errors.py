"""Errors that reach the user as one clear line.

Library code raises these; ``cli.py`` turns them into a message and an exit code.
"""
from __future__ import annotations


class TranscompareError(Exception):
    """Base class: anything the user can fix. ``exit_code`` is what the CLI returns."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class InputError(TranscompareError):
    """A file that cannot be read as a document (missing, binary, empty, undecodable...)."""


class LanguageError(TranscompareError):
    """The language of a document cannot be told, or is not supported by a backend."""


class BackendError(TranscompareError):
    """An encoder, translation model or segmenter that is unknown or cannot run here."""


class UsageError(TranscompareError):
    """Options that do not make sense together."""
