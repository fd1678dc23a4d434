"""The visual audit report: built from what ``extract`` wrote, checked as HTML and in a browser."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.orchestration.cli import main
from pipeline.publishing.schema import TABLES, arrow_schema

FIXTURE = Path(__file__).parent / "fixtures" / "plan6.pdf"
# Debian's chromium package; another build can be named for local runs.
CHROMIUM = Path(os.environ.get("SESAKU_CHROMIUM", "/usr/bin/chromium"))


class Page(HTMLParser):
    """Ids with their text and attributes, links, and images of one HTML file."""

    VOID: frozenset[str] = frozenset({"img", "meta", "br", "input", "stop", "link", "hr"})

    def __init__(self, text: str):
        super().__init__()
        self.attrs: dict[str, dict] = {}
        self.text: dict[str, str] = {}
        self.tag: dict[str, str] = {}
        self.section: dict[str, str] = {}  # element id -> id of the page section holding it
        self.hrefs: list[str] = []
        self.targets: list[tuple[str, str]] = []  # (element id, referenced id)
        self.images: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "img":
            self.images.append(a["src"])
        el = a.get("id")
        if el:
            assert el not in self.attrs, f"duplicate id {el}"
            self.attrs[el] = a
            self.text[el] = ""
            self.tag[el] = tag
            self.section[el] = next((i for t, i in reversed(self._open) if t == "section" and i), None)
        for attr in ("data-target", "data-rows"):
            for ref in (a.get(attr) or "").split():
                self.targets.append((el, ref))
        if tag not in self.VOID:
            self._open.append((tag, el))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self._open.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self._open:
            t, _ = self._open.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, el in self._open:
            if el:
                self.text[el] += data


def rows(extracted: Path, table: str) -> list[dict]:
    return pq.read_table(extracted / f"{table}.parquet").to_pylist()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("extracted")
    assert main(["extract", str(FIXTURE), "--out", str(out), "--workers", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def report(extracted, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("audit")
    assert main(["audit", str(extracted), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def page(report) -> Page:
    return Page((report / "plan6" / "index.html").read_text(encoding="utf-8"))


def test_every_measure_and_target_row_is_shown_and_linked(extracted, page):
    measures = rows(extracted, "measures")
    targets = rows(extracted, "targets")
    assert len(measures) == 18 and len(targets) == 175
    for i, m in enumerate(measures):
        el = f"measures-{i}"
        assert m["measure"] in page.text[el]
        assert f"区分 {m['rating_raw']}" in page.text[el]
        # The measure row points at its name cell on the page it starts on.
        name_cells = [t for t in page.attrs[el]["data-target"].split() if "measure" in page.attrs[t]["class"].split()]
        assert len(name_cells) == 1
        assert page.section[name_cells[0]] == f"page-{m['page_start']}"
    for i, t in enumerate(targets):
        el = f"targets-{i}"
        assert t["text"] in page.text[el]
        assert str(t["fiscal_year"]) in page.text[el]
        assert page.section[el] == f"page-{t['page']}"
        (region,) = page.attrs[el]["data-target"].split()
        r = page.attrs[region]
        # The region is on the same page, contains the row's box and wears its year's colour.
        assert page.section[region] == f"page-{t['page']}"
        x, y, w, h = (float(r[k]) for k in ("x", "y", "width", "height"))
        assert x - 1 <= t["x0"] and y - 1 <= t["top"] and t["x1"] <= x + w + 1 and t["bottom"] <= y + h + 1
        assert f"fy{t['fiscal_year']}" in r["class"].split()
        assert el in r["data-rows"].split()


def test_cells_carry_their_roles_and_merges(page):
    # Page 5, measure 1 (アジア起業家村構想の推進): name cell, 現状, one target cell per year.
    assert "アジア起業家村構想の推進" in page.text["cell-p5-t1-r3-c0"]
    assert "measure" in page.attrs["cell-p5-t1-r3-c0"]["class"].split()
    assert "current" in page.attrs["cell-p5-t1-r3-c1"]["class"].split()
    for col, year in ((2, 2008), (3, 2009), (4, 2010), (5, 2011)):
        assert f"fy{year}" in page.attrs[f"cell-p5-t1-r3-c{col}"]["class"].split()
    # Measure 2's target cell is merged over 2008-2010: three year colours side by side.
    merged = page.attrs["cell-p5-t1-r5-c2"]
    assert [c for c in merged["class"].split() if c.startswith("fy")] == ["fy2008", "fy2009", "fy2010"]
    assert "fill:url(#g-cell-p5-t1-r5-c2)" in merged["style"]
    assert (float(merged["x"]), float(merged["width"])) == (315.0, pytest.approx(678.3 - 315.0))
    assert "merged 1×3" in page.text["cell-p5-t1-r5-c2"]
    # The result cell holds all three blocks; its label cells are period and rating.
    assert {"outcomes", "changes", "revised_targets"} <= set(page.attrs["cell-p5-t1-r4-c2"]["class"].split())
    assert "period" in page.attrs["cell-p5-t1-r4-c0"]["class"].split()
    assert "rating" in page.attrs["cell-p5-t1-r4-c1"]["class"].split()
    assert "program" in page.attrs["cell-p5-t1-r2-c0"]["class"].split()
    assert "header" in page.attrs["cell-p5-t1-r0-c1"]["class"].split()
    # Measure 1's row links to its name, period and rating cells.
    assert page.attrs["measures-0"]["data-target"].split() == ["cell-p5-t1-r3-c0", "cell-p5-t1-r4-c0", "cell-p5-t1-r4-c1"]


def test_every_link_resolves_and_images_exist(extracted, report, page):
    assert page.hrefs and page.targets
    for href in page.hrefs:
        assert href.startswith("#") and href[1:] in page.attrs, href
    for el, ref in page.targets:
        assert ref in page.attrs, f"{el} -> {ref}"
    # Links go both ways: a region lists every row that points at it.
    for el, ref in page.targets:
        if el and ref in page.attrs[el].get("data-target", "").split():
            assert el in page.attrs[ref].get("data-rows", "").split(), f"{ref} does not list {el}"
    from PIL import Image

    assert page.images == [f"page-{n:03d}.png" for n in range(1, 12)]
    for src in page.images:
        path = report / "plan6" / src
        assert path.stat().st_size > 10_000
        with Image.open(path) as im:
            # Rendered at 2x: 842 x 595 pt landscape pages -> 1684 x 1191 px.
            assert im.format == "PNG" and im.size in ((1684, 1191), (1191, 1684))
    # Self-contained: nothing fetched from anywhere.
    html = (report / "plan6" / "index.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert 'href="plan6/index.html"' in (report / "index.html").read_text(encoding="utf-8")


def test_summary_counts_ratings_and_every_other_row(extracted, page):
    run = json.loads((extracted / "_run.json").read_text(encoding="utf-8"))
    counts = run["documents"][0]["rows"]
    assert counts["targets"] == 175 and counts["results"] == 73
    assert "targets175175" in page.text["counts"].replace(" ", "")
    for table in ("programs", "measures", "current_items", "results", "narrative", "quantities", "leftovers"):
        got = rows(extracted, table)
        assert len(got) == counts[table]
        for i, r in enumerate(got):
            assert f"{table}-{i}" in page.attrs, f"{table}-{i} missing"
            if "text" in r and table != "quantities":
                assert r["text"] in page.text[f"{table}-{i}"]
    ratings = page.text["ratings"]
    measures = rows(extracted, "measures")
    for raw in {m["rating_raw"] for m in measures}:
        assert f"{raw}{sum(m['rating_raw'] == raw for m in measures)}" in ratings
    assert page.text["warnings"] == "none" and page.text["leftovers"] == "none"
    # A quantity links to the region of the item it was read from.
    quantities = rows(extracted, "quantities")
    i = next(i for i, q in enumerate(quantities) if q["source"] == "narrative")
    q = quantities[i]
    (para,) = page.attrs[f"quantities-{i}"]["data-target"].split()
    assert q["text"] in page.text[para] and page.section[para] == f"page-{q['page']}"
    # Prose bullets are outlined one by one, their headings around them.
    narrative = rows(extracted, "narrative")
    (para,) = page.attrs["narrative-0"]["data-target"].split()
    assert float(page.attrs[para]["x"]) == narrative[0]["x0"] and float(page.attrs[para]["y"]) == narrative[0]["top"]
    assert "results_bullet" in page.attrs[para]["class"].split()
    groups = [el for el, a in page.attrs.items() if "nheading" in a.get("class", "").split() and "narrative-0" in a.get("data-rows", "").split()]
    assert len(groups) == 1 and narrative[0]["heading"] in page.text[groups[0]]


def _rewrite(table_dir: Path, table: str, extra: list[dict]) -> None:
    schema = arrow_schema(TABLES[table])
    data = rows(table_dir, table) + extra
    pq.write_table(pa.Table.from_pylist(data, schema=schema), table_dir / f"{table}.parquet")


def test_leftovers_and_warnings_are_flagged(extracted, tmp_path):
    # The fixture extracts cleanly, so give a copy a leftover and a warning.
    copy = tmp_path / "extracted"
    shutil.copytree(extracted, copy)
    _rewrite(copy, "leftovers", [{"doc_id": "plan6", "page": 6, "text": "※注記", "reason": "outside any cell",
                                  "x0": 50.0, "top": 560.0, "x1": 90.0, "bottom": 570.0, "ocr": False}])
    run = json.loads((copy / "_run.json").read_text(encoding="utf-8"))
    run["documents"][0]["warnings"] = ["page 6: a row band without text"]
    (copy / "_run.json").write_text(json.dumps(run), encoding="utf-8")
    out = tmp_path / "audit"
    assert main(["audit", str(copy), "--out", str(out)]) == 0
    page = Page((out / "plan6" / "index.html").read_text(encoding="utf-8"))
    assert "page 6: a row band without text" in page.text["warnings"]
    assert "※注記" in page.text["leftovers"] and "outside any cell" in page.text["leftovers"]
    region = page.attrs["left-0"]
    assert "leftover" in region["class"].split() and page.section["left-0"] == "page-6"
    assert (region["x"], region["y"], region["width"], region["height"]) == ("50", "560", "40", "10")
    assert region["data-rows"] == "leftovers-0" and page.attrs["leftovers-0"]["data-target"] == "left-0"
    # The counts table flags the mismatch with _run.json (0 recorded, 1 read).
    assert "leftovers10" in page.text["counts"].replace(" ", "")


def test_ocr_cells_have_their_own_outline_and_show_their_confidence(extracted, tmp_path):
    copy = tmp_path / "extracted"
    shutil.copytree(extracted, copy)
    cells = rows(copy, "cells")
    for c in cells:
        if c["page"] == 5:
            c["ocr"], c["ocr_confidence"] = True, 0.87
    pq.write_table(pa.Table.from_pylist(cells, schema=arrow_schema(TABLES["cells"])), copy / "cells.parquet")
    out = tmp_path / "audit"
    assert main(["audit", str(copy), "--out", str(out)]) == 0
    page = Page((out / "plan6" / "index.html").read_text(encoding="utf-8"))
    assert "ocr" in page.attrs["cell-p5-t1-r3-c0"]["class"].split()
    assert "OCR (confidence 0.87)" in page.text["cell-p5-t1-r3-c0"]
    typeset = [el for el in page.attrs if el.startswith("cell-p6-")]
    assert typeset and not any("ocr" in page.attrs[el]["class"].split() for el in typeset)


def test_pdf_found_by_pdf_dir_and_checked_by_hash(extracted, tmp_path, monkeypatch, capsys):
    copy = tmp_path / "extracted"
    shutil.copytree(extracted, copy)
    run = json.loads((copy / "_run.json").read_text(encoding="utf-8"))
    run["documents"][0]["path"] = "moved/plan6.pdf"
    (copy / "_run.json").write_text(json.dumps(run), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no raw_pdfs/ here
    assert main(["audit", str(copy), "--out", str(tmp_path / "a")]) == 2
    assert "PDF moved/plan6.pdf not found; give its folder with --pdf-dir" in capsys.readouterr().err
    assert main(["audit", str(copy), "--out", str(tmp_path / "b"), "--pdf-dir", str(FIXTURE.parent)]) == 0
    assert (tmp_path / "b" / "plan6" / "page-005.png").stat().st_size > 0
    # Another PDF under the same name would misplace every box: refused.
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(FIXTURE.parent / "plan6-excel.pdf", other / "plan6.pdf")
    assert main(["audit", str(copy), "--out", str(tmp_path / "c"), "--pdf-dir", str(other)]) == 2
    assert "differ(s) from the extracted PDF" in capsys.readouterr().err


def test_a_pdf_is_extracted_first(page, tmp_path):
    out = tmp_path / "audit"
    assert main(["audit", str(FIXTURE), "--out", str(out)]) == 0
    again = Page((out / "plan6" / "index.html").read_text(encoding="utf-8"))
    assert set(again.attrs) == set(page.attrs)


def test_a_target_reading_like_a_program_heading_is_still_coloured_as_a_target(tmp_path):
    # The audit links cells by the keys extraction gave them, never by what their text says:
    # a target that happens to start with the program word stays a target.
    from synth import Measure, Program, SubRow, Target, build_table_pdf, plan_grid, year_labels

    pdf = tmp_path / "lookalike.pdf"
    programs = [Program("産業の振興", "3", [Measure("起業の支援", "起業を支援します。", rows=[
        SubRow(["相談窓口を設置"], [Target(0, ["アクションプログラムの周知"]), Target(1, ["説明会の開催"])])],
        outcomes=["説明会を3回開催しました。"])])]
    build_table_pdf(pdf, plan_grid(year_labels(2008, 2), programs))
    out = tmp_path / "out"
    assert main(["extract", str(pdf), "--out", str(out), "--workers", "1"]) == 0
    (target,) = [t for t in rows(out, "targets") if t["text"].startswith("アクションプログラム")]
    assert main(["audit", str(out), "--out", str(tmp_path / "audit")]) == 0
    html = Page((tmp_path / "audit" / "lookalike" / "index.html").read_text(encoding="utf-8"))
    cells = [el for el, text in html.text.items() if el.startswith("cell-") and "アクションプログラムの周知" in text]
    assert len(cells) == 1
    classes = html.attrs[cells[0]]["class"].split()
    assert f"fy{target['fiscal_year']}" in classes and "program" not in classes


# ---------------------------------------------------------------- in a browser


class DevTools:
    """Just enough of the Chrome DevTools protocol: one page, commands and their replies."""

    def __init__(self, ws_url: str):
        import websocket

        # Chromium refuses websocket clients that send an Origin it did not allow.
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0

    def send(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.js(expression):
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def click(self, x: float, y: float):
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


@pytest.fixture
def browser(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium); browser check skipped")
    pytest.importorskip("websocket", reason="websocket-client is not installed (pip install websocket-client)")
    profile = tmp_path / "profile"
    proc = subprocess.Popen(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1600,1000", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        # Chromium writes the port it picked into DevToolsActivePort once it listens.
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"Chromium did not start: {proc.stderr.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            target = next(t for t in json.load(resp) if t["type"] == "page")
        tools = DevTools(target["webSocketDebuggerUrl"])
        yield tools
        tools.ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _centre(tools: DevTools, el: str) -> tuple[float, float]:
    box = tools.js(
        f"(() => {{ const e = document.getElementById('{el}'); e.scrollIntoView({{block: 'center'}});"
        " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    time.sleep(0.2)  # let the scroll settle before clicking
    return tuple(box)


@pytest.mark.slow
def test_clicking_a_row_highlights_its_region_in_chromium(extracted, report, browser):
    tools = browser
    tools.send("Emulation.setDeviceMetricsOverride", width=1600, height=1000, deviceScaleFactor=1, mobile=False)
    tools.send("Page.enable")
    tools.send("Page.navigate", url=(report / "plan6" / "index.html").as_uri())
    tools.wait_for("document.readyState === 'complete' && !!window.sesakuAudit")
    # Japanese labels are drawn with the report's own font, not a system one
    # (a machine without CJK fonts would show boxes).
    tools.wait_for("document.fonts.status === 'loaded'")
    fonts = tools.js("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("sesaku-ipaexg" in f for f in fonts), fonts
    assert tools.js("document.fonts.check('13px \"sesaku-ipaexg\"', '達成状況区分')") is True
    # Measure 2's targets: one cell merged over 2008-2010 on page 5.
    targets = rows(extracted, "targets")
    i = next(i for i, t in enumerate(targets) if t["measure_no"] == 2 and t["fiscal_year"] == 2009)
    row = f"targets-{i}"
    region = tools.js(f"document.getElementById('{row}').dataset.target")
    assert region == "cell-p5-t1-r5-c2"
    assert tools.js(f"document.getElementById('{region}').classList.contains('hl')") is False
    x, y = _centre(tools, row)
    assert tools.js(f"document.elementFromPoint({x}, {y}).closest('[data-target]').id") == row
    tools.click(x, y)
    state = tools.js(
        f"(() => {{ const r = document.getElementById('{region}'), s = getComputedStyle(r), b = r.getBoundingClientRect();"
        f" return {{row: document.getElementById('{row}').classList.contains('hl'), region: r.classList.contains('hl'),"
        " stroke: s.stroke, width: s.strokeWidth, visible: b.top >= 0 && b.bottom <= innerHeight && b.width > 0,"
        " others: document.querySelectorAll('svg .hl').length}; })()"
    )
    # Highlighted in the highlight colour (#ff1744), scrolled into view, and alone.
    assert state == {"row": True, "region": True, "stroke": "rgb(255, 23, 68)", "width": "4px", "visible": True, "others": 1}
    # Screenshot of the page view with the highlight, for people to look at.
    time.sleep(1.2)  # the pulse animation ends after two 1s cycles... near enough to its end
    shot = tools.send("Page.captureScreenshot", format="png")
    (report / "screenshot.png").write_bytes(base64.b64decode(shot["data"]))
    assert (report / "screenshot.png").stat().st_size > 50_000

    # The reverse: click a region, its rows light up (the 2011 target cell of measure 1).
    cell = "cell-p5-t1-r3-c5"
    x, y = _centre(tools, cell)
    assert tools.js(f"document.elementFromPoint({x}, {y}).id") == cell
    tools.click(x, y)
    lit = tools.js("[...document.querySelectorAll('.row.hl')].map(e => e.id)")
    expected = [f"targets-{i}" for i, t in enumerate(targets) if t["measure_no"] == 1 and t["fiscal_year"] == 2011]
    assert lit == expected and expected
    assert tools.js(f"document.getElementById('{cell}').classList.contains('hl')") is True


def test_report_ships_its_japanese_font(report):
    font = report / "_fonts" / "ipaexg.ttf"
    assert font.is_file() and font.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    for page, prefix in ((report / "index.html", ""), (report / "plan6" / "index.html", "../")):
        html_text = page.read_text(encoding="utf-8")
        assert f'src: url("{prefix}_fonts/ipaexg.ttf")' in html_text
        assert 'font-family: "sesaku-ipaexg", system-ui' in html_text


def _rect(page: Page, el: str) -> tuple[float, float, float, float]:
    r = page.attrs[el]
    x, y, w, h = (float(r[k]) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def test_prose_group_outlines_hold_their_sub_headings_and_cross_none(extracted, page):
    narrative = rows(extracted, "narrative")
    headings = {(n["page"], n["heading_x0"], n["heading_top"], n["heading_x1"], n["heading_bottom"])
                for n in narrative if n["heading_x0"] is not None}
    # The fixture's results carry sub-headings on the pages of their bullets.
    assert len(headings) >= 5
    groups = [el for el in page.attrs if el.startswith(("nheading-", "nprogram-"))]
    assert groups
    for i, n in enumerate(narrative):
        if n["heading_x0"] is None:
            continue
        box = (n["heading_x0"], n["heading_top"], n["heading_x1"], n["heading_bottom"])
        held = [g for g in page.attrs[f"narrative-{i}"].get("data-groups", "").split() or groups
                if f"narrative-{i}" in page.attrs[g].get("data-rows", "").split()]
        assert {g.split("-")[0] for g in held} == {"nheading", "nprogram"}
        for g in held:
            x0, y0, x1, y1 = _rect(page, g)
            assert x0 <= box[0] and y0 <= box[1] and box[2] <= x1 and box[3] <= y1, (g, n["heading"])
    for pg, *box in headings:
        for g in groups:
            if page.section[g] != f"page-{pg}":
                continue
            x0, y0, x1, y1 = _rect(page, g)
            inside = x0 <= box[0] and y0 <= box[1] and box[2] <= x1 and box[3] <= y1
            apart = box[2] <= x0 or x1 <= box[0] or box[3] <= y0 or y1 <= box[1]
            assert inside or apart, f"{g} runs through a sub-heading on p.{pg}"
