"""The Jinja2 environment shared by the app and the static report (autoescape always on)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import jinja2

from review.vocab import CERTAINTIES, DECISIONS, EDITABLE_FIELDS, RELATIONS, REVIEW_STATUSES


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("review", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        relations=RELATIONS,
        certainties=CERTAINTIES,
        decisions=DECISIONS,
        statuses=REVIEW_STATUSES,
        editable_fields=EDITABLE_FIELDS,
    )
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def static_text(name: str) -> str:
    """A file of the package's static folder, as text (for inlining into the report)."""
    return resources.files("review").joinpath("static", name).read_text(encoding="utf-8")
