"""Static review.html: self-contained, escaped, with cards and a summary chart."""

import re

from review.ledger import record_decision
from review.report import write_report
from review.testing import PWN_SCRIPT, fixture_claims, write_output_folder


def _report(tmp_path) -> str:
    write_output_folder(tmp_path)
    path = write_report(tmp_path)
    assert path == tmp_path / "review.html"
    return path.read_text(encoding="utf-8")


def test_report_escapes_article_markup(tmp_path):
    html = _report(tmp_path)
    assert PWN_SCRIPT not in html
    assert "<img" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    assert "<script" not in html.lower()  # the report carries no script at all


def test_report_has_no_external_urls(tmp_path):
    html = _report(tmp_path)
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"""\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html, re.I)
    assert "@import" not in html
    # the only URLs are the articles' own, shown escaped as text
    for url in re.findall(r"https?://[^\s\"'<&]+", html):
        assert url.startswith("https://example.org/"), url
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_report_contains_cards_highlights_and_chart(tmp_path):
    html = _report(tmp_path)
    assert html.count('class="claim-card') == len(fixture_claims())
    assert '<mark class="hl hl-drug" title="drug">Aspirin</mark>' in html
    assert '<mark class="hl hl-hedge" title="hedge">may</mark>' in html
    assert '<mark class="hl hl-population" title="population">older adults</mark>' in html
    assert "Claims by relation" in html and "Claims by drug" in html
    assert html.count("<svg") == 3
    for field in ("hedged", "0.82", "1 in 10 people", "unreviewed"):
        assert field in html


def test_report_shows_review_status_from_ledger(tmp_path):
    write_output_folder(tmp_path)
    claim = fixture_claims().iloc[0].to_dict()
    record_decision(tmp_path, claim, decision="rejected", reviewer="ana <b>", reason="wrong <i>drug</i>")
    html = write_report(tmp_path).read_text(encoding="utf-8")
    assert 'class="claim-card status-rejected"' in html
    assert "ana &lt;b&gt;" in html and "wrong &lt;i&gt;drug&lt;/i&gt;" in html
