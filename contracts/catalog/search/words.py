"""The catalog's unique words (`SearchWord`), the dictionary typo tolerance looks words up in.

Words come from item names, manufacturers and category paths through PostgreSQL's own parser
(`ts_stat` over `to_tsvector('simple', …)`), so they are the same tokens a query is split into. Words
with digits (part numbers, sizes such as `12v`) are left out: they are matched by prefix, not corrected.
"""

from __future__ import annotations

from django.db import connection

# Adds the words of the items the text query (its one parameter) selects, with how many of them use each word.
SEARCH_WORDS_SQL = """
INSERT INTO contracts_searchword (word, ndoc)
SELECT lower(word), max(ndoc) FROM ts_stat(%s)
WHERE length(word) BETWEEN 2 AND 100 AND word !~ '[0-9_]'
GROUP BY lower(word)
ON CONFLICT (word) DO UPDATE SET ndoc = GREATEST(contracts_searchword.ndoc, EXCLUDED.ndoc)
WHERE contracts_searchword.ndoc < EXCLUDED.ndoc
RETURNING (xmax = 0) AS inserted
"""


def search_words_refresh(*, contract_ids: list[int] | None = None) -> int:
    """Add the words of active items (of `contract_ids`, or every contract) to `SearchWord`.

    Only adds, and raises a word's `ndoc` (items using it, the largest count seen in one refresh): a word no
    item uses any more is harmless (a correction to it simply finds nothing). Returns the number of words added.
    """
    inner = (  # ts_stat takes its query as text: built from constants and integer ids only
        "SELECT to_tsvector('simple', name || ' ' || manufacturer || ' ' || category_path) "
        "FROM contracts_catalogitem WHERE status = 'active'"
    )
    if contract_ids is not None:
        ids = ",".join(str(int(i)) for i in contract_ids)
        if not ids:
            return 0
        inner += f" AND contract_id IN ({ids})"
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_WORDS_SQL, [inner])
        return sum(1 for (inserted,) in cursor.fetchall() if inserted)
