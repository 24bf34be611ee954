"""Viet Nam's province-level units from the `vietnam-provinces` package (General Statistics
Office names and codes), with the dates between which each unit and its code are valid.

Two lists can be there, depending on the installed version of the package:
- the units after the rearrangement of 1 July 2025 (34 provinces and centrally-run cities),
  in every version since 2025.8;
- the 63 units before it (``vietnam_provinces.legacy``) with the old-to-new conversion table,
  only in the versions from 2026.1, which require Python 3.12.
A unit of the current list is valid from 2025-07-01 (the package's EFFECTIVE_DATE where it has
one; the date of the rearrangement that data/links.ttl also records otherwise); a legacy unit is
valid until 2025-06-30; neither list gives an earlier start date, so none is stated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

REARRANGEMENT = dt.date(2025, 7, 1)
PREFIXES = ("Thành phố ", "Tỉnh ")


@dataclass(frozen=True)
class Unit:
    name: str  # without "Tỉnh " / "Thành phố "
    official_name: str
    code: int
    centrally_run_city: bool
    valid_from: dt.date | None
    valid_to: dt.date | None
    era: str  # "current" (from 1 July 2025) or "legacy" (until 30 June 2025)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Source:
    package: str
    version: str
    data_version: str
    has_legacy: bool

    @property
    def citation(self) -> str:
        lists = (
            "63 units before and 34 after 1 July 2025"
            if self.has_legacy
            else (
                "the 34 units after 1 July 2025 only "
                "(this version has no list of the earlier units)"
            )
        )
        return (
            f"Python package {self.package} {self.version} (PyPI; data retrieved "
            f"{self.data_version} from the General Statistics Office of Viet Nam): {lists}"
        )


def _short(name: str) -> str:
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@lru_cache(maxsize=1)
def load() -> tuple[Source, tuple[Unit, ...]]:
    """The source and every unit it lists (empty when the package is not installed)."""
    try:
        import vietnam_provinces as vp
        from vietnam_provinces import Province
    except ImportError:
        return Source("vietnam-provinces", "not installed", "-", False), ()
    units = []
    start = REARRANGEMENT
    try:
        from vietnam_provinces._province_conversion_2025 import EFFECTIVE_DATE

        start = dt.date.fromisoformat(EFFECTIVE_DATE)
    except ImportError:
        pass
    units.extend(_unit(p, start, None, "current") for p in Province.iter_all())
    has_legacy = False
    try:
        from vietnam_provinces.legacy import Province as LegacyProvince

        before = start - dt.timedelta(days=1)
        units.extend(_unit(p, None, before, "legacy") for p in LegacyProvince.iter_all())
        has_legacy = True
    except ImportError:
        pass
    source = Source(
        "vietnam-provinces",
        getattr(vp, "__version__", "?"),
        getattr(vp, "__data_version__", "?"),
        has_legacy,
    )
    return source, tuple(units)


def names() -> set[str]:
    return {u.name for u in load()[1]}


def lookup(name: str, day: dt.date) -> tuple[Unit | None, Unit | None]:
    """(the unit of that name valid on ``day``, the current unit of that name) — either may be
    None: no unit of that name, or the package lacks the list valid on that day."""
    valid = current = None
    for unit in load()[1]:
        if unit.name != name:
            continue
        if unit.valid_on(day):
            valid = unit
        if unit.era == "current":
            current = unit
    return valid, current


def _unit(province, valid_from, valid_to, era: str) -> Unit:
    """One province of the package's lists (current or legacy) as a gazetteer unit."""
    return Unit(
        name=_short(province.name),
        official_name=province.name,
        code=int(province.code),
        centrally_run_city=province.division_type.value == "thành phố trung ương",
        valid_from=valid_from,
        valid_to=valid_to,
        era=era,
    )
