"""Domain errors of the review package; the CLI and the app turn them into messages."""


class ReviewError(Exception):
    """Base class for every error raised by the review package."""


class InvalidDecision(ReviewError):
    """A review decision or edit was rejected by validation (bad vocabulary, too long, ...)."""


class OutputFolderError(ReviewError):
    """The output folder lacks a table the review surface needs."""
