"""How an entry adds up across communes, by its rule: pure functions over cells, no database.

A commune without an approved result counted for the period (tracking.selectors' rule) is not reporting and
adds nothing; every aggregate says how many communes it stands on.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from catalogue.models import Aggregation
from indicators.targets import ParsedTarget, TargetKind, Verdict, evaluate

NO_DATA = "no_data"
MET = (Verdict.ACHIEVED.value, Verdict.EXCEEDED.value)
JUDGED = (*MET, Verdict.NOT_ACHIEVED.value)
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Cell:
    """One commune's figure for one entry: its approved result counted for the period and its verdict."""

    entry_id: int
    indicator_id: int | None = None  # the commune's linked indicator; None: the commune has none
    state: str = NO_DATA  # tracking.selectors.IndicatorState value
    value: Decimal | None = None  # the rate a numerator/denominator stands for, else the value entered
    numerator: int | None = None
    denominator: int | None = None
    flag: bool | None = None

    @property
    def reporting(self) -> bool:
        return self.state != NO_DATA

    @property
    def met(self) -> bool:
        return self.state in MET


@dataclass(frozen=True)
class Aggregate:
    value: Decimal | None  # the province's figure (a percent for a rate or a share)
    reporting: int  # communes whose figure enters it
    met: int  # communes achieving (their own target)
    judged: int  # communes with a verdict
    numerator: int | None = None  # for a rate: the sums it divides
    denominator: int | None = None
    verdict: str | None = None  # against the province's own target, when it can be judged


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(_TENTH, rounding=ROUND_HALF_UP)


def aggregate(aggregation: str, cells: list[Cell], target: ParsedTarget | None = None) -> Aggregate:
    reporting = [c for c in cells if c.reporting]
    judged = [c for c in reporting if c.state in JUDGED]
    met = sum(1 for c in judged if c.met)
    numerator = denominator = None
    if aggregation == Aggregation.RATE:
        pairs = [c for c in reporting if c.numerator is not None and c.denominator]
        numerator = sum(c.numerator for c in pairs)
        denominator = sum(c.denominator for c in pairs)
        value = _tenth(Decimal(numerator) * 100 / denominator) if denominator else None
        count = len(pairs)
    elif aggregation in (Aggregation.SUM, Aggregation.MEAN):
        values = [c.value for c in reporting if c.value is not None]
        count = len(values)
        if not values:
            value = None
        elif aggregation == Aggregation.SUM:
            value = sum(values, Decimal(0))
        else:
            value = _tenth(sum(values, Decimal(0)) / len(values))
    else:
        count = len(judged)
        value = _tenth(Decimal(met) * 100 / len(judged)) if judged else None
    verdict = None
    if (
        target is not None
        and value is not None
        and aggregation != Aggregation.SHARE_ACHIEVING
        and target.kind in (TargetKind.PERCENT, TargetKind.NUMBER, TargetKind.RANGE)
    ):
        found = evaluate(target, value=value)
        verdict = found.value if found else None
    return Aggregate(value, count, met, len(judged), numerator, denominator, verdict)
