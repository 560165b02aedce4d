"""Quality gate on the two development sets in ../shared/data. Floors may only go up.

Floors of issue #3. Measured when they were set (kuaizhao extract --eval DIR): zh-news-pages body F1
0.980, time 0.96, author 0.91; zh-news-pages-modern body F1 0.983, title 1.00, time 0.97, source
0.88, author 0.80. Scoring is `kuaizhao.evaluate` (body F1 over character bigrams, manifest flags
applied as the data set's README allows).
"""

import pytest

from conftest import shared_data
from kuaizhao.evaluate import evaluate

FLOORS = {
    "zh-news-pages": {"body_f1": 0.97, "time": 0.95, "author": 0.80},
    "zh-news-pages-modern": {"body_f1": 0.96, "title": 0.97, "time": 0.95, "source": 0.85, "author": 0.70},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_floor(name):
    report = evaluate(shared_data(name))
    figures = report.figures()
    for field, floor in FLOORS[name].items():
        assert figures[field] is not None and figures[field] >= floor, f"{name} {field}: {report.line()}"
