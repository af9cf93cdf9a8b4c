"""Membership-agreement and member-directory routes in the isolation matrix (tests/core/test_isolation.py).

Co-op pages and API are for co-op staff and admins (every co-op role, so no 403 case); agency pages and API for
agency admins (the requester is refused with 403). Objects named in `extra` belong to world.coop / world.agency;
the `_other_*` builders name the same kind of object of world.other_coop / world.other_agency, which must answer
404 through the allowed member's own URL."""

from __future__ import annotations

from agencies.agreements.models import AgreementAcceptance, AgreementVersion
from marketplace.core.roles import OrgKind
from tests.agreements import helpers
from tests.isolation import Probe

AGENCY, COOP = OrgKind.AGENCY, OrgKind.COOPERATIVE
ADMIN = frozenset({"agency_admin"})
TITLE = "Probe Interlocal Agreement 77"
SIGNER = "Probe Signer Person"
SIGN = {"signer_name": "Probe Mayor", "signer_title": "Mayor", "authorized": "on"}
SIGN_API = {"signer_name": "Probe Mayor", "signer_title": "Mayor", "authorized": "true"}


def _cached(world, key, make):
    if not hasattr(world, key):
        setattr(world, key, make())
    return getattr(world, key)


def _version(world):
    row = _cached(world, "probe_agreement", lambda: helpers.version(world.coop, title=TITLE, label="PRB-7"))
    return {"version_id": row.pk}


def _other_version(world):
    row = _cached(
        world, "other_agreement", lambda: helpers.version(world.other_coop, title="Othertenant agreement", label="O-1")
    )
    return {"version_id": row.pk}


def _acceptance(world):
    """world.agency's signed acceptance of an earlier version of world.coop's agreement (so the current one,
    `_version`, is still to sign on the agency's page)."""

    def make():
        earlier = helpers.version(world.coop, title="Probe earlier agreement", label="PRB-6")
        row = helpers.acceptance(world.agency, earlier, by=world.agency_admin, signer_name=SIGNER, pdf=True)
        _version(world)
        return row

    return {"acceptance_id": _cached(world, "probe_acceptance", make).public_id}


def _other_acceptance(world):
    def make():
        _other_version(world)
        return helpers.acceptance(
            world.other_agency, world.other_agreement, by=world.other_agency_admin, signer_name="Othertenant Signer"
        )

    return {"acceptance_id": _cached(world, "other_acceptance", make).public_id}


def _shows_title(world):
    _version(world)
    return TITLE


def _shows_signer(world):
    _acceptance(world)
    return SIGNER


def _shows_signed_version(world):
    """The directory's agreement cell of world.agency: the version it signed."""
    _acceptance(world)
    return "Version PRB-6"


def _state(world):
    return (
        tuple(AgreementVersion.objects.values_list("pk", "label").order_by("pk")),
        tuple(AgreementAcceptance.objects.values_list("pk", "version_id", "agency_id").order_by("pk")),
    )


def _download(kind, build, other, **kwargs):
    roles = ADMIN if kind == AGENCY else None
    return Probe(kind, roles, method="options", extra=build, other_extra=other, shows=None, **kwargs)


MATRIX: dict[str, Probe] = {
    # co-op
    "coop-agreement": Probe(COOP, shows=_shows_title),
    "coop-agreement-version": Probe(COOP, extra=_version, other_extra=_other_version, shows=lambda w: "PRB-7"),
    "coop-agreement-source": _download(COOP, _version, _other_version),
    "coop-agreement-pdf": _download(COOP, _acceptance, _other_acceptance),
    "coop-member-directory": Probe(COOP, shows=_shows_signed_version),
    "coop-member-directory-export": Probe(COOP, shows=_shows_signed_version),
    "api-coop-agreements": Probe(COOP, api=True, shows=_shows_title),
    "api-coop-agreement-pdf": _download(COOP, _acceptance, _other_acceptance, api=True),
    "api-coop-member-directory": Probe(COOP, api=True, shows=_shows_signed_version),
    "api-coop-member-directory-export": Probe(COOP, api=True, shows=_shows_signed_version),
    # agency
    "agency-agreement": Probe(AGENCY, ADMIN, shows=_shows_signer),
    "agency-agreement-accept": Probe(
        AGENCY,
        ADMIN,
        method="post",
        data=SIGN,
        extra=_version,
        other_extra=_other_version,
        ok=(302,),
        snapshot=_state,
        shows=None,
    ),
    "agency-agreement-source": _download(AGENCY, _version, _other_version),
    "agency-agreement-pdf": _download(AGENCY, _acceptance, _other_acceptance),
    "api-agency-agreements": Probe(AGENCY, ADMIN, api=True, shows=_shows_title),
    "api-agency-agreement-accept": Probe(
        AGENCY,
        ADMIN,
        api=True,
        method="post",
        data=SIGN_API,
        extra=_version,
        other_extra=_other_version,
        ok=(201,),
        snapshot=_state,
        shows=None,
    ),
    "api-agency-agreement-pdf": _download(AGENCY, _acceptance, _other_acceptance, api=True),
}
