"""The review app and review.html in real headless Chromium (Debian's chromium + chromedriver, via Selenium).

These tests never skip: without Chromium they fail and say how to install it (`make test` does).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from review.app import create_app
from review.ledger import Ledger, apply_review_status
from review.report import write_report
from review.testing import PWN_IMG, PWN_SCRIPT, fixture_claims, write_output_folder

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
)
INSTALL_HINT = (
    "`make test` installs it (Debian packages chromium and chromium-driver, and selenium from PyPI); "
    "by hand: apt-get install -y chromium chromium-driver && .venv/bin/pip install selenium"
)
WAIT_S = 15


def _find_browser() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail(f"headless Chromium is required for the browser tests but was not found: {INSTALL_HINT}")
    return chromium, driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, chromedriver = _find_browser()
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as e:
        pytest.fail(f"selenium is required for the browser tests ({e}): {INSTALL_HINT}")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.set_page_load_timeout(WAIT_S)
    yield driver
    driver.quit()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve():
    """Start the review app over a folder with uvicorn on 127.0.0.1 in a thread; returns its base URL."""
    import uvicorn

    servers = []

    def start(out_dir: Path) -> str:
        port = _free_port()
        config = uvicorn.Config(
            create_app(out_dir, reviewer="browser"), host="127.0.0.1", port=port, log_level="warning"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        deadline = time.monotonic() + WAIT_S
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail(f"the review app did not start on 127.0.0.1:{port}")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def _wait(driver, condition, message: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S).until(lambda d: condition(d), message=message)


def _card_class(driver, claim_id: str) -> str:
    return driver.execute_script(
        "var el = document.getElementById(arguments[0]); return el ? el.className : '';", f"claim-{claim_id}"
    )


def _status_is(driver, claim_id: str, status: str) -> bool:
    return f"status-{status}" in _card_class(driver, claim_id).split()


def _press(driver, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()


def _current_claim(driver) -> str:
    return driver.execute_script(
        "var el = document.querySelector('.claim-card.current'); return el ? el.dataset.claimId : null;"
    )


def _pwned(driver) -> str:
    return driver.execute_script("return typeof window.__pwned;")


def test_review_browser_decisions_survive_reload_and_rerun(browser, serve, tmp_path):
    out_dir = write_output_folder(tmp_path / "out")
    base = serve(out_dir)
    browser.get(base + "/")
    _wait(browser, lambda d: _current_claim(d) == "c-aspirin-bleeding", "review.js did not select the first card")

    # keyboard: j/k move, a accepts the current card
    _press(browser, "j")
    assert _current_claim(browser) == "c-metformin-diabetes"
    _press(browser, "k")
    assert _current_claim(browser) == "c-aspirin-bleeding"
    _press(browser, "a")
    _wait(browser, lambda d: _status_is(d, "c-aspirin-bleeding", "accepted"), "accept via keyboard not shown")
    _wait(browser, lambda d: _current_claim(d) == "c-metformin-diabetes", "after a decision the next card is current")

    # keyboard: r rejects the (now current) next card
    _press(browser, "r")
    _wait(browser, lambda d: _status_is(d, "c-metformin-diabetes", "rejected"), "reject via keyboard not shown")

    # buttons: edit the third card's certainty with a reason
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    card = browser.find_element(By.ID, "claim-c-ibuprofen-nausea")
    card.find_element(By.CSS_SELECTOR, "details.edit summary").click()
    Select(card.find_element(By.CSS_SELECTOR, "form.edit-form select[name=certainty]")).select_by_visible_text("hedged")
    card.find_element(By.CSS_SELECTOR, "form.edit-form input[name=reason]").send_keys("'commonly' is a frequency")
    card.find_element(By.CSS_SELECTOR, "form.edit-form button.btn-save").click()
    _wait(browser, lambda d: _status_is(d, "c-ibuprofen-nausea", "edited"), "edit via button not shown")

    # reload: the decisions are read back from the ledger
    browser.refresh()
    _wait(browser, lambda d: _status_is(d, "c-aspirin-bleeding", "accepted"), "accepted lost on reload")
    assert _status_is(browser, "c-metformin-diabetes", "rejected")
    assert _status_is(browser, "c-ibuprofen-nausea", "edited")
    assert Ledger.for_folder(out_dir).latest()["c-ibuprofen-nausea"].edits == {"certainty": "hedged"}

    # re-run extraction: fresh tables (review_status reset, one claim changed), statuses from the ledger again
    rerun = fixture_claims()
    rerun.loc[rerun["claim_id"] == "c-metformin-diabetes", "population"] = "adults with kidney disease"
    rerun = apply_review_status(rerun, out_dir)
    write_output_folder(out_dir, claims=rerun)
    written = pd.read_parquet(out_dir / "claims.parquet").set_index("claim_id")["review_status"].to_dict()
    assert written == {
        "c-aspirin-bleeding": "accepted",
        "c-metformin-diabetes": "needs_rereview",
        "c-ibuprofen-nausea": "edited",
    }
    browser.refresh()
    _wait(browser, lambda d: _status_is(d, "c-metformin-diabetes", "needs_rereview"), "re-review flag not shown")
    assert _status_is(browser, "c-aspirin-bleeding", "accepted")
    assert _status_is(browser, "c-ibuprofen-nausea", "edited")
    assert "Changed since this review: population" in browser.find_element(By.ID, "claim-c-metformin-diabetes").text


def test_review_browser_hostile_article_runs_nothing_in_app(browser, serve, tmp_path):
    from selenium.webdriver.common.by import By

    base = serve(write_output_folder(tmp_path / "out"))
    for path in ("/", "/?group=drug", "/article?id=hostile%2Fpage&claim=c-ibuprofen-nausea"):
        browser.get(base + path)
        _wait(browser, lambda d: _current_claim(d) is not None, f"review.js did not run on {path}")
        assert _pwned(browser) == "undefined", f"article markup ran as script on {path}"
        text = browser.find_element(By.TAG_NAME, "body").text
        assert PWN_SCRIPT in text and PWN_IMG in text, f"article markup not shown as text on {path}"
        assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []


def test_review_browser_hostile_article_runs_nothing_in_report(browser, tmp_path):
    from selenium.webdriver.common.by import By

    out_dir = write_output_folder(tmp_path / "out")
    report = write_report(out_dir)
    browser.get(report.resolve().as_uri())
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".claim-card"), "review.html shows no claim cards")
    assert _pwned(browser) == "undefined"
    text = browser.find_element(By.TAG_NAME, "body").text
    assert PWN_SCRIPT in text and PWN_IMG in text
    assert browser.find_elements(By.CSS_SELECTOR, "img, script") == []
    assert len(browser.find_elements(By.CSS_SELECTOR, ".claim-card")) == 3


def test_review_browser_decision_survives_a_real_extraction_rerun(browser, serve, tmp_path, prefect_harness):
    """Review a claim the flow extracted, run the flow again on the same output folder: the decision stays."""
    from flows.extract import extract_claims

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ibuprofen.txt").write_text("Ibuprofen and the stomach\n\nIbuprofen can cause stomach ulcers in older adults.\n")
    out_dir = tmp_path / "out"
    extract_claims(str(corpus), str(out_dir))
    claim_id = pd.read_parquet(out_dir / "claims.parquet")["claim_id"].iloc[0]
    base = serve(out_dir)
    browser.get(base + "/")
    _wait(browser, lambda d: _current_claim(d) == claim_id, "the extracted claim is not the current card")
    _press(browser, "a")
    _wait(browser, lambda d: _status_is(d, claim_id, "accepted"), "accept via keyboard not shown")

    (corpus / "aspirin.txt").write_text("Aspirin\n\nAspirin can cause stomach bleeding.\n")  # the corpus grows
    extract_claims(str(corpus), str(out_dir))
    statuses = pd.read_parquet(out_dir / "claims.parquet").set_index("claim_id")["review_status"]
    assert statuses[claim_id] == "accepted"
    assert (statuses.drop(claim_id) == "unreviewed").all()
    browser.refresh()
    _wait(browser, lambda d: _status_is(d, claim_id, "accepted"), "decision lost after re-running extraction")
