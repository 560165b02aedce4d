"""A small grammar that writes plausible Chinese news stories from `vocab`.

Each story is drawn from its own `random.Random(f"{seed}:{story_id}")`, so story 17 reads the
same whether the site has 300 articles or 20,000.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from . import vocab

TITLES = {
    "国内": ["{province}：{topic}取得{quality}", "{city}持续推进{topic}", "{province}{n}个{thing}项目集中开工",
             "代表委员话{topic}｜{role}{person}：{action}", "{city}出台{n}条措施助力{topic}",
             "聚焦{topic}，{city}这样做", "{province}{org}部署{topic}重点任务", "{city}：{topic}跑出“加速度”"],
    "国际": ["{country}与多方就{topic}举行会谈", "{org}：全球{topic}面临新挑战", "{country}宣布新一轮{topic}计划",
             "综述：{topic}成{country}关注焦点", "{org}发布报告关注{topic}", "{capital}会议聚焦{topic}"],
    "财经": ["前{month}个月{topic}同比增长{pct}", "{org}：{topic}保持{quality}", "{city}{topic}规模突破{n}亿元",
             "{topic}回暖 {people}看好后市", "{org}出台举措支持{topic}", "{province}{topic}跑赢全国平均水平"],
    "科技": ["{city}{topic}项目取得{quality}", "我国{topic}领域再获突破", "{org}发布{topic}最新成果",
             "{topic}加速落地 {city}建成{n}个{thing}", "探访{city}{topic}创新中心", "{topic}产业链在{province}集聚"],
    "体育": ["{topic}：{team}主场{score}力克{team2}", "{city}马拉松鸣枪开跑 {n}万名跑者参赛",
             "{topic}战报｜{team}{score}逆转{team2}", "{role}{person}：{quote_short}", "{province}{topic}赛季收官",
             "{team}新赛季阵容公布 {n}名新秀入选"],
    "娱乐": ["{work}定档 {role}{person}携新作回归", "{work}上映{n}天票房破{n2}亿元",
             "{city}{topic}启幕 {n}场演出轮番登场",
             "{work}热播 {people}解读创作幕后", "{topic}走进{city}社区", "{role}{person}谈{work}：{quote_short}"],
}

LEADS = {
    "国内": ["{date}，{city}召开{topic}工作推进会，{org}负责人{person}出席会议并讲话。",
             "近年来，{province}通过建设{n}个{thing}、实施{n2}项重点工程等途径，推动{topic}取得{quality}。",
             "{date}，记者从{province}{org}获悉，{topic}各项任务正在有序推进。"],
    "国际": ["当地时间{date}，{country}{people}在{capital}表示，{topic}事关各方共同利益。",
             "{org}{date}发布报告说，全球{topic}面临的不确定性有所增加。",
             "{date}，{topic}相关会议在{capital}举行，来自{n}个国家的代表出席。"],
    "财经": ["{org}{date}发布数据显示，前{month}个月{topic}同比增长{pct}，增速比上月加快{pct_small}个百分点。",
             "{date}，{org}公布的数据显示，{topic}延续{quality}态势。",
             "今年以来，{province}{topic}保持{quality}，累计规模达到{n}亿元。"],
    "科技": ["{date}，{org}宣布，{topic}领域一项关键技术取得{quality}。",
             "在{city}，{topic}正从实验室走向应用场景，目前已建成{thing}{n}个。",
             "{org}{date}发布消息，{topic}试验平台在{city}正式投入使用。"],
    "体育": ["{date}晚，{topic}一场焦点战在{city}进行，{team}以{score}战胜{team2}。",
             "{date}，{city}马拉松鸣枪开跑，来自{n}个国家和地区的选手参加比赛。",
             "{date}，{topic}在{city}落下帷幕，{team}获得团体冠军。"],
    "娱乐": ["{date}，{work}在{city}举行首映礼，{role}{person}与观众见面交流。",
             "据{org}统计，截至{date}，{work}累计票房已突破{n}亿元。",
             "{date}，{topic}在{city}启幕，{n}场演出将陆续与观众见面。"],
}

SENTENCES = {
    "any": ["{person}表示，下一步将{action}，{action}，推动{topic}取得新成效。",
            "据介绍，今年以来累计投入资金{n}亿元，建成{thing}{big}个，惠及群众{big}万人。",
            "“{quote}。”{role}{person}在接受采访时说。",
            "业内人士认为，{topic}既要立足当前，也要着眼长远，{action}。",
            "{org}有关负责人介绍，目前已形成{n}项可复制推广的经验做法。",
            "截至{month}月底，累计完成{thing}{big}个，占全年目标的{pct}。",
            "为进一步推进{topic}，{org}还将{action}，并{action}。",
            "从调研情况看，{topic}仍存在一些短板，需要{action}。"],
    "国内": ["会议指出，{topic}是{goal}的重要举措，各地各部门要{action}，{action}。",
             "{city}{people}{person}说，过去一年身边的变化看得见、摸得着。",
             "在{city}的一处{thing}，记者看到，工作人员正在{action}。",
             "{province}{org}建立了{n}项工作机制，并开展多轮专项行动。"],
    "国际": ["{country}{people}{person}说，{topic}需要各方加强沟通、增进互信。",
             "分析人士指出，{topic}走向将对全球经济产生深远影响。",
             "{org}此前预计，今年全球经济增速约为{pct}。",
             "{country}方面表示，愿同各方一道推动{topic}取得务实成果。"],
    "财经": ["从结构看，服务消费增速快于商品消费，{topic}贡献明显。",
             "{people}{person}分析称，政策效应持续释放，市场预期正在改善。",
             "数据显示，{month}月份{topic}环比上升{pct_small}个百分点。",
             "其中，线上零售额同比增长{pct}，占比进一步提高。"],
    "科技": ["研究团队历时{n}年攻关，解决了多项关键难题。",
             "{people}{person}介绍，该技术的定位精度可达到厘米级。",
             "目前，相关成果已申请发明专利{n}项，并在{n2}家企业开展应用。",
             "专家认为，{topic}将为产业升级提供新的动力。"],
    "体育": ["上半场比赛，双方均有破门机会，但都未能取得进球。",
             "第{n}分钟，{team}前锋接队友传中头球破门，帮助球队取得领先。",
             "赛后，{role}{person}表示，球队在防守端的表现值得肯定。",
             "本场比赛吸引了{big}名观众到场观战。"],
    "娱乐": ["影片讲述了一个普通家庭在时代变迁中相互扶持的故事。",
             "{role}{person}透露，为了演好这个角色，提前{n}个月体验生活。",
             "演出融合了传统戏曲与现代舞美，现场观众反响热烈。",
             "有{people}评价说，这部作品“接地气、有温度”。"],
}

CLOSINGS = ["下一步，{city}将继续{action}，让{topic}成果更多更公平惠及群众。",
            "据悉，相关工作将在年内全面铺开。",
            "{org}表示，将持续跟踪评估政策效果，适时优化调整。",
            "（完）"]


@dataclass(frozen=True)
class Story:
    """One news story: what an outlet publishes and others may reprint."""

    id: int
    category: str
    title: str
    paragraphs: tuple[str, ...]
    dateline_place: str
    keyword: str  # the story's main topic, shared with other stories of its category


def make_story(seed: int, story_id: int, category: str, date_text: str) -> Story:
    rng = random.Random(f"{seed}:story:{story_id}")
    words = vocab.CATEGORIES[category]
    province, cities = rng.choice(vocab.PROVINCES)
    country, capital = rng.choice(vocab.COUNTRIES)
    teams = rng.sample(words.get("teams", ["主队", "客队"]), 2)
    fixed = {
        "topic": rng.choice(words["topics"]),
        "province": province,
        "city": rng.choice(cities),
        "country": country,
        "capital": capital,
        "org": rng.choice(words["orgs"]),
        "person": person_name(rng),
        "role": rng.choice(words["people"]),
        "team": teams[0],
        "team2": teams[1],
        "work": rng.choice(words.get("works", ["新作"])),
        "date": date_text,
        "score": f"{rng.randint(1, 4)}比{rng.randint(0, 2)}" if category == "体育" else "",
    }
    fill = _Filler(rng, fixed, words, category)
    title = fill(rng.choice(TITLES[category]))
    pool = SENTENCES[category] + SENTENCES["any"]
    rng.shuffle(pool)  # each sentence template at most once per story
    paragraphs = [fill(rng.choice(LEADS[category])) + fill(pool.pop())]
    while len(pool) >= 2 and len(paragraphs) < 7:
        paragraphs.append("".join(fill(pool.pop()) for _ in range(rng.randint(1, 2))))
    paragraphs.append(fill(rng.choice(CLOSINGS)))
    place = capital if category == "国际" else fixed["city"]
    return Story(story_id, category, title, tuple(paragraphs), place, fixed["topic"])


def person_name(rng: random.Random) -> str:
    return rng.choice(vocab.SURNAMES) + rng.choice(vocab.GIVEN)


class _Filler:
    """Fills {slots}: story-wide values stay fixed, the rest are drawn afresh at each use."""

    def __init__(self, rng: random.Random, fixed: dict[str, str], words: vocab.Category, category: str) -> None:
        self.rng, self.fixed, self.words, self.category = rng, fixed, words, category
        self.used: set[str] = set()

    def __call__(self, template: str) -> str:
        self.used.clear()  # "{action}，{action}" draws two different phrases
        return template.format_map(self)

    def _pick(self, options: list[str]) -> str:
        fresh = [o for o in options if o not in self.used] or options
        choice = self.rng.choice(fresh)
        self.used.add(choice)
        return choice

    def __getitem__(self, key: str) -> str:
        if key in self.fixed:
            return self.fixed[key]
        rng = self.rng
        draw: dict[str, Callable[[], str]] = {
            "n": lambda: str(rng.randint(3, 60)),
            "n2": lambda: str(rng.randint(2, 30)),
            "big": lambda: str(rng.randint(120, 9800)),
            "pct": lambda: f"{rng.randint(1, 35)}.{rng.randint(0, 9)}%",
            "pct_small": lambda: f"{rng.randint(0, 3)}.{rng.randint(1, 9)}",
            "month": lambda: str(rng.randint(2, 11)),
            "thing": lambda: rng.choice(self.words["things"]),
            "people": lambda: rng.choice(self.words["people"]),
            "action": lambda: self._pick(vocab.ACTIONS),
            "quality": lambda: rng.choice(vocab.QUALITIES),
            "goal": lambda: rng.choice(vocab.GOALS),
            "quote": lambda: rng.choice(vocab.QUOTES[self.category]),
            "quote_short": lambda: rng.choice(vocab.QUOTES[self.category])[:14],
        }
        return draw[key]()
