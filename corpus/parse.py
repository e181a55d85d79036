"""Turn a measure's raw text into articles, paragraphs, items and sub-items, keeping the notice and footer apart.

Measures are copied unchanged from the published documents, in the formats they are published in, so the
parser reads:
- articles `第八条` (Chinese or Arabic numerals), followed by a half- or full-width space or none;
- chapters `第N章` and sections `第N节` between articles;
- items （一）/(一) (项), and numbered sub-items 1. 1． 1、（1）(1) under an item (目);
- a paragraph (款) per line that is not an item or sub-item;
- a notice or title before the first article, and a footer after the last (a rule line ─── or 抄送/印发);
- word-processor debris (`[bookmark: _GoBack]`).
An article's text keeps every line as printed, so quotes stay verbatim. What the parser cannot place is
reported in `Document.unplaced` rather than silently folded into an article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.model import Article, Item, Paragraph, Ref, SubItem
from corpus.numerals import from_chinese

NUMBER = r"[一二三四五六七八九十百零〇两\d]+"
ARTICLE_START = re.compile(rf"^第({NUMBER})条(?:[ \u3000\t]+|(?=[^\s]))")
CHAPTER_HEADING = re.compile(rf"^第({NUMBER})章[ \u3000\t]*(\S.*)?$")
SECTION_HEADING = re.compile(rf"^第({NUMBER})节[ \u3000\t]*(\S.*)?$")
ITEM_START = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)][ \u3000]*")
SUBITEM_START = re.compile(r"^(?:(\d{1,2})[.．、](?!\d)|[（(](\d{1,2})[）)])[ \u3000]*")
FOOTER_START = re.compile(r"^(?:[─━—\-_=]{4,}|抄送[:：]|[^，。]{0,30}\d{4}年\d{1,2}月\d{1,2}日印发\s*$)")
WORD_PROCESSOR_MARKS = re.compile(r"\[bookmark: [^\]]*\]")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
ARABIC = re.compile(r"^\d+$")


class ParseError(ValueError):
    """The text cannot be read as a measure; the message names the line."""


@dataclass(frozen=True)
class Document:
    """A parsed measure text: its articles, what stands before and after them, and any line the parser could
    not place (a sub-item with no item above it, say)."""

    articles: tuple[Article, ...]
    preamble: str
    footer: str
    unplaced: tuple[str, ...] = field(default=())

    @property
    def dates(self) -> list[str]:
        """ISO dates named in the preamble and footer (the issuing or printing date)."""
        found = DATE.findall(self.preamble + "\n" + self.footer)
        return [f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in found]

    @property
    def chapters(self) -> list[str]:
        return list(dict.fromkeys(a.chapter for a in self.articles if a.chapter))


def number(text: str) -> int:
    """An article, chapter or section number as printed: Chinese (十四) or Arabic (14)."""
    return int(text) if ARABIC.match(text) else from_chinese(text)


def clean_lines(raw: str) -> list[str]:
    text = WORD_PROCESSOR_MARKS.sub("", raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    return [line.strip(" \u3000\t\xa0") for line in text.split("\n")]


@dataclass
class _Block:
    printed: str
    chapter: str | None
    section: str | None
    line: int
    lines: list[str]


def parse(measure: str, raw: str) -> Document:
    """Split one measure's text into Article records; raises ParseError naming the line when articles are
    out of order or items are numbered wrongly."""
    preamble: list[str] = []
    footer: list[str] = []
    blocks: list[_Block] = []
    chapter = section = None
    for number_, line in enumerate(clean_lines(raw), start=1):
        if footer or (blocks and FOOTER_START.match(line)):
            footer.append(line)
            continue
        heading = CHAPTER_HEADING.match(line)
        part = SECTION_HEADING.match(line)
        start = ARTICLE_START.match(line)
        if heading:
            chapter = f"第{heading.group(1)}章 {(heading.group(2) or '').strip()}".strip()
            section = None
        elif part:
            section = f"第{part.group(1)}节 {(part.group(2) or '').strip()}".strip()
        elif start:
            blocks.append(_Block(start.group(1), chapter, section, number_, [line[start.end():]]))
        elif blocks:
            if line:
                blocks[-1].lines.append(line)
        else:
            preamble.append(line)

    articles, unplaced = [], []
    for position, block in enumerate(blocks, start=1):
        try:
            value = number(block.printed)
        except ValueError as error:
            raise ParseError(f"{measure}: line {block.line}: 第{block.printed}条 is not an article number") from error
        if value != position:
            raise ParseError(f"{measure}: line {block.line}: article 第{block.printed}条 stands at position {position}")
        articles.append(_article(measure, value, block, unplaced))
    return Document(tuple(articles), "\n".join(preamble).strip(), "\n".join(l for l in footer if l).strip(),
                    tuple(unplaced))


def _article(measure: str, value: int, block: _Block, unplaced: list[str]) -> Article:
    items: list[Item] = []
    paragraphs: list[list] = []  # [text, item numbers, body lines]
    subitems: dict[int, list[SubItem]] = {}
    lines = [line for line in block.lines if line]
    for line in lines:
        marker = ITEM_START.match(line)
        sub = SUBITEM_START.match(line)
        if marker:
            n = from_chinese(marker.group(1))
            if n != len(items) + 1:
                raise ParseError(f"{measure}:{value} (line {block.line}): item （{marker.group(1)}） out of order")
            items.append(Item(n, line[marker.end():]))
            if not paragraphs:  # items straight after 第N条, with no lead clause
                paragraphs.append(["", [], []])
            paragraphs[-1][1].append(n)
            paragraphs[-1][2].append(line)
        elif sub and items and paragraphs and paragraphs[-1][1]:
            subitems.setdefault(items[-1].number, []).append(SubItem(int(sub.group(1) or sub.group(2)), line[sub.end():]))
            paragraphs[-1][2].append(line)
        else:
            if sub:
                unplaced.append(f"{measure}:{value}: a numbered line with no item above it: {line[:40]}")
            paragraphs.append([line, [], [line]])
    items = [Item(it.number, it.text, tuple(subitems.get(it.number, ()))) for it in items]
    for it in items:
        for expected, s in enumerate(it.subitems, start=1):
            if s.number != expected:
                raise ParseError(f"{measure}:{value}({it.number}) (line {block.line}): sub-item {s.number} out of order")
    return Article(Ref(measure, value), block.printed, block.chapter, "\n".join(lines), tuple(items),
                   tuple(Paragraph(n, text, tuple(nums), "\n".join(body))
                         for n, (text, nums, body) in enumerate(paragraphs, start=1)),
                   block.section)
