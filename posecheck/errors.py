"""User-facing errors: each carries a one-line message the CLI prints as is."""

from __future__ import annotations


class PosecheckError(Exception):
    """An error the user can act on; the CLI prints its message and exits non-zero."""

    exit_code = 2


class InputError(PosecheckError):
    """A video, photo, camera or URL that cannot be opened or read."""


class SourceLostError(PosecheckError):
    """A source that stopped delivering frames in the middle of a session."""

    exit_code = 3


class NoPersonError(PosecheckError):
    """No person was found for too long."""

    exit_code = 4


class ConfigError(PosecheckError):
    """A bad option or configuration value."""


class ModelError(PosecheckError):
    """The pose model file is missing, corrupt or not a MediaPipe task."""


class EstimatorLostError(PosecheckError):
    """The pose estimator's process died or stopped answering mid-session."""

    exit_code = 3


class WorkerError(PosecheckError):
    """A worker (decoder, estimator, drawing/encoding, voice) failed or stopped answering mid-session."""

    exit_code = 3


class InternalError(PosecheckError):
    """A bug: an unexpected exception, reported in one line (the traceback is saved to a file)."""

    exit_code = 70  # EX_SOFTWARE


class RunInterrupted(PosecheckError):
    """A run stopped by a signal (interrupt.py); the CLI exits 128 + its number, not this code."""

    exit_code = 130
