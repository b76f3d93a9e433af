"""The view and report pages in a real browser: Debian's headless Chromium, driven by Selenium
through the system chromedriver (given explicitly: Selenium Manager never downloads anything).

Skipped only when Chromium is not installed and the run is not CI; under CI (env CI=true)
a missing browser is a failure (`.ci/run` installs it). Screenshots go to the test's tmp
folder, or to $IMR_NLP_SCREENSHOTS when set (how docs/img/ was made).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import srsly
from conftest import ROOT

CHROMIUM_NAMES = ("chromium", "chromium-browser")
VIEW_LETTER = ROOT / "samples" / "letters" / "2016-2017" / "pdf" / "CM16-0242419.pdf"
REPORT_INPUTS = [
    ROOT / "samples" / "letters" / "seeds-2014",
    ROOT / "samples" / "letters" / "2016-2017" / "txt",
]
# Flags Chromium needs as root on a machine without network (no sandbox, no background traffic).
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)


def _binaries() -> tuple[str | None, str | None]:
    browser = next((shutil.which(name) for name in CHROMIUM_NAMES if shutil.which(name)), None)
    return browser, shutil.which("chromedriver")


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    browser, chromedriver = _binaries()
    if browser is None or chromedriver is None:
        missing = "chromium" if browser is None else "chromedriver (Debian package chromium-driver)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{missing} is not installed, and CI=true: .ci/run should have installed it")
        pytest.skip(f"{missing} is not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


def _shots(tmp_path: Path) -> Path:
    target = os.environ.get("IMR_NLP_SCREENSHOTS")
    folder = Path(target) if target else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "imr_nlp", *args], capture_output=True, text=True, timeout=180, cwd=cwd
    )
    assert done.returncode == 0, done.stderr
    return done


def _open(driver, page: Path) -> list[dict]:
    driver.get(page.resolve().as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    return driver.get_log("browser")


def _severe(logs: list[dict]) -> list[dict]:
    return [entry for entry in logs if entry.get("level") == "SEVERE"]


def _unique_ids(driver) -> None:
    ids = driver.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids))


def _no_network(driver) -> None:
    """Nothing but the page itself was fetched (no scripts, styles, fonts or images from elsewhere)."""
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources == []


_LETTER_TEXT = """
const copy = arguments[0].cloneNode(true);
copy.querySelectorAll('.ent-label, .badge').forEach(e => e.remove());
return copy.textContent;
"""


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_view_page_in_chromium(driver, tmp_path, nlp):
    page = tmp_path / "letter.html"
    _cli("view", str(VIEW_LETTER.relative_to(ROOT)), "--output", str(page), cwd=ROOT)
    logs = _open(driver, page)
    assert _severe(logs) == [], logs
    _no_network(driver)
    _unique_ids(driver)

    from imr_nlp.view import view_letter

    _, record = view_letter(VIEW_LETTER, nlp=nlp)
    body = driver.find_element("tag name", "body").text
    assert record["case_number"] in body
    assert record["case_number"] in driver.title
    # Every entity is a displaCy mark with its label; each kind of label is shown.
    marks = driver.execute_script(
        "return Array.from(document.querySelectorAll('mark.entity')).map(m => [m.dataset.label, m.style.backgroundColor])"
    )
    assert len(marks) >= len(record["entities"]) > 20
    assert {label for label, _ in marks} == {e["label"] for e in record["entities"]}
    # The items table has one row per item, linked to its parts in the letter.
    rows = driver.find_elements("css selector", "table.items tr[id^='item-']")
    assert len(rows) == len(record["items"]) >= 2
    for n, item in enumerate(record["items"], start=1):
        row = driver.find_element("id", f"item-{n}")
        assert item["outcome"] in row.text
        assert _flat(item["request"]["text"])[:25] in _flat(row.text)
        for part in ("request", "rationale"):  # the marked part holds exactly the item's span
            marked = driver.execute_script(_LETTER_TEXT, driver.find_element("id", f"item-{n}-{part}"))
            assert "".join(marked.split()) == "".join(item[part]["text"].split())
    # Following the rationale link scrolls the letter to it.
    link = driver.find_element("css selector", "#item-2 a[href='#item-2-rationale']")
    link.click()
    assert driver.execute_script("return location.hash") == "#item-2-rationale"
    assert driver.execute_script("return window.scrollY") > 500
    driver.execute_script("window.scrollTo(0, 0)")
    driver.set_window_size(1280, 1700)  # header, items table and the start of the letter
    shot = _shots(tmp_path) / "view.png"
    driver.save_screenshot(str(shot))
    driver.set_window_size(1280, 1000)
    assert shot.stat().st_size > 10_000


def test_report_page_in_chromium(driver, tmp_path, nlp):
    from imr_nlp.cli import parse_records

    records = tmp_path / "letters.jsonl"
    srsly.write_jsonl(records, parse_records(REPORT_INPUTS, nlp=nlp))
    page, summary_file = tmp_path / "report.html", tmp_path / "summary.json"
    _cli("report", str(records), "--output", str(page), "--json", str(summary_file), cwd=tmp_path)
    summary = json.loads(summary_file.read_text(encoding="utf8"))
    logs = _open(driver, page)
    assert _severe(logs) == [], logs
    _no_network(driver)
    _unique_ids(driver)

    overview = dict(
        driver.execute_script(
            "return Array.from(document.querySelectorAll('table.overview tr')).slice(1)"
            ".map(r => [r.cells[0].textContent, r.cells[1].textContent])"
        )
    )
    assert overview["letters parsed"] == str(summary["letters"]) == "73"
    assert overview["disputed items"] == str(summary["items"])
    assert overview["overturned"] == str(summary["outcomes"]["overturned"])
    assert overview["overturn rate"] == f"{100 * summary['outcomes']['overturn_rate']:.1f}%"
    drug_rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('table.by-drug-class tr')).slice(1).map(r => r.cells[0].textContent)"
    )
    assert drug_rows == [row["key"] for row in summary["by_drug_class"]["rows"]]
    # Plots are inline SVG, rendered with a size.
    sizes = driver.execute_script(
        "return Array.from(document.querySelectorAll('.plot svg')).map(s => s.getBoundingClientRect().width)"
    )
    assert len(sizes) >= 6 and min(sizes) > 100
    driver.set_window_size(1280, 1700)
    shot = _shots(tmp_path) / "report.png"
    driver.save_screenshot(str(shot))
    driver.set_window_size(1280, 1000)
    assert shot.stat().st_size > 10_000
