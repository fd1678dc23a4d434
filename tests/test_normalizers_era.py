import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers import NormalizeError, YearLabel, fiscal_year, format_era_year, parse_year_label
from normalizers.era import ERAS, find_fiscal_years, to_era


@pytest.mark.parametrize("raw, year", [
    ("平成21年度", 2009),
    ("令和元年度", 2019),
    ("平成32年度", 2020),
    ("平成31年度", 2019),
    ("H21", 2009),
    ("R3", 2021),
    ("S60", 1985),
    ("Ｈ２１", 2009),
    ("平成二十一年度", 2009),
    ("平成 21 年度", 2009),
    ("2011年度", 2011),
    ("2011", 2011),
    ("明治元年", 1868),
])
def test_fiscal_year_reads_era_and_western_forms(raw, year):
    assert fiscal_year(raw) == year


@pytest.mark.parametrize("bad", ["平成0年度", "平成年度", "X21", "21", "今年度"])
def test_fiscal_year_rejects_non_years_naming_them(bad):
    with pytest.raises(NormalizeError, match=rf": '{bad}'$"):
        fiscal_year(bad)


def test_fiscal_year_null_mode_and_empty():
    assert fiscal_year("today", errors="null") is None
    assert fiscal_year(None) is None


@pytest.mark.parametrize("raw, year, after, label", [
    ("2008(平成20)年度", 2008, False, "2008(平成20)年度"),
    ("2011(平成23)年度以降", 2011, True, "2011(平成23)年度以降"),
    ("2019(令和元)年度", 2019, False, "2019(令和元)年度"),
    ("２０１９（令和元）年度", 2019, False, "2019(令和元)年度"),
    ("2008 (平成 20) 年度", 2008, False, "2008(平成20)年度"),
    ("平成23年度以降", 2011, True, "平成23年度以降"),
    ("2010年度", 2010, False, "2010年度"),
])
def test_parse_year_label_reads_header_variants(raw, year, after, label):
    assert parse_year_label(raw) == YearLabel(fiscal_year=year, and_after=after, label=label)


def test_parse_year_label_rejects_disagreeing_years():
    with pytest.raises(NormalizeError, match=r"the years written in it disagree \(2009, 2008\): '2009\(平成20\)年度'"):
        parse_year_label("2009(平成20)年度")
    assert parse_year_label("2009(平成20)年度", errors="null") is None


def test_parse_year_label_accepts_two_eras_and_initials_for_one_year():
    assert parse_year_label("平成31(令和元)年度") == YearLabel(2019, False, "平成31(令和元)年度")
    assert parse_year_label("R4年度以降") == YearLabel(2022, True, "R4年度以降")


def test_parse_year_label_reads_a_column_covering_several_years():
    label = parse_year_label("2014(平成26)～2016(平成28)年度")
    assert (label.fiscal_year, label.last_year, label.years) == (2014, 2016, (2014, 2015, 2016))
    assert parse_year_label("平成26～28年度以降").years == (2014, 2015, 2016)
    assert parse_year_label("平成26～28年度以降").and_after is True
    with pytest.raises(NormalizeError, match="the year range runs backwards"):
        parse_year_label("2016～2014年度")


def test_parse_year_label_rejects_non_label():
    with pytest.raises(NormalizeError, match=r"not a fiscal-year label: '目標'"):
        parse_year_label("目標")


@given(st.integers(min_value=1926, max_value=2040))
def test_era_form_round_trips(year):
    assert fiscal_year(format_era_year(year)) == year
    name, n = to_era(year)
    assert parse_year_label(f"{year}({name}{'元' if n == 1 else n})年度").fiscal_year == year


@pytest.mark.parametrize("name, initial, first", ERAS[1:])
def test_last_year_of_previous_era_equals_first_year_of_next(name, initial, first):
    prev_name, _, prev_first = ERAS[[e[0] for e in ERAS].index(name) - 1]
    assert fiscal_year(f"{prev_name}{first - prev_first + 1}年度") == first
    assert fiscal_year(f"{name}元年度") == first
    assert fiscal_year(f"{initial}1") == first


# --- years named in running text (revision phrases of 【変更後の目標】) ---



@given(st.integers(min_value=1990, max_value=2099))
def test_an_era_year_in_a_sentence_is_found_at_its_offsets(year):
    mention = format_era_year(year)
    text = f"目標を、{mention}に変更"
    (span,) = find_fiscal_years(text)
    assert span.years == (year,)
    assert text[span.start:span.end] == mention


@given(st.integers(min_value=1990, max_value=2090), st.integers(min_value=1, max_value=5))
def test_a_range_of_western_years_gives_every_year_in_it(first, length):
    (span,) = find_fiscal_years(f"{first}～{first + length}年度の目標")
    assert span.years == tuple(range(first, first + length + 1))


@pytest.mark.parametrize(
    "text, years",
    [
        ("平成21、22年度の目標として", [(2009, 2010)]),
        ("平成２１年度の目標から", [(2009,)]),  # full-width digits
        ("R2～R3年度に延期", [(2020, 2021)]),
        ("H21・H22年度", [(2009, 2010)]),
        ("令和元年度", [(2019,)]),
        ("2010(平成22)年度の目標", [(2010,)]),
        ("2010年度の「x」を2009年度に前倒し", [(2010,), (2009,)]),
        ("30年度", []),  # no era: not a year
        ("2010(平成23)年度", []),  # the two ways disagree
        ("平成23～21年度", []),  # a range running backwards
    ],
)
def test_years_in_running_text(text, years):
    assert [s.years for s in find_fiscal_years(text)] == years
