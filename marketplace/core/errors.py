"""Domain errors. Services raise `ApplicationError`; the API handler renders it as the documented JSON."""

from __future__ import annotations


class ApplicationError(Exception):
    status_code = 400

    def __init__(self, code: str, message: str, fields: dict[str, list[str]] | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        if status is not None:
            self.status_code = status
