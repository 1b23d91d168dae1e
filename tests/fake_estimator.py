"""Fake estimator children for EstimatorProcess(target=...): importable on their own (spawned processes)."""

from __future__ import annotations

from multiprocessing.connection import Connection


def never_answers(conn: Connection, *args: object) -> None:
    """Ready, then silent, as a child hung in native code."""
    conn.send(("ready", None))
    while True:
        try:
            conn.recv()
        except EOFError:
            return
