"""The distinctive part of a public entity's name, for similar-name checks.

"City of Winnoor", "Winnoor City" and "Town of Winnoor" share most of their trigrams with thousands of other members'
names ("city", " of", "county", "school district" …), so a trigram index cannot narrow a similar-name search on the
full names: pg_trgm's `%` matches a large part of a co-op's member list and the planner scans it all. Comparing the
names without those words lets a trigram index on this expression find the few candidates; callers then judge them on
the full names. The same expression must be used in the index and in the query (PostgreSQL matches them by shape)."""

from __future__ import annotations

from django.db.models import Func, Value
from django.db.models.functions import Lower

# Words every kind of public entity's name carries; never what tells two entities apart.
ENTITY_WORDS = (
    "city", "town", "township", "village", "borough", "county", "parish", "of", "the", "and", "unified",
    "independent", "consolidated", "public", "school", "schools", "district", "water", "fire", "protection",
    "rescue", "utility", "utilities", "authority", "department", "board", "commission", "special", "municipal",
    "metropolitan",
)  # fmt: skip
ENTITY_WORDS_PATTERN = r"\m(" + "|".join(ENTITY_WORDS) + r")\M"


def distinctive_name(expression) -> Func:
    """SQL: the lower-cased name with the entity words removed (`regexp_replace(lower(name), …, '', 'g')`)."""
    return Func(Lower(expression), Value(ENTITY_WORDS_PATTERN), Value(""), Value("g"), function="regexp_replace")
