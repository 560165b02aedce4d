"""A small search index built straight from documents (no database): the demo grammar's stories,
plus hand-written articles for the cases the grammar does not produce."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kuaizhao.demo.grammar import make_story
from kuaizhao.search.engine import Engine
from kuaizhao.search.index import IndexHome, Writer, bulk_add
from kuaizhao.search.parse import CHINA
from kuaizhao.search.schema import IndexDoc

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=CHINA)
CATEGORIES = ["国内", "国际", "财经", "科技", "体育", "娱乐"]
OUTLETS = [("新华社", "www.news.cn"), ("人民网", "www.people.com.cn"), ("南风资讯", "nanfeng.example.cn")]

HANDWRITTEN = [
    # (title, text, category, source, host)
    ("泰國總理英拉：不辭職也不解散國會", "泰國總理英拉今天發表講話，強調不會辭職也不會解散國會。",
     "国际", "中央社", "www.cna.com.tw"),
    ("ＡＢＣ公司发布２０２４年报", "ＡＢＣ公司今天发布年报，营收增长１２％。", "财经", "新华社", "www.news.cn"),
    ("中国 经济", "这里的中国和经济不连在一起：中国，经济。", "国内", "人民网", "politics.people.com.cn"),
    ("特朗普·约翰逊访问北京", "美国商人特朗普·约翰逊今天抵达北京，开始为期三天的访问。",
     "国际", "新华社", "www.news.cn"),
    ("猫", "一只猫。", "娱乐", "南风资讯", "nanfeng.example.cn"),
]


def build_docs(stories: int = 240) -> list[IndexDoc]:
    docs = []
    for i in range(stories):
        category = CATEGORIES[i % len(CATEGORIES)]
        story = make_story(11, i, category, "3月1日")
        when = T0 + timedelta(hours=7 * i)
        source, host = OUTLETS[i % 3]
        docs.append(IndexDoc(i + 1, story.title, "\n".join(story.paragraphs), when, when, category, source, host))
    # Reprints: the same body at two more outlets (titles differ, as they do).
    for k, original in enumerate(docs[:3]):
        for j, (source, host) in enumerate((("东方新闻网", "dongfang.example.cn"), ("华夏日报", "huaxia.example.cn"))):
            when = original.time + timedelta(hours=1 + j)
            docs.append(IndexDoc(1000 + 10 * k + j, original.title + "（转载）", original.text, when, when,
                                 original.category, source, host))
    for n, (title, text, category, source, host) in enumerate(HANDWRITTEN):
        when = T0 + timedelta(days=400 + n)
        docs.append(IndexDoc(2000 + n, title, text, when, when, category, source, host))
    return docs


@pytest.fixture(scope="module")
def corpus_docs() -> list[IndexDoc]:
    return build_docs()


def make_engine(path: Path, docs: list[IndexDoc]) -> Engine:
    home = IndexHome(path)
    generation = home.create()
    with Writer(generation, threads=1) as writer:
        bulk_add(writer, [docs[i : i + 50] for i in range(0, len(docs), 50)], threads=2)
        writer.commit()
    home.publish(generation)
    return Engine(home)


@pytest.fixture(scope="module")
def engine(tmp_path_factory, corpus_docs) -> Engine:
    return make_engine(tmp_path_factory.mktemp("index"), corpus_docs)


def load_sample(path: Path, limit: int) -> list[IndexDoc]:
    docs = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= limit:
                break
            r = json.loads(line)
            p = r["published"]
            when = datetime.fromisoformat(p if "T" in p else p + "T00:00:00+08:00")
            docs.append(IndexDoc(i + 1, r["title"], r["text"], when, when, r["category"] or "", r["source"], ""))
    return docs
