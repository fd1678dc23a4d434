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
# 1. each program's targets per fiscal year, as printed and after the revisions of 【変更後の目標】
# 2. the measures whose targets were revised, year by year, with their rating
# 3. achievement ratings (達成状況区分) per program
# 4. the counted quantities (数量) found in the text
# 5. the same tables straight from a PDF with `read_pdf`, no files written

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
measure_years = pd.read_parquet(EXTRACTED / "measure_years.parquet")
quantities = pd.read_parquet(EXTRACTED / "quantities.parquet")
pd.DataFrame(run["documents"])[["doc_id", "status", "pages"]]

# %% [markdown]
# ## 1. 年度別・アクションプログラム別の目標数(当初と変更後)
#
# `measure_years` has one row per measure and fiscal year of the plan: the target items printed
# for that year (`targets`, `target_count`) and the same after applying the structured revisions
# of 【変更後の目標】 (`targets_revised`, `target_count_revised`; the changes themselves are in
# `target_changes`). Counting target *items* per year compares like with like.

# %%
def year_label(row) -> str:
    return f"{row.fiscal_year}年度" + ("以降" if row.and_after else "")


measure_years["年度"] = measure_years.apply(year_label, axis=1)
per_year = measure_years.pivot_table(
    index=["doc_id", "program_no", "program"], columns="年度",
    values=["target_count", "target_count_revised"], aggfunc="sum", sort=True,
).rename(columns={"target_count": "当初", "target_count_revised": "変更後"}, level=0)
per_year = per_year.swaplevel(0, 1, axis=1).sort_index(axis=1, level=0, sort_remaining=False)
per_year.index.names = ["文書", "番号", "アクションプログラム"]
per_year

# %%
totals = measure_years.groupby("年度", sort=True)[["target_count", "target_count_revised"]].sum()
totals.columns = ["当初の目標", "変更後の目標"]
fig, ax = plt.subplots(figsize=(8, 4))
totals.plot.bar(ax=ax, rot=0)
ax.set_title("年度別の目標項目数(当初と変更後)")
ax.set_xlabel("年度")
ax.set_ylabel("目標の項目数")
ax.yaxis.set_major_locator(MaxNLocator(integer=True))
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. 目標が変更された施策
#
# Every measure and year whose targets differ after revision, with the rating the city gave
# (`rating_label` comes from the legend the PDF prints, else from `--rating-legend`, else from
# sesaku's assumed default: `rating_label_source` says which).

# %%
revised = measure_years[measure_years["targets"].fillna("") != measure_years["targets_revised"].fillna("")]
revised[["doc_id", "measure_no", "measure", "年度", "targets", "targets_revised", "rating", "rating_label",
         "rating_label_source"]].rename(columns={"targets": "当初の目標", "targets_revised": "変更後の目標"})

# %% [markdown]
# ## 3. アクションプログラム別の達成状況区分
#
# One measure counts once (its rating is the same in every year row). `*` (`rating_revised`)
# marks ratings given against revised targets.

# %%
per_measure = measure_years.drop_duplicates(["doc_id", "measure_no"])
ratings = pd.crosstab(
    [per_measure["program_no"], per_measure["program"]],
    per_measure["rating"].astype("string").fillna("なし") + " " + per_measure["rating_label"].fillna(""),
)
ratings.index.names = ["番号", "アクションプログラム"]
ratings.columns.name = "達成状況区分"
ratings

# %%
fig, ax = plt.subplots(figsize=(9, 4))
ratings.droplevel(0).plot.barh(stacked=True, ax=ax)
ax.set_title("アクションプログラム別の施策の達成状況区分")
ax.set_xlabel("施策数")
ax.set_ylabel("")
ax.xaxis.set_major_locator(MaxNLocator(integer=True))
ax.legend(title="達成状況区分", fontsize="small")
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
# ## 4. 数量
#
# Every number with a counter or unit found in any text (`△10.7%` → −10.7 %), with the table
# and field it came from. Units are counted, never summed: 11社 in one sentence and 3社 in
# another are not parts of one total.

# %%
quantities.groupby("unit").size().rename("件数").sort_values(ascending=False).to_frame()

# %%
quantities[["doc_id", "source", "measure_no", "part", "text", "value", "unit", "approx", "qualifier", "page"]]

# %% [markdown]
# ## 5. PDFから直接 / Straight from a PDF
#
# `read_pdf` gives one PDF's tables as DataFrames with the Parquet dtypes, without writing files.

# %%
from pipeline import read_pdf

documents = pd.read_parquet(EXTRACTED / "documents.parquet")
pdf = repo_root(Path.cwd().resolve()) / "raw_pdfs" / documents["file_name"].iloc[0]
if pdf.is_file():
    tables = read_pdf(pdf)
    same = tables["measure_years"].equals(pd.read_parquet(EXTRACTED / "measure_years.parquet").query("doc_id == @pdf.stem").reset_index(drop=True))
    print(f"{pdf.name}: {len(tables['measure_years'])} measure-year rows; same as extracted/: {same}")
else:
    print(f"{pdf} is not in this checkout; read_pdf needs the PDF itself")
