"""Quality gate on the three development sets in ../shared/data. Floors may only go up.

Floors of issue 18, the same on every set where it has gold for the field: body F1 ≥ 0.97, time
≥ 0.95, 来源 ≥ 0.85, author ≥ 0.80, title ≥ 0.97 (the modern sets). Measured when they were set
(`kuaizhao extract --eval DIR`): zh-news-pages body 0.980, time 0.96, author 0.96;
zh-news-pages-modern body 0.993, title 1.00, time 1.00, source 0.92, author 0.90;
zh-news-pages-extra body 0.987, title 1.00, time 1.00, source 1.00, author 1.00. Scoring is
`kuaizhao.evaluate` (body F1 over character bigrams, manifest flags applied as the data set's
README allows), with the capture time unknown, as for a saved page.
"""

from pathlib import Path

import pytest

from conftest import shared_data
from kuaizhao.evaluate import evaluate

MODERN = {"body_f1": 0.97, "title": 0.97, "time": 0.95, "source": 0.85, "author": 0.80}
FLOORS = {
    "zh-news-pages": {"body_f1": 0.97, "time": 0.95, "author": 0.80},
    "zh-news-pages-modern": MODERN,
    "zh-news-pages-extra": MODERN,
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_floor(name):
    report = evaluate(shared_data(name))
    figures = report.figures()
    for field, floor in FLOORS[name].items():
        assert figures[field] is not None and figures[field] >= floor, f"{name} {field}: {report.line()}"


def test_template_families_floor():
    """The composed pages of tests/data/extract-templates (a regression guard, see its README)."""
    report = evaluate(Path(__file__).resolve().parent.parent / "data" / "extract-templates")
    figures = report.figures()
    for field, floor in {"body_f1": 0.97, "title": 0.97, "time": 0.95, "source": 0.85, "author": 0.85}.items():
        assert figures[field] is not None and figures[field] >= floor, f"extract-templates {field}: {report.line()}"
