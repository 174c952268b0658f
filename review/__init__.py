"""Review surface for extracted claims: ledger, static report, local app, analyst docs.

The flow calls two functions from here on every run:

- ``review.ledger.apply_review_status(claims, out_dir)`` before writing the claims tables;
- ``review.report.write_report(out_dir)`` after writing them.

Submodules are imported where used (``python -m review.app`` and ``python -m review.report`` stay clean).
"""
