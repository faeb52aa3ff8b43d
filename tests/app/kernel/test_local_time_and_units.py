"""The warehouse's zone and units: day boundaries at local midnight, weights in lb or kg."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import cli
from app.kernel import clock, units
from app.kernel.errors import ValidationError
from app.store import changes, db, live, locale, settings


def test_a_los_angeles_day_ends_at_local_midnight():
    clock.set_zone("America/Los_Angeles")
    start, end = clock.period(dt.date(2026, 12, 4), dt.date(2026, 12, 4))
    # PST is UTC-8: the warehouse's Friday runs 08:00 UTC Friday to 08:00 UTC Saturday.
    assert (start, end) == (dt.datetime(2026, 12, 4, 8, 0), dt.datetime(2026, 12, 5, 8, 0))
    # 4 pm Pacific is midnight UTC: still the same warehouse day.
    assert clock.local_day(dt.datetime(2026, 12, 5, 0, 30)) == dt.date(2026, 12, 4)
    assert clock.local_day(dt.datetime(2026, 12, 5, 8, 0)) == dt.date(2026, 12, 5)


def test_dst_days_are_23_and_25_hours():
    clock.set_zone("America/New_York")
    spring = clock.period(dt.date(2026, 3, 8), dt.date(2026, 3, 8))
    autumn = clock.period(dt.date(2026, 11, 1), dt.date(2026, 11, 1))
    assert spring[1] - spring[0] == dt.timedelta(hours=23)
    assert autumn[1] - autumn[0] == dt.timedelta(hours=25)


def test_the_next_midnight_is_the_warehouse_s_even_on_a_dst_day():
    clock.set_zone("America/New_York")
    with clock.running_on(clock.FrozenClock(dt.datetime(2026, 3, 8, 5, 30))):  # 00:30 EST, DST at 02:00
        assert clock.until_next_day() == dt.timedelta(hours=22, minutes=30)
    with clock.running_on(clock.FrozenClock(dt.datetime(2026, 11, 2, 4, 59))):  # 23:59 EST on the 1st
        assert clock.until_next_day() == dt.timedelta(minutes=1)


def test_today_is_the_warehouse_day_not_the_utc_day():
    fc = clock.FrozenClock(dt.datetime(2026, 12, 5, 3, 0))  # 19:00 on the 4th in Los Angeles
    clock.set_clock(fc)
    try:
        clock.set_zone("America/Los_Angeles")
        assert clock.local_today() == dt.date(2026, 12, 4)
        assert clock.local_text(fc.current) == "2026-12-04 19:00"
        clock.set_zone("Asia/Tokyo")
        assert clock.local_today() == dt.date(2026, 12, 5)
    finally:
        clock.set_clock(None)


def test_a_time_in_the_repeated_hour_names_its_zone():
    """New York repeats 01:00-02:00 on 2026-11-01: 05:50 UTC is the first 01:50, 06:10 UTC the second 01:10."""
    clock.set_zone("America/New_York")
    first, second = dt.datetime(2026, 11, 1, 5, 50), dt.datetime(2026, 11, 1, 6, 10)
    assert (clock.local_text(first), clock.local_text(second)) == ("2026-11-01 01:50 EDT", "2026-11-01 01:10 EST")
    assert clock.local_text(second, "%H:%M:%S") == "01:10:00 EST"
    assert clock.local_text(second, "%Y-%m-%d") == "2026-11-01"  # a date alone is never ambiguous
    assert clock.local_text(second, "%Y-%m-%d %H:%M %Z") == "2026-11-01 01:10 EST"  # named once
    # any other time stays short: just before and after the hour, and the spring-forward day
    for utc, text in ((dt.datetime(2026, 11, 1, 4, 59), "2026-11-01 00:59"),
                      (dt.datetime(2026, 11, 1, 7, 0), "2026-11-01 02:00"),
                      (dt.datetime(2026, 3, 8, 7, 0), "2026-03-08 03:00")):
        assert clock.local_text(utc) == text
    assert clock.local_text(None) == ""


def test_unknown_zone_is_one_clear_line():
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        clock.zone_from_name("Mars/Olympus")
    with pytest.raises(ValueError, match="unknown time zone"):
        clock.zone_from_name("../../etc/passwd")


def test_unset_zone_is_the_computers(monkeypatch):
    monkeypatch.setattr(clock, "computer_zone_name", lambda: "Europe/Berlin")
    clock.set_zone(None)
    assert str(clock.zone()) == "Europe/Berlin"


def test_us_units_show_and_parse():
    units.set_system("us")
    assert units.weight_text(1) == "2.20 lb"
    assert units.length_text(30.48) == "12.0 in"
    assert units.parse_weight("2") == Decimal(2) * units.KG_PER_LB
    assert units.parse_weight("16 oz") == units.KG_PER_LB
    assert units.parse_weight("500 g") == Decimal("0.500")
    units.set_system("metric")
    assert units.weight_text(Decimal("1.234")) == "1.23 kg"
    assert units.parse_weight("1,5") == Decimal("1.5")
    with pytest.raises(ValueError, match="unknown weight unit 'stone'"):
        units.parse_weight("2 stone")
    with pytest.raises(ValueError, match="not a number"):
        units.parse_weight("heavy")


def test_settings_put_zone_and_units_in_force_and_survive_a_reopen(database, supervisor):
    settings.set_setting("timezone", "America/Los_Angeles", actor=supervisor)
    settings.set_setting("units", "lb", actor=supervisor)
    assert str(clock.zone()) == "America/Los_Angeles"
    assert units.system() == "us"
    clock.set_zone("Etc/UTC")
    units.set_system("metric")
    locale.load()  # what opening the database does
    assert str(clock.zone()) == "America/Los_Angeles"
    assert settings.get_setting("units") == "us"


def test_a_setting_changed_is_news_for_every_station(database, supervisor):
    """The change is noted with the commit (other stations hear it, their screens take the
    zone and units in force); a refused value says nothing."""
    heard: list[changes.Changes] = []
    stop = changes.listen(heard.append)
    try:
        with pytest.raises(ValidationError):
            settings.set_setting("units", "furlongs", actor=supervisor)
        assert heard == []
        settings.set_setting("units", "us", actor=supervisor)
    finally:
        stop()
    assert [news.kinds for news in heard] == [{"setting": frozenset()}]
    assert "setting" in live.everything()  # SQLite: another station's commit may be one


def test_bad_zone_units_or_cutoff_change_nothing(database, supervisor):
    for key, value in (("timezone", "Pacific Time"), ("units", "furlongs"), ("cutoff", "2pm")):
        with pytest.raises(ValidationError):
            settings.set_setting(key, value, actor=supervisor)
        assert settings.get_setting(key) is None
    assert clock.zone().utcoffset(dt.datetime(2026, 7, 1)) == dt.timedelta(0)
    assert settings.set_setting("cutoff", "9:30", actor=supervisor) == "09:30"
    assert locale.cutoff() == dt.time(9, 30)
    assert db.execute("SELECT count(*) FROM setting").fetchone()[0] >= 1


@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "right/UTC", "posix/Europe/Berlin"])
def test_a_zone_file_that_is_not_an_iana_zone_is_refused(database, supervisor, cli_user, capsys, name):
    """Such files open on some computers, and "localtime" is each computer's own zone: the
    warehouse's setting, shared by every station, takes only the IANA database's names."""
    said = f"{name!r} is not an IANA time zone name; give one such as America/Los_Angeles or Europe/Berlin"
    with pytest.raises(ValidationError) as refused:
        settings.set_setting("timezone", name, actor=supervisor)
    assert str(refused.value) == said and settings.get_setting("timezone") is None
    assert name not in locale.timezone_names()
    url = db.url_in_use()
    db.close()
    code = cli.main(["--db", url, "setting", "set", "timezone", name])
    db.connect(url)
    assert (code, capsys.readouterr().err) == (2, f"error: {said}\n")
    assert settings.get_setting("timezone") is None
    for good in ("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"):
        assert locale.validate_timezone(good) == good


@pytest.mark.parametrize(("zone", "first", "last", "bad"), [
    ("Etc/UTC", dt.date(9999, 12, 31), dt.date(9999, 12, 31), "9999-12-31"),
    ("Etc/UTC", dt.date(2026, 12, 1), dt.date(9999, 12, 31), "9999-12-31"),
    ("Pacific/Auckland", dt.date(1, 1, 1), dt.date(2026, 12, 1), "0001-01-01"),
    ("America/Los_Angeles", dt.date(3000, 1, 2), dt.date(3000, 1, 2), "3000-01-02"),
])
def test_a_day_past_the_calendar_s_reach_is_refused_in_one_line(zone, first, last, bad):
    clock.set_zone(zone)
    with pytest.raises(ValidationError) as refused:
        clock.period(first, last)
    assert str(refused.value) == f"{bad} is out of range: dates run from 1900-01-01 to 2999-12-31"
    with pytest.raises(ValidationError, match=f"{bad} is out of range"):
        clock.day_start(first if str(first) == bad else last)


def test_the_first_and_last_days_of_the_range_convert_in_any_zone():
    for zone in ("Pacific/Auckland", "Pacific/Kiritimati", "Pacific/Pago_Pago"):
        clock.set_zone(zone)
        start, end = clock.period(clock.FIRST_DAY, clock.LAST_DAY)
        assert start.year in (1899, 1900) and end.year in (2999, 3000)
    with pytest.raises(ValidationError, match=r"the period ends \(2026-12-01\) before it starts \(2026-12-02\)"):
        clock.period(dt.date(2026, 12, 2), dt.date(2026, 12, 1))
