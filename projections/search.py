"""Search: the one folding of text that the read models are searched by, used both by
the projector that fills the search data and by the queries that read it.

Text is folded for comparison: case-folded, decomposed (NFKD) with its combining marks
removed, ``đ``/``Đ`` made ``d`` ("Nguyễn Thị Hoa" folds to "nguyen thi hoa", "Đỗ" to
"do"), and cut into words of letters and digits (everything else separates words). A
query then matches a nomination when, folded:

- its words in order, spaced (its *phrase*), start at a word of the nominee's name:
  "nguyen thi hoa", "thi hoa", "nguyen thi h", "hoa" find "Nguyễn Thị Hoa"; or
- its letters and digits run together (its *compact* form), or its phrase, start the
  tracking code or the decision number, whose punctuation is dropped: "K7M2-QX9P-4R",
  "k7m2qx9p4r", "k7m2 qx9p 4r" and "k7m2-qx" find ``K7M2-QX9P-4R``; "1234/QĐ-UBND",
  "1234/qd" and "1234" find decision ``1234/QĐ-UBND``.

The nominations are found through ``search_terms`` (``term_rows``): one row for the
tracking code, compacted, one per word of the nominee's name, holding the name from that
word on, and one for the decision number once there is one; a query form is a range of
that index (``after_prefix``), each nomination counted once (``_shared``). The open tasks
are found the same way in their unit, through ``task_terms`` (``task_terms``: the code
and the name, as their nomination's). The tasks also carry the same words in a column
(``task_search_text``), which a page of tasks filtered otherwise searches for a form
(``QueryForms.patterns``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY = 100
"""Characters of a query (the API refuses longer ones); terms are kept to this length,
which changes no match of a query as long."""
_D = str.maketrans({"đ": "d", "ð": "d"})  # casefolded: Đ is đ, and Ð (often typed for Đ) ð
_LATIN = {**{mark: None for mark in range(0x300, 0x370)}, **_D}
"""The combining marks of Latin letters dropped (all a Vietnamese name has), ``đ`` made ``d``."""
_WORD = re.compile(r"[^\W_]+")
"""Letters and digits (of any script); ``_`` and the rest separate words."""
_FIELDS = " | "
"""Between the code and the name in a task's search text: a phrase never spans it."""


def fold(text: str) -> str:
    """``text`` lower-cased, without diacritics, ``đ`` as ``d``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_LATIN)
    if decomposed.isascii():  # Vietnamese, and most names: the marks are gone already
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_D)


@functools.lru_cache(maxsize=1 << 14)
def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``. Remembered: a nomination's name and code are folded
    again for each of its tasks and for its decision, and names recur."""
    return tuple(_WORD.findall(fold(text)))


def phrase(text: str) -> str:
    """The folded words, spaced: how a name is searched."""
    return " ".join(words(text))


def compact(text: str) -> str:
    """The folded letters and digits run together: how a code or a number is searched."""
    return "".join(words(text))


Term = tuple[str, int]
"""A term and how many of its first characters it shares with an earlier term of the
same nomination (``shared_prefix``)."""


def name_terms(name: str) -> list[str]:
    """The name from each of its words on: a phrase that starts at one of its words is
    the beginning of one of these."""
    found = words(name)
    return [" ".join(found[i:])[:MAX_QUERY] for i in range(len(found))]


def _shared(terms: list[str], earlier: list[str]) -> list[Term]:
    """Each new term with the longest prefix it shares with a term before it.

    A query found in the terms of a nomination is then counted once, by the first of
    them: a query found in a term is the beginning of that term; if it is found in an
    earlier one too, the two share the query's length at least; if it is not, they share
    less. So ``shared_prefix < len(query)`` keeps exactly one term of each nomination
    found, and a search counts and pages the index's rows without removing duplicates
    (which cost five times the scan)."""
    made: list[Term] = []
    seen = list(earlier)
    for term in terms:
        if not term or term in seen:
            continue
        shared = 0
        for other in seen:
            if other[0] == term[0]:
                shared = max(shared, _common(term, other))
        made.append((term, shared))
        seen.append(term)
    return made


def _common(one: str, other: str) -> int:
    """How many first characters the two share."""
    shared = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared


def nomination_terms(nominee_name: str, tracking_code: str) -> list[Term]:
    """The terms a nomination is found by when it is proposed: the code, then the name
    from each of its words on."""
    return _shared([compact(tracking_code)[:MAX_QUERY], *name_terms(nominee_name)], [])


@functools.lru_cache(maxsize=1 << 12)
def task_terms(nominee_name: str, tracking_code: str) -> tuple[Term, ...]:
    """The terms an open task is found by in its unit's inbox (``task_terms``): its
    nomination's code and name, as the nomination is found by them (a task's
    ``task_search_text`` holds the same words). Remembered: a nomination's tasks open
    and close one after another, each written with its terms and taken out with them."""
    return tuple(nomination_terms(nominee_name, tracking_code))


def decision_terms(decision_number: str, nominee_name: str, tracking_code: str) -> list[Term]:
    """The term a decision number adds, after those the nomination has (none if it has
    that one already)."""
    number = compact(decision_number)[:MAX_QUERY]
    earlier = [compact(tracking_code)[:MAX_QUERY], *name_terms(nominee_name)]
    return _shared([number], [term for term in earlier if term])


def term_rows(nomination_id: str, unit_id: str, proposed_at: object,
              terms: list[Term]) -> list[dict[str, object]]:
    """``search_terms`` rows: the unit and time of proposal ride along, so that a search
    scoped to units and sorted newest first reads the index alone."""
    return [{"unit_id": unit_id, "term": term, "nomination_id": nomination_id,
             "proposed_at": proposed_at, "shared_prefix": shared} for term, shared in terms]


TASK_SEARCH_LENGTH = 400


def task_search_text(nominee_name: str, tracking_code: str) -> str:
    """A task's ``search`` column: the compacted tracking code, then the name, a space
    before each word (`` k7m2qx9p4r | nguyen thi hoa``); an overlong name is cut."""
    return f" {compact(tracking_code)}{_FIELDS}{phrase(nominee_name)}"[:TASK_SEARCH_LENGTH]


def after_prefix(prefix: str) -> str | None:
    """The least string above every string that starts with ``prefix`` (in code point
    order, which is SQLite's and PostgreSQL's ``"C"`` order of UTF-8 text); None if
    there is none."""
    while prefix:
        following = ord(prefix[-1]) + 1
        if following <= 0x10FFFF:
            if 0xD800 <= following <= 0xDFFF:  # surrogates are no characters of UTF-8
                following = 0xE000
            return prefix[:-1] + chr(following)
        prefix = prefix[:-1]
    return None


@dataclass(frozen=True)
class QueryForms:
    """A query as the search data is searched by: its phrase, and its compact form."""

    phrase: str
    compact: str

    @classmethod
    def of(cls, query: str | None) -> QueryForms | None:
        """None when the query has no letter or digit (then nothing is filtered)."""
        found = words(query or "")
        if not found:
            return None
        return cls(" ".join(found)[:MAX_QUERY], "".join(found)[:MAX_QUERY])

    @property
    def forms(self) -> list[str]:
        return list(dict.fromkeys([self.phrase, self.compact]))


    @property
    def patterns(self) -> list[str]:
        """``LIKE`` patterns that match as ``needles`` do (``tasks_found_by`` in
        ``projections.queries`` searches for the needles, faster on SQLite)."""
        return [f"%{needle}%" for needle in self.needles]

    @property
    def needles(self) -> list[str]:
        """What a task's search text contains when a form starts one of its words (each
        word of the text follows a space), one for each form."""
        return [f" {form}" for form in self.forms]
