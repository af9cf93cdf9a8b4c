"""`Probe`: how the isolation matrix (tests/core/test_isolation.py) exercises one tenant route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Probe:
    """kind: the organization kind in the URL. roles: roles allowed (None = any member). api: JSON errors.

    extra(world) -> {url_kwarg: value} for URL arguments besides `org`, naming an object that belongs to
    the probed organization (world.agency / world.supplier / world.coop, whichever `kind` says).
    method/data: the request to send (a POST is sent by every actor; only the allowed one may succeed).
    ok: statuses that count as success for the allowed member.
    snapshot(world) -> tuple of values that must not change when the request is refused.
    shows(world) -> a string the allowed member's GET response must contain (default: the org's name).
    """

    kind: str
    roles: frozenset[str] | None = None
    api: bool = False
    method: str = "get"
    data: dict[str, Any] | None = None
    extra: Callable[[Any], dict[str, Any]] | None = None
    ok: tuple[int, ...] = (200,)
    snapshot: Callable[[Any], tuple] = field(default=lambda world: ())
    shows: Callable[[Any], str] = field(default=lambda world: "\x00never\x00")
