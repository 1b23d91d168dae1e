"""An unexpected exception (a bug) as one line for the user, its traceback saved to a file.

With --debug (DEBUG = True) the traceback is printed on stderr instead.
"""

from __future__ import annotations

import sys
import tempfile
import traceback

from .errors import InternalError

DEBUG = False


def save_traceback(error: BaseException) -> str | None:
    """The traceback written to a new file in the temp dir; its path, None when it could not be written."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        with tempfile.NamedTemporaryFile(
            "w", prefix="posecheck-crash-", suffix=".txt", delete=False, encoding="utf-8"
        ) as f:
            f.write(text)
            return f.name
    except OSError:
        return None


def describe(error: BaseException) -> str:
    """`Type: message`, without a traceback."""
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def where_saved(error: BaseException) -> str:
    """' (traceback saved to PATH)', or '' with DEBUG (the traceback printed on stderr now)."""
    if DEBUG:
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
        return ""
    path = save_traceback(error)
    return f" (traceback saved to {path})" if path else ""


def internal_error(error: BaseException, during: str) -> InternalError:
    """The user's one line for a bug met `during` something ("the analysis")."""
    return InternalError(f"internal error during {during}: {describe(error)}{where_saved(error)}")


__all__ = ["DEBUG", "describe", "internal_error", "save_traceback", "where_saved"]
