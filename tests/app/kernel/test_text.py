"""The input validators: what they refuse, what they let through, and that refusing is one line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.kernel import text
from app.kernel.barcodes import clean_scan
from app.kernel.errors import ValidationError

REFUSED = ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\u200b", "\u200d", "\u202e", "\u2060", "\ufeff", "\udcff"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf")), max_size=60))
def test_ordinary_text_passes_unchanged(value):
    assert text.check_text(value, "name") == value
    assert text.check_text(value, "note", multiline=True) == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.sampled_from(REFUSED), st.text(max_size=30))
def test_a_refused_character_anywhere_is_refused_in_one_line(before, bad, after):
    with pytest.raises(ValidationError) as info:
        text.check_text(before + bad + after, "SKU", multiline=True)
    message = str(info.value)
    assert message.startswith("SKU contains ") and "\n" not in message
    assert all(ch.isprintable() for ch in message)  # the message itself shows escapes, never the character


@settings(max_examples=200, deadline=None)
@given(st.integers())
def test_whole_numbers_within_32_bits_only(number):
    if text.INT_MIN <= number <= text.INT_MAX:
        assert text.check_int(number, "quantity") == number
    else:
        with pytest.raises(ValidationError, match=r"^quantity .* is out of range"):
            text.check_int(number, "quantity")


@pytest.mark.parametrize("allowed", ["\t", "\n", "\r\n"])
def test_tab_and_line_breaks_only_in_free_text(allowed):
    assert text.check_text(f"a{allowed}b", "note", multiline=True) == f"a{allowed}b"
    with pytest.raises(ValidationError):
        text.check_text(f"a{allowed}b", "name")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_a_cleaned_scan_never_holds_a_refused_character(raw):
    # GS is kept on purpose: it separates a GS1 code's variable-length fields (lot, serial)
    assert text.bad_character(clean_scan(raw).replace("\x1d", "")) is None


def test_a_scan_that_is_not_utf8_is_refused():
    with pytest.raises(ValidationError, match="not UTF-8"):
        clean_scan(b"\xff\xfe".decode("utf-8", "surrogateescape"))
    assert clean_scan("]C1\x1d0104006381333931\u200b") == "0104006381333931"


def test_counted_names_one_in_the_singular_and_groups_thousands():
    assert [text.counted(n, "unit") for n in (0, 1, 2, 1204)] == ["0 units", "1 unit", "2 units", "1,204 units"]
    assert text.counted(1, "picked unit") == "1 picked unit" and text.counted(-1, "unit") == "-1 units"
