"""Onboarding member agencies: the public join application, the co-op staff review queue, bulk CSV onboarding and
`agency_onboard`, the one service that brings an agency in (used by approval and by the import)."""
