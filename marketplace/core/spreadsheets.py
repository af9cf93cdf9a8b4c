"""Cells we write for spreadsheets (CSV exports, error reports): one rule against formula injection, used by every
export (catalog, orders, admin fees, member directory, audit log)."""

from __future__ import annotations

FORMULA_START = frozenset("=+-@\t\r")


def neutralise(value: object) -> str:
    """For spreadsheets we write: a cell that could run as a formula is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text and text[0] in FORMULA_START else text
