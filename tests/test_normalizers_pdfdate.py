import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers import NormalizeError
from normalizers.pdfdate import pdf_date


@pytest.mark.parametrize("raw, iso", [
    ("D:20261128214448Z'", "2026-11-28T21:44:48Z"),  # LibreOffice's stray apostrophe
    ("D:20100401093000+09'00'", "2010-04-01T09:30:00+09:00"),
    ("D:20100401093000+09'00", "2010-04-01T09:30:00+09:00"),
    ("D:20100401", "2010-04-01"),
    ("20100401120000", "2010-04-01T12:00:00"),
    ("D:2010", "2010-01-01"),
])
def test_pdf_dates_become_iso(raw, iso):
    assert pdf_date(raw) == iso


def test_a_date_that_is_not_one_fails_with_the_value_named():
    with pytest.raises(NormalizeError, match="not a calendar date: 'D:20101301'"):
        pdf_date("D:20101301")
    with pytest.raises(NormalizeError, match="not a PDF date"):
        pdf_date("yesterday")
    assert pdf_date("yesterday", errors="null") is None
    assert pdf_date(None) is None


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31)))
def test_any_written_timestamp_reads_back(when):
    when = when.replace(microsecond=0)
    assert pdf_date("D:" + when.strftime("%Y%m%d%H%M%S") + "Z") == when.isoformat() + "Z"
