"""The Browse tab: each measure's facts and status today, every article by chapter, search by words or by
reference (with the nearest articles when nothing matches), and one article opened by reference, which is
where ?ref= links and the citation panels' permalinks land.
"""
from __future__ import annotations

import re
import sys
import traceback
from datetime import date

from assistant import article_index
from web.render import (ALL, STATE_LABEL, article_name, article_panel, esc, highlight, measure_key,
                                  status_badge)
from corpus import Ref, load
from corpus.catalogue import WRITTEN_REF, find_ref
from corpus.numerals import to_chinese


# ─── browse ──────────────────────────────────────────────────────────────────────────────────────────────
def measures_meta_html(today: date | None = None) -> str:
    """A card per measure: title, issuer, dates, term and its status today."""
    today = today or date.today()
    cards = []
    for key, m in load().measures.items():
        status = m.status(today)
        where = f"，见{article_name(Ref.parse(m.term.ref))}" if m.term.ref else ""
        if m.term.years:
            term = f"{'试行，暂定期限' if m.term.trial else '有效期'}{m.term.years}年（至{status.expires.isoformat()}{where}）"
        else:
            term = f"未规定有效期（自{m.in_force.isoformat()}起施行{where}）"
        rows = [("简称", m.short_name), ("英文名", m.english_name), ("发布机关", m.issuer), ("适用地域", m.jurisdiction),
                ("印发日期", m.issued.isoformat()), ("施行日期", m.in_force.isoformat()), ("期限", term),
                ("条文数", str(len(load().articles(key))))]
        table = "".join(f"<tr><th>{esc(a)}</th><td>{esc(b)}</td></tr>" for a, b in rows)
        cards.append(f'<div class="measure-card" data-measure="{esc(key)}"><h3>{esc(m.title)} {status_badge(key, today)}</h3>'
                     f'<table class="meta">{table}</table>'
                     f'<div class="status-asof">截至{esc(today.isoformat())}：{esc(STATE_LABEL[status.state])}</div></div>')
    return f'<div class="measure-cards">{"".join(cards)}</div>'


def _matches(text: str, terms: list[str]) -> bool:
    return all(t in text for t in terms)


def article_block(article, terms: list[str] = (), marks: list[str] = ()) -> str:
    key = str(article.ref)
    anchor = key.replace(":", "-")
    return (f'<article class="law-article" id="{esc(anchor)}" data-ref="{esc(key)}">'
            f'<h4>第{esc(article.number_as_printed)}条 <a class="permalink" href="?ref={esc(key)}" '
            f'aria-label="{esc(load().label(article.ref))}的链接">本条链接</a></h4>'
            f'<div class="article-text">{highlight(article.text, list(terms) + list(marks))}</div></article>')


def browse(query: str = "", measure: str | None = ALL) -> str:
    """Both measures (or one) by chapter and article; a query keeps only articles containing all its words,
    or a reference (taixing:9, 第九条) jumps to that article."""
    corpus = load()
    query = (query or "").strip()[:200]
    keys = [measure_key(measure)] if measure_key(measure) else list(corpus.measures)
    if query:
        # a reference: taixing:9, 泰兴第九条 (第九条 alone lists that article of each measure, below)
        written = WRITTEN_REF.match(query)
        try:
            ref = Ref.parse(query) if ":" in query else find_ref(query) if written and written["name"] else None
        except ValueError:
            ref = None
        if ref is not None:
            return show_ref(query)
    terms = [t for t in re.split(r"\s+", query) if t]
    numbered = re.fullmatch(r"第?([一二三四五六七八九十百零〇\d]+)条", query)
    sections, found = [], 0
    for key in keys:
        m = corpus.measures[key]
        chapters: dict[str | None, list[str]] = {}
        for article in corpus.articles(key):
            if numbered:
                hit = article.number_as_printed == numbered.group(1) or str(article.ref.article) == numbered.group(1)
                if not hit:
                    continue
                blocks = article_block(article)
            elif terms and not _matches(article.text, terms):
                continue
            else:
                blocks = article_block(article, terms)
            chapters.setdefault(article.chapter, []).append(blocks)
            found += 1
        if not chapters:
            continue
        body = "".join(
            (f'<h4 class="chapter-head">{esc(ch)}</h4>' if ch else '<h4 class="chapter-head">（不分章）</h4>') + "".join(items)
            for ch, items in chapters.items())
        sections.append(f'<section class="measure-section" data-measure="{esc(key)}"><h3>{esc(m.title)} '
                        f'{status_badge(key)}</h3>{body}</section>')
    head = (f'<div class="browse-count">“{esc(query)}”：找到 {found} 条</div>' if query
            else f'<div class="browse-count">共 {found} 条</div>')
    if not found and query:
        nearest = _nearest_articles(query, measure_key(measure))
        hint = "".join(article_panel(r, css="citation related") for r in nearest)
        return head + ('<div class="browse-empty">没有条文逐字包含这些词。可能相关的条文：</div>' + hint if hint else
                       '<div class="browse-empty">没有找到相关条文。</div>')
    return head + "".join(sections)


def _nearest_articles(query: str, measure: str | None, k: int = 3) -> list[Ref]:
    try:
        return [Ref.parse(hit.ref) for hit in article_index().search(query, k=k, measure=measure)]
    except Exception:  # the index is optional for browsing
        traceback.print_exc(file=sys.stderr)
        return []


def locate(ref_text: str) -> Ref:
    """A reference as people write it (taixing:9, taixing:9(4), 泰兴第九条, 泰兴办法第九条第（四）项), as `corpus show`
    reads it; raises LookupError saying in Chinese what is wrong (the Browse tab is in Chinese)."""
    corpus = load()
    text = (ref_text or "").strip()
    names = "、".join(f"{m.short_name}（{key}）" for key, m in corpus.measures.items())
    try:
        ref = find_ref(text, corpus)
    except ValueError:
        if WRITTEN_REF.match(text):
            raise LookupError(f"不知道是哪部办法，请写明：{names}，例如“{next(iter(corpus.measures.values())).short_name}"
                              "第九条”。") from None
        raise LookupError("看不懂这个引用，请写成“泰兴第九条”“泰兴第九条第（四）项”或“taixing:9”。") from None
    if ref.measure not in corpus.measures:
        raise LookupError(f"没有“{ref.measure}”这部办法；可选：{names}。")
    m = corpus.measures[ref.measure]
    count = len(corpus.articles(ref.measure))
    if not corpus.exists(str(ref.article_ref)):
        raise LookupError(f"{m.short_name}没有第{to_chinese(ref.article)}条（共{count}条）。")
    if not corpus.exists(str(ref)):
        article = corpus.article(ref.article_ref)
        part = (f"第（{to_chinese(ref.item)}）项（共{len(article.items)}项）" if ref.item
                else f"第{to_chinese(ref.paragraph)}款" if ref.paragraph else "这一部分")
        raise LookupError(f"{m.short_name}第{article.number_as_printed}条没有{part}。")
    return ref


def show_ref(ref_text: str) -> str:
    """One article (an item ref highlights its item), addressed by reference: taixing:9, taixing:9(4), 泰兴第九条."""
    corpus = load()
    try:
        ref = locate(ref_text)
        article = corpus.article(ref)
    except (ValueError, LookupError) as error:
        return f'<div class="error-note">找不到条文“{esc(ref_text)}”：{esc(error.args[0] if error.args else error)}</div>'
    marks = [article.item(ref.item).text] if ref.item else []
    m = corpus.measures[ref.measure]
    chapter = f" · {esc(article.chapter)}" if article.chapter else ""
    return (f'<div class="ref-view" data-ref="{esc(str(ref))}"><div class="crumb">{esc(m.title)}{chapter} {status_badge(ref.measure)}</div>'
            f'<div class="ref-label">{esc(corpus.label(ref))}</div>{article_block(article, marks=marks)}</div>')
