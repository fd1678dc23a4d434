"""Documents never seen before: random plans drawn, extracted, compared.

Each seed draws a different plan (number of year columns and era, programs,
measures, sub-rows, merged target cells, result blocks, fonts, column
widths, border style, forced page breaks) with tests/synth.py and checks
that extraction gives back exactly what was drawn.  The seeds are fixed so
a failure is reproducible: ``pytest -k 'random_plan and 7'``.
"""

from __future__ import annotations

import random

import pytest
from conftest import squash
from helpers import records_to_truth_programs
from synth import Measure, Program, Target, build_table_pdf, plan_grid, plan_truth, random_sub_rows, year_labels

from pipeline.orchestration.extract import extract_document
from pipeline.publishing.records import document_to_records

WORDS = (
    "地域", "産業", "交流", "支援", "推進", "制度", "計画", "事業", "調査", "検討", "連携", "拠点",
    "整備", "開催", "実施", "運営", "促進", "創出", "環境", "福祉", "商店街", "農業", "企業", "研究",
    "セミナー", "フォーラム", "ネットワーク", "ビジョン", "モデル", "センター",
)
NUMBERED = ("(3回)", "(5社)", "(約200人)", "(10件)")


def phrase(rng: random.Random, low: int = 2, high: int = 6) -> str:
    text = "".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))
    if rng.random() < 0.2:
        text += rng.choice(NUMBERED)
    return text


def items(rng: random.Random, most: int = 4) -> list[str]:
    return [phrase(rng) for _ in range(rng.randint(1, most))]


def sentence(rng: random.Random) -> str:
    return phrase(rng, 4, 12) + "しました。"


def targets(rng: random.Random, n_years: int, first_row: bool, multi_row: bool) -> list[Target]:
    out, col = [], 0
    while col < n_years:
        span = rng.randint(1, n_years - col)
        if rng.random() < 0.15:  # an empty cell
            col += span
            continue
        is_last = col + span == n_years
        merged_down = first_row and multi_row and is_last and rng.random() < 0.5
        out.append(Target(col, "事業推進" if merged_down else items(rng, 3), span=span, all_rows=merged_down))
        col += span
    return out


def _widths(rng: random.Random, n_years: int) -> list[float]:
    shares = [rng.uniform(1.2, 2.0), rng.uniform(1.0, 1.8)] + [rng.uniform(0.7, 1.3) for _ in range(n_years)]
    usable = 780.0
    return [usable * s / sum(shares) for s in shares]


def random_plan(seed: int):
    rng = random.Random(seed)
    n_years = rng.randint(3, 6)
    first_year = rng.choice((2008, 2011, 2014, 2018, 2019, 2022))
    labels = year_labels(first_year, n_years, and_after=rng.random() < 0.7)
    drawing_rows_per_page = rng.choice((None, 5, 7))
    programs = []
    for _ in range(rng.randint(1, 3)):
        measures = []
        for _ in range(rng.randint(1, 3)):
            n_rows = rng.choice((1, 1, 1, 2, 3))
            rows = random_sub_rows(rng, n_years, n_rows, targets=targets, items=items,
                                   label=lambda rng: phrase(rng, 1, 3) if rng.random() < 0.7 else None)
            # synth draws a name cell cut by a page break whole on its first
            # page; a long description would run out of the table there.
            short = drawing_rows_per_page is not None and n_rows > 1
            measures.append(
                Measure(
                    phrase(rng, 2, 5) + "の推進",
                    phrase(rng, 1, 2) + "します。" if short else sentence(rng),
                    rows=rows,
                    rating=rng.choice(("1", "2", "3", "3*", "4")),
                    reference_rating=rng.choice((None, "2", "3")),
                    outcomes=[sentence(rng) for _ in range(rng.randint(1, 3))],
                    changes=[sentence(rng) for _ in range(rng.randint(0, 2))],
                    revised_targets=[sentence(rng) for _ in range(rng.randint(0, 2))],
                )
            )
        programs.append(Program(phrase(rng, 2, 4) + "の振興", rng.choice(("2", "3", "3*")), measures))
    drawing = {
        "font": rng.choice(("HeiseiMin-W3", "HeiseiKakuGo-W5")),
        "font_size": rng.choice((6.5, 7, 8)),
        "line_style": rng.choice(("lines", "rects")),
        "letter_spaced_header": rng.random() < 0.5,
        "rows_per_page": drawing_rows_per_page,
        # Other writers, other column widths (landscape A4 minus margins).
        "col_widths": None if rng.random() < 0.5 else _widths(rng, n_years),
    }
    return labels, programs, drawing


@pytest.mark.parametrize("seed", range(40))
def test_random_plan_round_trips(seed, tmp_path):
    labels, programs, drawing = random_plan(seed)
    pdf = tmp_path / f"plan-{seed}.pdf"
    build_table_pdf(pdf, plan_grid(labels, programs), **drawing)
    records = document_to_records(extract_document(pdf))
    got = squash(records_to_truth_programs(records))
    want = squash(plan_truth(labels, programs))
    assert got == want, f"seed {seed}: {drawing}"
