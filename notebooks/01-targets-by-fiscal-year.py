# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 年度別の目標と達成状況 / Targets by fiscal year
#
# Reads only the extraction in `extracted/` (`make extract` writes it; set `SESAKU_EXTRACTED`
# to read another folder). Tables and columns: `docs/DATA_DICTIONARY.md`.
#
# 1. targets per fiscal year per action program
# 2. the distribution of achievement ratings (達成状況区分)
# 3. the counted quantities (数量) found in the text

# %%
import json
import os
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import matplotlib_fontja  # noqa: F401  registers IPAexGothic and makes it the default font
import pandas as pd


def repo_root(start: Path) -> Path:
    """The checkout holding this notebook, whether run from notebooks/ or the root."""
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return start


EXTRACTED = Path(os.environ.get("SESAKU_EXTRACTED") or repo_root(Path.cwd().resolve()) / "extracted")
if not (EXTRACTED / "_run.json").is_file():
    raise FileNotFoundError(f"no extraction in {EXTRACTED}: run `make extract` (or set SESAKU_EXTRACTED)")

run = json.loads((EXTRACTED / "_run.json").read_text(encoding="utf-8"))
programs = pd.read_parquet(EXTRACTED / "programs.parquet")
measures = pd.read_parquet(EXTRACTED / "measures.parquet")
targets = pd.read_parquet(EXTRACTED / "targets.parquet")
quantities = pd.read_parquet(EXTRACTED / "quantities.parquet")
pd.DataFrame(run["documents"])[["doc_id", "status", "pages"]]

# %% [markdown]
# ## 1. 年度別・アクションプログラム別の目標数
#
# One `targets` row is one target item for one fiscal year; a cell merged over several year
# columns counts in each year it covers. Targets reach their program through `measures`
# (keys `doc_id, measure_no`, then `doc_id, program_no`).

# %%
program_names = programs[["doc_id", "program_no", "program"]]
targets_by_program = (
    targets.merge(measures[["doc_id", "measure_no", "program_no"]], on=["doc_id", "measure_no"], validate="many_to_one")
    .merge(program_names, on=["doc_id", "program_no"], validate="many_to_one")
)
# A column per fiscal year; "以降" marks an open-ended last column (e.g. 2011年度以降).
year_labels = (
    targets.groupby("fiscal_year")["and_after"].any()
    .map({True: "以降", False: ""})
    .pipe(lambda s: s.index.astype(str) + "年度" + s)
)
per_year = (
    targets_by_program.assign(label=lambda d: d["doc_id"] + " " + d["program_no"].astype(str) + ". " + d["program"])
    .pivot_table(index="label", columns="fiscal_year", values="item_no", aggfunc="size", fill_value=0)
    .rename(columns=dict(zip(year_labels.index, year_labels)))
)
per_year.index.name = "アクションプログラム"
per_year.columns.name = "年度"
per_year

# %%
fig, ax = plt.subplots(figsize=(9, 4.5))
per_year.T.plot.bar(stacked=True, ax=ax, rot=0)
ax.set_title("年度別・アクションプログラム別の目標数")
ax.set_xlabel("年度")
ax.set_ylabel("目標の項目数")
ax.legend(title="アクションプログラム", fontsize="small", loc="upper right")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. 達成状況区分の分布
#
# `rating` is the result rating of each measure; `rating_revised` is true when it was printed
# with * (targets were revised during the period).

# %%
ratings = pd.crosstab(
    measures["rating"].astype("string").fillna("なし"),
    measures["rating_revised"].map({True: "目標変更あり(*)", False: "目標変更なし"}).fillna("不明"),
)
ratings.index.name = "達成状況区分"
ratings.columns.name = None
ratings

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ratings.plot.bar(stacked=True, ax=ax, rot=0)
ax.set_title("施策の達成状況区分")
ax.set_xlabel("達成状況区分")
ax.set_ylabel("施策数")
ax.yaxis.set_major_locator(MaxNLocator(integer=True))
fig.tight_layout()
plt.show()

# %% [markdown]
# Where a measure's targets were revised, `reference_rating` is the rating against the original
# targets ((参考)当初の目標に対する達成状況).

# %%
pd.crosstab(
    measures["rating"].astype("string").fillna("なし").rename("達成状況区分"),
    measures["reference_rating"].astype("string").fillna("なし").rename("当初目標に対する達成状況区分"),
)

# %% [markdown]
# ## 3. 数量
#
# Every number with a counter or unit found in any text (`△10.7%` → −10.7 %), with the table
# and field it came from.

# %%
quantities.groupby("unit").agg(件数=("value", "size"), 合計=("value", "sum")).sort_values("件数", ascending=False)

# %%
quantities[["doc_id", "source", "measure_no", "part", "text", "value", "unit", "approx", "qualifier", "page"]]
