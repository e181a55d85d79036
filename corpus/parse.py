"""Turn a measure's raw text into articles, keeping the preamble and footer apart.

The texts are copied unchanged from the published documents, so the parser cleans what a word processor
and a printer left in them: a `[bookmark: _GoBack]` marker, chapter headings between articles, a
distribution footer (抄送…印发) after the last article, and full-width or missing spaces after 第N条.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.model import Article, Item, Ref
from corpus.numerals import from_chinese

ARTICLE_START = re.compile(r"^第([一二三四五六七八九十]+)条[ \u3000]*")
CHAPTER_HEADING = re.compile(r"^第([一二三四五六七八九十]+)章[ \u3000]*(\S.*)$")
ITEM_START = re.compile(r"^（([一二三四五六七八九十]+)）")
FOOTER_START = re.compile(r"^[─━—-]{4,}")
WORD_PROCESSOR_MARKS = re.compile(r"\[bookmark: [^\]]*\]")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@dataclass(frozen=True)
class Document:
    """A parsed measure text: its articles, and what stands before and after them."""

    articles: tuple[Article, ...]
    preamble: str
    footer: str

    @property
    def dates(self) -> list[str]:
        """ISO dates named in the preamble and footer (the issuing or printing date)."""
        found = DATE.findall(self.preamble + "\n" + self.footer)
        return [f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in found]


def clean_lines(raw: str) -> list[str]:
    text = WORD_PROCESSOR_MARKS.sub("", raw.replace("\r\n", "\n"))
    return [line.strip(" \u3000\t") for line in text.split("\n")]


def parse(measure: str, raw: str) -> Document:
    """Split one measure's text into Article records."""
    preamble: list[str] = []
    footer: list[str] = []
    blocks: list[tuple[str, str | None, list[str]]] = []  # (number as printed, chapter, lines)
    chapter: str | None = None
    for line in clean_lines(raw):
        if footer or FOOTER_START.match(line):
            footer.append(line)
            continue
        heading = CHAPTER_HEADING.match(line)
        start = ARTICLE_START.match(line)
        if heading:
            chapter = f"第{heading.group(1)}章 {heading.group(2).strip()}"
        elif start:
            blocks.append((start.group(1), chapter, [line[start.end():]]))
        elif blocks:
            if line:
                blocks[-1][2].append(line)
        else:
            preamble.append(line)

    articles = []
    for position, (printed, chapter_name, lines) in enumerate(blocks, start=1):
        number = from_chinese(printed)
        if number != position:
            raise ValueError(f"{measure}: article 第{printed}条 stands at position {position}")
        items = []
        for line in lines:
            marker = ITEM_START.match(line)
            if marker:
                items.append(Item(from_chinese(marker.group(1)), line[marker.end():]))
        for expected, item in enumerate(items, start=1):
            if item.number != expected:
                raise ValueError(f"{measure}:{number} item （{item.number}） out of order")
        articles.append(Article(Ref(measure, number), printed, chapter_name, "\n".join(lines), tuple(items)))
    return Document(tuple(articles), "\n".join(preamble).strip(), "\n".join(l for l in footer if l).strip())
