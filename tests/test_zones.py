"""Zone names: canonical locations kept, old names mapped to them, the misleading ones refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest

from feeds.errors import InvalidParameter
from feeds.zones import canonical

# Daily instants over the plans a runner can ask for (races up to a year ahead).
INSTANTS = [datetime(2026, 11, 25, 12, tzinfo=UTC) + timedelta(days=d) for d in range(0, 400, 3)]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("US/Eastern", "America/New_York"),
        ("Canada/Newfoundland", "America/St_Johns"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("europe/berlin", "Europe/Berlin"),
        ("UTC", "Etc/UTC"),
        ("Zulu", "Etc/UTC"),
    ],
)
def test_locations_are_kept_and_old_names_mapped(given: str, kept: str) -> None:
    assert canonical(given) == kept


@pytest.mark.parametrize(
    "given", ["Factory", "localtime", "EST5EDT", "EST", "CET", "GMT", "Etc/GMT+5", "Japan"]
)
def test_rules_abbreviations_offsets_and_placeholders_are_refused(given: str) -> None:
    with pytest.raises(InvalidParameter) as refused:
        canonical(given)
    assert refused.value.field == "tz"
    assert "Europe/Berlin" in refused.value.message


def test_unknown_names_are_refused_with_an_example() -> None:
    with pytest.raises(InvalidParameter, match="such as Europe/Berlin"):
        canonical("Mars/Olympus_Mons")


def test_mapping_never_changes_a_runner_s_clock() -> None:
    mapped = 0
    for name in sorted(available_timezones() - {"localtime"}):
        try:
            target = canonical(name)
        except InvalidParameter:
            continue
        assert canonical(target) == target, name
        given, kept = ZoneInfo(name), ZoneInfo(target)
        for instant in INSTANTS:
            assert instant.astimezone(given).utcoffset() == instant.astimezone(kept).utcoffset()
        mapped += target != name
    assert mapped > 50
