"""Search input: validate and normalise what a buyer typed and picked, before any SQL is built.

Anything may arrive in `q` (quotes, tsquery operators, SQL, 10 KB, emoji, NUL bytes): it is cut to
`MAX_QUERY_CHARS`, stripped of control characters and split into plain alphanumeric tokens, so the
tsquery built from it never needs escaping and never fails to parse. Filters and sort are checked
strictly: a bad value is a field error (400 in the API, a message on the page), never a 500.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from marketplace.core.errors import ApplicationError

MAX_QUERY_CHARS = 200
MAX_TOKENS = 12
MAX_TOKEN_CHARS = 40
MAX_PAGE = 10_000

SORTS = {
    "relevance": "Best match",
    "price": "Price: low to high",
    "-price": "Price: high to low",
    "savings": "Savings: highest first",
    "name": "Name: A to Z",
}

# (key, label, lower bound inclusive, upper bound exclusive); the last has no upper bound.
PRICE_BANDS: list[tuple[str, str, Decimal, Decimal | None]] = [
    # labels in the one money format (`$1,000.00`), like every other amount a buyer reads
    ("0-10", "Under $10.00", Decimal("0"), Decimal("10")),
    ("10-50", "$10.00 to $50.00", Decimal("10"), Decimal("50")),
    ("50-200", "$50.00 to $200.00", Decimal("50"), Decimal("200")),
    ("200-1000", "$200.00 to $1,000.00", Decimal("200"), Decimal("1000")),
    ("1000-", "$1,000.00 and over", Decimal("1000"), None),
]

_TOKEN = re.compile(r"[^\W_]+")  # letters and digits only: nothing tsquery or LIKE treats specially
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9./_-]{1,63}$")


def clean_text(value: str | None, limit: int = MAX_QUERY_CHARS) -> str:
    """Cut to `limit` characters, drop control/format characters (NUL included), collapse spaces."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", str(value)[: limit * 4])[:limit]
    value = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in value)
    return " ".join(value.split())


def tokens(q: str) -> list[str]:
    """Lower-case alphanumeric words, at most MAX_TOKENS, each at most MAX_TOKEN_CHARS."""
    found = [t.lower()[:MAX_TOKEN_CHARS] for t in _TOKEN.findall(q)]
    unique: list[str] = []
    for token in found:
        if token not in unique:
            unique.append(token)
    return unique[:MAX_TOKENS]


def code_of(q: str) -> str | None:
    """The query as a SKU / part number (one 'word' with a digit or dash), upper-cased, or None."""
    candidate = q.strip().upper()
    if " " in candidate or not _CODE.match(candidate):
        return None
    if not any(ch.isdigit() for ch in candidate) and "-" not in candidate:
        return None
    return candidate


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    category: str = ""
    manufacturer: str = ""
    contract: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = 24

    @property
    def tokens(self) -> list[str]:
        return tokens(self.q)

    @property
    def code(self) -> str | None:
        return code_of(self.q)

    def filters(self) -> dict[str, str]:
        """The active filters as query-string values (for links that keep them)."""
        out = {
            "category": self.category,
            "manufacturer": self.manufacturer,
            "contract": self.contract,
            "min_price": "" if self.min_price is None else str(self.min_price),
            "max_price": "" if self.max_price is None else str(self.max_price),
        }
        return {k: v for k, v in out.items() if v}


def _decimal(value: str, name: str, errors: dict[str, list[str]]) -> Decimal | None:
    value = clean_text(value, 30).replace("$", "").replace(",", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors[name] = ["Enter a number, like 25 or 25.50."]
        return None
    if not number.is_finite() or number < 0 or number > Decimal("10000000"):
        errors[name] = ["Enter an amount between 0 and 10,000,000."]
        return None
    return number.quantize(Decimal("0.01"))


def parse_params(data, *, page_size: int = 24, max_page_size: int = 200) -> SearchParams:
    """Build `SearchParams` from a QueryDict / dict; raise ApplicationError('invalid', …, fields) if bad."""
    errors: dict[str, list[str]] = {}
    get = data.get
    sort = clean_text(get("sort"), 20) or "relevance"
    if sort not in SORTS:
        errors["sort"] = [f"Choose one of: {', '.join(SORTS)}."]
    min_price = _decimal(get("min_price") or "", "min_price", errors)
    max_price = _decimal(get("max_price") or "", "max_price", errors)
    if min_price is not None and max_price is not None and max_price < min_price:
        errors["max_price"] = ["The highest price must not be below the lowest price."]
    page = 1
    raw_page = clean_text(get("page"), 12)
    if raw_page:
        if not raw_page.isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
            errors["page"] = [f"Enter a page number from 1 to {MAX_PAGE}."]
        else:
            page = int(raw_page)
    raw_size = clean_text(get("page_size"), 6)
    if raw_size:
        if not raw_size.isdigit() or not 1 <= int(raw_size) <= max_page_size:
            errors["page_size"] = [f"Enter a page size from 1 to {max_page_size}."]
        else:
            page_size = int(raw_size)
    if errors:
        raise ApplicationError("invalid", "Some search options are not valid.", errors)
    return SearchParams(
        q=clean_text(get("q")),
        category=clean_text(get("category"), 140),
        manufacturer=clean_text(get("manufacturer"), 120),
        contract=clean_text(get("contract"), 60),
        min_price=min_price,
        max_price=max_price,
        sort=sort,
        page=page,
        page_size=page_size,
    )
