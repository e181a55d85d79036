"""The HTML every tab shares: escaping, verdict and status badges, the validity banner, highlighted article
panels, the chat's answer and question, error messages, one-line answer keys, and the measure choice.

Rendering lives in one module so that every piece of user text and article text reaches HTML through `esc()`,
and every tab shows an article, a verdict or a measure's status the same way.
"""
from __future__ import annotations

import html
import re
from datetime import date
from functools import lru_cache

from assistant import Answer
from assistant.compose import RELATED_INTRO, measures_phrase
from corpus import EXPIRED, IN_FORCE, NOT_IN_FORCE, Ref, load, to_chinese
from eval.gold import GoldItem


# ─── measures ────────────────────────────────────────────────────────────────────────────────────────────
ALL = "all"


def measure_choices() -> list[tuple[str, str]]:
    """The measure selector's choices, from measures.yaml: 全部, then each measure by its short name's place."""
    return [("全部", ALL)] + [(m.short_name.removesuffix("办法") or m.short_name, key)
                             for key, m in load().measures.items()]


def measure_key(value: str | None) -> str | None:
    """The selector's value (all or a measure's key, or a label such as 全部 / 泰兴) as a measure key or None."""
    if value is None:
        return None
    value = str(value).strip()
    for label, key in measure_choices():
        if value in (label, key):
            return None if key == ALL else key
    return None


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # direction overrides that would scramble what is around them


def esc(text: object) -> str:
    """HTML-escape anything that came from a user or from the corpus before it is rendered, without the Unicode
    direction overrides a typed text could use to reorder the page around it."""
    return html.escape(BIDI.sub("", "" if text is None else str(text)), quote=True)


def article_name(ref: Ref) -> str:
    """泰兴办法第九条 / 河北办法第十四条第（一）项: short, for buttons and headings."""
    corpus = load()
    article = corpus.article(ref)
    item = f"第（{to_chinese(ref.item)}）项" if ref.item else ""
    return f"{corpus.measures[ref.measure].short_name}第{article.number_as_printed}条{item}"


def _ref(ref: Ref | str) -> Ref:
    return ref if isinstance(ref, Ref) else Ref.parse(str(ref))


# ─── validity ────────────────────────────────────────────────────────────────────────────────────────────
STATE_LABEL = {IN_FORCE: "有效", EXPIRED: "期限已届满", NOT_IN_FORCE: "尚未施行"}


def status_badge(key: str, today: date | None = None) -> str:
    status = load().measures[key].status(today or date.today())
    return f'<span class="status-badge status-{esc(status.state)}">{esc(STATE_LABEL[status.state])}</span>'


def validity_banner(key: str | None = None, today: date | None = None) -> str:
    """One line per measure in scope on its status today; an expired measure gets a visible warning."""
    today = today or date.today()
    corpus = load()
    keys = [key] if key else list(corpus.measures)
    lines = []
    for k in keys:
        m = corpus.measures[k]
        status = m.status(today)
        kind = "试行期限" if m.term.trial else "有效期"
        if status.state == EXPIRED:
            lines.append(f'<div class="expiry-note" data-measure="{esc(k)}">⚠ {esc(m.short_name)}{kind}已于'
                         f'{esc(status.expires.isoformat())}届满；引用时请核实是否已延期或有后续办法。</div>')
        else:
            until = f"{kind}至{status.expires.isoformat()}" if status.expires else "未规定有效期"
            lines.append(f'<div class="status-line" data-measure="{esc(k)}">{status_badge(k, today)} '
                         f'{esc(m.short_name)}：{esc(m.in_force.isoformat())}起施行，{esc(until)}。</div>')
    scope = f"全部（{measures_phrase('zh')}）" if key is None else corpus.measures[key].short_name
    return f'<div class="scope-banner"><div class="scope-line">当前范围：<b>{esc(scope)}</b>（截至{esc(today.isoformat())}）</div>{"".join(lines)}</div>'


# ─── chat rendering ──────────────────────────────────────────────────────────────────────────────────────
VERDICT_BADGES = {
    "yes": ("可以", "Yes"),
    "no": ("不可以", "No"),
    "conditional": ("须在执法人员参与下", "Only with an officer taking part"),
    "not_addressed": ("未作规定", "Not addressed"),
}
VERDICT_ORDER = ("yes", "no", "conditional", "not_addressed")
REQUIRED_BADGE = ("应当", "Required")  # a "yes" to whether something must be done: a duty, not a permission
UNSURE_BADGE = ("需要核实", "Check this")  # an answer not sure enough to commit: neither green nor red
# What would make Markdown of a typed question: emphasis, code, links and images, tables, HTML, headings; list
# markers only at a line's start. A full stop or a hyphen inside a URL stays as typed, so the URL reads whole.
MD_SPECIAL = re.compile(r"(?P<mark>[\\`*_\[\]!|~#])|^(?P<indent>\s*)(?:(?P<bullet>[-+])|(?P<number>\d+)\.)(?=\s)",
                        re.MULTILINE)


def _md_escape(m: re.Match) -> str:
    if m["mark"]:
        return "\\" + m["mark"]
    return m["indent"] + ("\\" + m["bullet"] if m["bullet"] else m["number"] + "\\.")
MARKDOWN_BOLD = re.compile(r"\*\*")


def badge_html(verdict: str | None, lang: str = "zh", required: bool = False, unsure: bool = False) -> str:
    """The verdict badge for a rules answer: 应当 for a duty, 需要核实 (neutral) for an answer that does not commit;
    empty for answers without a verdict."""
    if unsure:
        zh, en = UNSURE_BADGE
        key = "unsure"
    elif verdict in VERDICT_BADGES:
        zh, en = REQUIRED_BADGE if required and verdict == "yes" else VERDICT_BADGES[verdict]
        key = "required" if required and verdict == "yes" else verdict
    else:
        return ""
    text = en if lang == "en" else zh
    return f'<span class="verdict-badge verdict-{key}" data-verdict="{key}">{esc(text)}</span>'


def highlight(text: str, quotes: list[str] | tuple[str, ...]) -> str:
    """The text, escaped, with every occurrence of each quote wrapped in <mark> (overlaps merged)."""
    spans = []
    for quote in quotes:
        if not quote:
            continue
        start = text.find(quote)
        while start != -1:
            spans.append((start, start + len(quote)))
            start = text.find(quote, start + len(quote))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out.append(esc(text[at:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        at = end
    out.append(esc(text[at:]))
    return "".join(out).replace("\n", "<br>")


def article_panel(ref: Ref | str, quotes: list[str] | tuple[str, ...] = (), opened: bool = False,
                  css: str = "citation") -> str:
    """An expandable panel: the article's label as summary, its full text inside with the quotes marked."""
    ref = _ref(ref)
    corpus = load()
    article = corpus.article(ref.article_ref)
    key = str(ref.article_ref)
    chapter = f'<div class="chapter">{esc(article.chapter)}</div>' if article.chapter else ""
    link = (f'<a class="permalink" href="?ref={esc(key)}" target="_blank" '
            f'aria-label="在浏览页打开{esc(corpus.label(ref.article_ref))}">在浏览页打开</a>')
    ref_class = "ref-" + key.replace(":", "-")
    return (f'<details class="{css} {ref_class}" data-ref="{esc(key)}"{" open" if opened else ""}>'
            f"<summary>{esc(corpus.label(ref))}</summary>"
            f'<div class="article-body">{chapter}<div class="article-text">{highlight(article.text, list(quotes))}</div>'
            f"{link}</div></details>")


def citation_panels(reply: Answer) -> str:
    """One panel per cited article (in citing order), every quote from that article highlighted."""
    grouped: dict[str, tuple[Ref, list[str]]] = {}
    for citation in reply.citations:
        key = str(citation.ref.article_ref)
        grouped.setdefault(key, (citation.ref if citation.ref.item else citation.ref.article_ref, []))[1].append(citation.quote)
    panels = []
    for key, (ref, quotes) in grouped.items():
        label_ref = ref if sum(1 for c in reply.citations if str(c.ref.article_ref) == key) == 1 else ref.article_ref
        panels.append(article_panel(label_ref, quotes))
    related = [r for r in reply.related if str(r.article_ref) not in grouped]
    if related:
        panels.append(f'<div class="related-head">{esc(RELATED_INTRO[reply.lang])}</div>')
        panels.extend(article_panel(r, css="citation related") for r in related)
    return "".join(panels)


def answer_body(reply: Answer) -> str:
    """The answer's text without the validity notes (shown separately, as a visible warning) and without the list
    of related articles (shown as panels below it)."""
    text = reply.text
    for note in reply.notes:
        text = text.replace("\n\n" + note, "").replace(note, "")
    if reply.related:
        corpus = load()
        listed = RELATED_INTRO[reply.lang] + "".join(f"\n- {corpus.label(r)}" for r in reply.related)
        text = text.replace(listed, "")
    return text.strip()


def plain_text(reply: Answer) -> str:
    """The answer as text to paste into a message or a report: the verdict line, the answer, each citation's
    label and quote; no markup."""
    return MARKDOWN_BOLD.sub("", reply.text).strip()


def copy_button(lang: str) -> str:
    """A control the page's script (app.py) answers by copying the message as clean text: the message as shown,
    without the article panels (the chat's sanitizer keeps a span's class and title, not a button)."""
    label = "Copy" if lang == "en" else "复制"
    return f'<span class="copy-answer" role="button" tabindex="0" title="{label}">{label}</span>'


def render_answer(reply: Answer) -> str:
    """The assistant's chat message: badge and copy button, answer (escaped Markdown), expiry notes, citation
    panels."""
    parts = []
    badge = badge_html(reply.verdict, reply.lang, reply.required,
                       unsure=reply.route == "verdict" and reply.verdict is None and reply.leaning is not None)
    parts.append(f'<div class="verdict-row">{badge}{copy_button(reply.lang)}</div>')
    parts.append(esc(answer_body(reply)))
    for note in reply.notes:
        parts.append(f'<div class="expiry-note">⚠ {esc(note)}</div>')
    panels = citation_panels(reply)
    if panels:
        parts.append(f'<div class="citations">{panels}</div>')
    return "\n\n".join(parts)


def render_question(question: object) -> str:
    """The user's message as typed: Markdown and HTML both neutralised."""
    text = question if isinstance(question, str) else "（无法显示的输入）"
    return esc(MD_SPECIAL.sub(_md_escape, text))


def error_message(error: BaseException) -> str:
    return (f'<div class="error-note">抱歉，回答这个问题时出错了（{esc(type(error).__name__)}）。'
            "请换个问法再试，或到“浏览”页查阅条文。</div>")


# ─── answer keys ─────────────────────────────────────────────────────────────────────────────────────────
def refs_label(refs: list[str] | tuple[str, ...]) -> str:
    return "、".join(article_name(Ref.parse(r)) for r in refs)


def gold_grounds(g: GoldItem, lang: str = "zh") -> list[tuple[str, str]]:
    """(article label, verbatim clause) that ground a gold item's answer: its key facts where its articles state
    them, else each article's clause closest to the question. What a trainee is shown, not the item's notes."""
    from assistant.compose import best_segments, provision_name

    corpus = load()
    grounds = []
    for ref in g.gold_refs:
        text = corpus.article(ref).text
        facts = [f for f in g.key_facts if f in text]
        quotes = facts or [best_segments(ref, g.question, limit=1)[0].text.rstrip("；;。")]
        label = corpus.label(Ref.parse(ref)) if lang != "en" else provision_name(Ref.parse(ref), "en")
        grounds += [(label, quote) for quote in quotes]
    return grounds


@lru_cache(maxsize=4096)
def asks_duty(question: str) -> bool:
    """Does the question ask whether something must be done (要不要, 必须, required)? As the chat reads it."""
    from assistant.query import parse

    return parse(question).must


def gold_answer_line(g: GoldItem) -> str:
    """A one-line answer key for a gold item: the verdict (or key facts) and the articles. A "yes" to whether
    something must be done reads 应当, as the chat's badge does, not 可以."""
    refs = refs_label(g.gold_refs) if g.gold_refs else ""
    if g.verdict:
        head = (REQUIRED_BADGE if g.verdict == "yes" and asks_duty(g.question) else VERDICT_BADGES[g.verdict])[0]
    elif g.key_facts:
        head = "；".join(g.key_facts)
    else:
        head = "办法未作具体规定"
    return f"{head}（{refs}）" if refs else head
