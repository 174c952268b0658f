"""The static review report: ``DIR/review.html``, self-contained and read-only.

No script, no external asset, no network: styles are inlined and a Content-Security-Policy meta tag
forbids everything else, so even article text that slipped past escaping could not run.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from markupsafe import Markup

from review.cards import group_cards, load_cards, summary_bars
from review.errors import ReviewError
from review.render import render, static_text

REPORT_FILENAME = "review.html"


def write_report(out_dir: Path) -> Path:
    """Write ``out_dir/review.html`` from the folder's claims, articles and review ledger."""
    out_dir = Path(out_dir)
    tables, cards = load_cards(out_dir)
    css = static_text("review.css")
    if "</" in css:
        raise ReviewError("review.css must not contain '</'; it is inlined into a <style> element.")
    html = render(
        "report.html",
        css=Markup(css),
        total=len(cards),
        n_articles=tables.articles["article_id"].nunique() if len(tables.articles) else 0,
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        bars=summary_bars(cards),
        groups=group_cards(cards, "article"),
    )
    path = out_dir / REPORT_FILENAME
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m review.report", description=write_report.__doc__)
    parser.add_argument("out_dir", type=Path, help="output folder of flows.extract")
    args = parser.parse_args(argv)
    try:
        path = write_report(args.out_dir)
    except ReviewError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
