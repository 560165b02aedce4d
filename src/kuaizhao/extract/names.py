"""Telling Chinese personal names from ordinary words, for bylines.

A byline name is a known surname (compound or single) and one or two more characters, ending
where a byline's names end (a separator, a bracket, a date, or a word such as 报道 or 摄). Under an
explicit label (作者：, 执笔/) pen names count too. Data (surnames, follower words) is in rules.py.
"""

from __future__ import annotations

import re

from .rules import COMMON_SURNAMES, COMPOUND_SURNAMES, NAME_FOLLOWERS, NOT_NAMES, SECTION_WORDS, SURNAMES

_PAREN_NAMES = re.compile(r"[（(]\s*(?P<v>[^（）()]{2,30}?)\s*[）)]\s*$")
_BRACKET_NAMES = re.compile(r"\[\s*(?P<v>[\u4e00-\u9fff·\s、]{2,20}?)\s*\]")
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9 ._'-]{1,40}$")
_ALIAS = re.compile(r"^(?P<zh>[\u4e00-\u9fff·]{2,5})\s*[（(]\s*(?P<en>[A-Za-z][A-Za-z .'-]{1,40})\s*[）)]")
_SPLIT = re.compile(r"[\s、，,;；/／和与及]+")
# Under an explicit label, pen names count too (叨叨姐, 李小飞刀).
_PEN_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
# What stands after 作者： and is nobody: placeholders, time words, and outlets (新华社, 本站).
_NOT_PEN = re.compile(r"^(?:佚名|匿名|网友|本站|本网|小编|管理员|系统管理员|未知|不详|综合|转载|原创|"
                      r"今天|昨天|前天|刚刚)$|(?:社|网|報|报|台|站|刊|局|部|院|委|会|中心|频道|日报|晚报)$")
# A unit, not a person: 宣传科, 信息处, 办公室 begin with a surname character (宣, 信) as often as not.
_ORG_ENDS = frozenset("科处處部办辦室局厅廳委站所院组組队隊股司社网網台报報刊")
_CMS_ACCOUNT = re.compile(r"^(?i:admin|administrator|root|webmaster|editor|system|guest|user|anonymous)\d*\b")
_PEN_SPLIT = re.compile(r"[\s、，,;；/／&＆]+|(?<=[\u4e00-\u9fff])[和与及](?=[\u4e00-\u9fff])")


def is_name(word: str) -> bool:
    """A Chinese personal name: surname (compound or single) and one or two more characters."""
    # A section label (国内, 时政, 文化, 江苏) is never a name, though 国, 时, 文 and 江 are surnames.
    if word in NOT_NAMES or word in SECTION_WORDS or (len(word) == 3 and word[-1] in _ORG_ENDS):
        return False
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,3}·[\u4e00-\u9fff]{1,5}", word):
        return False
    if word[:2] in COMPOUND_SURNAMES:
        return 3 <= len(word) <= 4
    return word[0] in SURNAMES and len(word) <= 3


def common_name(word: str) -> bool:
    """A name led by a frequent surname (王, 胡, 高) or a compound one (欧阳): believable without a label."""
    return is_name(word) and (word[:2] in COMPOUND_SURNAMES or word[0] in COMMON_SURNAMES)


def leading_names(text: str) -> list[str]:
    """The names a byline starts with: '张三 李四 报道…' → [张三, 李四]; stops at the first non-name."""
    names: list[str] = []
    rest = text.strip()
    while rest:
        token = _SPLIT.split(rest, maxsplit=1)[0]
        name = _name_prefix(token)
        if name is None:
            break
        names.append(name)
        rest = rest[len(name):].lstrip()
        for follower in NAME_FOLLOWERS:  # "张三摄" / "张三报道": the name ends here
            if rest.startswith(follower):
                return names
        rest = _SPLIT.sub(" ", rest[:1]).strip() + rest[1:] if rest[:1] and _SPLIT.match(rest[:1]) else rest
        rest = rest.lstrip(" 、，,;；/／")
        if rest.startswith(("和", "与", "及")):
            rest = rest[1:]
    return names


def _name_prefix(token: str) -> str | None:
    """The name at the start of `token`, if it ends at the token's end or before a follower word."""
    for size in (4, 3, 2):
        head, tail = token[:size], token[size:]
        # the name ends the token, or a follower word, a bracket, a date or Latin text comes next
        if len(head) == size and is_name(head) and (not tail or tail.startswith(NAME_FOLLOWERS)
                                                      or not "\u4e00" <= tail[0] <= "\u9fff"):
            return head
    return None


def names(value: str) -> list[str]:
    """Person names in a labelled byline value: '张三 李四' / '张三、李四' / 'Li Wei' / '周思博 (Joel Spolsky)'."""
    value = value.strip(" 　:：")
    if _CMS_ACCOUNT.match(value):
        return []  # a content system's default account (作者:admin) names nobody
    if m := _ALIAS.match(value):
        return [f"{m['zh']} ({m['en']})"]
    if LATIN_NAME.fullmatch(value) and not value.isdigit():
        return [value.strip()]
    latin = [part.strip() for part in re.split(r"\s*(?:[,，、;；]|\band\b)\s*", value) if part.strip()]
    if len(latin) > 1 and all(LATIN_NAME.fullmatch(part) and " " in part for part in latin):
        return latin  # "Thomas Hale, Joe Leahy": Latin bylines, several
    if m := re.match(r"([A-Za-z][A-Za-z0-9_.-]{1,30})(?=\s+[^A-Za-z]|$)", value):  # "zboygirl 阅读(1660)"
        return [m[1]]
    value = re.sub(r"^(?:本报|本台|本刊|本网)?(?:特约|特派|实习)?(?:记者|通讯员|实习生)\s*", "", value)
    return leading_names(value)


def labelled_names(value: str) -> list[str]:
    """Names after an explicit 作者/执笔/文 label: real names as `names()` reads them, else pen names."""
    strict = names(value)
    value = re.sub(r"^(?:本报|本台|本刊|本网)?(?:特约|特派|实习)?(?:记者|通讯员|实习生)\s*", "", value.strip(" 　:："))
    tokens = [t for t in _PEN_SPLIT.split(value) if t]
    pens: list[str] = []
    for token in tokens:
        if not _PEN_NAME.match(token) or token in NOT_NAMES or token in SECTION_WORDS or _NOT_PEN.search(token):
            break
        pens.append(token)
    return pens if len(pens) > len(strict) and len("".join(pens)) >= len("".join(strict)) else strict


def tail_names(line: str) -> list[str]:
    """Names in parentheses closing an article: '…全面铺开。（张三 李四）'."""
    m = _PAREN_NAMES.search(line)
    if m is None:
        return []
    inner = m["v"]
    found = leading_names(inner)
    covered = "".join(found)
    return found if found and len(re.sub(r"[\s、，,]", "", inner)) == len(covered) else []


def bracket_names(line: str) -> list[str]:
    """Names in square brackets on an info line: '2004年7月16日08:19 [ 黄宇 ] 来源：…'."""
    for m in _BRACKET_NAMES.finditer(line):
        found = leading_names(m["v"])
        if found and len(re.sub(r"[\s、]", "", m["v"])) == len("".join(found)):
            return found
    return []


def byline_only(line: str) -> list[str]:
    """A line under the headline that is nothing but names: '胡平'."""
    stripped = line.strip()
    found = leading_names(stripped)
    return found if found and len(re.sub(r"[\s、，,]", "", stripped)) == len("".join(found)) else []
