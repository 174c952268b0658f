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

from review.cards import claims_path, consecutive_groups, iter_cards, stored_summary, stored_titles
from review.errors import ReviewError
from review.render import environment, static_text

REPORT_FILENAME = "review.html"


def write_report(out_dir: Path) -> Path:
    """Write ``out_dir/review.html`` from the folder's claims, articles and review ledger.

    The page is rendered as a stream from the claims table read in chunks, so a large output folder is never
    held in memory as cards or as one HTML string.
    """
    out_dir = Path(out_dir)
    claims_path(out_dir)
    css = static_text("review.css")
    if "</" in css:
        raise ReviewError("review.css must not contain '</'; it is inlined into a <style> element.")
    total, bars = stored_summary(out_dir)
    n_articles, titles = stored_titles(out_dir)
    pieces = environment().get_template("report.html").generate(
        css=Markup(css),
        total=total,
        n_articles=n_articles,
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        bars=bars,
        groups=consecutive_groups(iter_cards(out_dir, titles)),
    )
    path = out_dir / REPORT_FILENAME
    tmp = path.with_suffix(".html.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.writelines(pieces)
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
