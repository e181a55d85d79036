"""Printable handouts: a quiz round (questions, then the answer key with articles) or a topic (both measures'
articles and its Q&A), each as Markdown and as a self-contained HTML page, written to a fresh folder for
download from the Training and Compare tabs.
"""
from __future__ import annotations

from datetime import date

from assistant.compose import measures_phrase
from assistant.topics import load_topics
from assistant.topics import topic as get_topic
from web.compare import topic_gold
from web.files import write_export
from web.quiz import TEXTS, gold_by_id, prompt_kind
from web.render import STATE_LABEL, esc, gold_answer_line, gold_grounds, highlight
from corpus import Ref, load


# ─── handouts ────────────────────────────────────────────────────────────────────────────────────────────
HANDOUT_CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:780px;margin:2em auto;
padding:0 1em;line-height:1.6;color:#111}h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #999}
.q{margin:1em 0;page-break-inside:avoid}.opts{list-style:upper-alpha}.article{background:#f5f5f5;padding:.5em .8em;
border-left:3px solid #888;white-space:pre-wrap}mark{background:#ffe58a}.key{page-break-before:always}
.note{color:#7a4b00}@media print{body{margin:0}}"""


def _md_quote(text: str) -> str:
    return "\n".join("> " + line for line in text.split("\n"))


def _handout_article_md(ref: str) -> str:
    return f"**{load().label(Ref.parse(ref))}**\n\n{_md_quote(load().article(ref).text)}"


def _handout_article_html(ref: str, marks: list[str] = ()) -> str:
    return (f'<p><b>{esc(load().label(Ref.parse(ref)))}</b></p>'
            f'<div class="article">{highlight(load().article(ref).text, list(marks))}</div>')


def _expiry_lines(keys) -> list[str]:
    corpus = load()
    lines = []
    for key in keys:
        m = corpus.measures[key]
        s = m.status(date.today())
        until = f"期限至{s.expires.isoformat()}" if s.expires else "未规定有效期"
        lines.append(f"{m.title}：{m.in_force.isoformat()}起施行，{until}，截至{date.today().isoformat()}{STATE_LABEL[s.state]}。")
    return lines


def quiz_handout(state: dict) -> tuple[str, str]:
    """(Markdown, HTML) of a quiz: the questions with their choices, then the answer key with articles."""
    gold = gold_by_id()
    questions = state.get("questions", []) if state else []
    title = "行政执法辅助人员管理办法 · 测验讲义"
    md = [f"# {title}", "", f"日期：{date.today().isoformat()}　题数：{len(questions)}", ""]
    md += [f"- {line}" for line in _expiry_lines(load().measures)] + ["", "## 题目", ""]
    body = [f"<h1>{esc(title)}</h1><p>日期：{esc(date.today().isoformat())}　题数：{len(questions)}</p><ul>"
            + "".join(f'<li class="note">{esc(line)}</li>' for line in _expiry_lines(load().measures)) + "</ul><h2>题目</h2>"]
    for n, q in enumerate(questions, 1):
        g = gold[q["id"]]
        prompt = TEXTS["zh"][prompt_kind(g)]
        md += [f"{n}. {g.question}（{prompt}）", ""] + [f"   - {chr(64 + i)}. {label}" for i, (label, _) in enumerate(q["options"], 1)] + [""]
        body.append(f'<div class="q"><p><b>{n}.</b> {esc(g.question)}（{esc(prompt)}）</p><ol class="opts">'
                    + "".join(f"<li>{esc(label)}</li>" for label, _ in q["options"]) + "</ol></div>")
    md += ["## 答案与依据", ""]
    body.append('<h2 class="key">答案与依据</h2>')
    for n, q in enumerate(questions, 1):
        g = gold[q["id"]]
        letter = next((chr(64 + i) for i, (_, v) in enumerate(q["options"], 1) if v == q["correct"]), "?")
        correct = dict((v, k) for k, v in q["options"])[q["correct"]]
        grounds = gold_grounds(g)
        md += [f"### {n}. {g.question}", "", f"**答案：{letter}. {correct}**", "", "依据："]
        md += [f"- {label}：「{quote}」" for label, quote in grounds] + [""]
        md += [_handout_article_md(r) + "\n" for r in g.gold_refs]
        body.append(f'<div class="q"><h3>{n}. {esc(g.question)}</h3><p><b>答案：{esc(letter)}. {esc(correct)}</b></p>'
                    "<p>依据：</p><ul>" + "".join(f"<li>{esc(label)}：「{esc(quote)}」</li>" for label, quote in grounds)
                    + "</ul>" + "".join(_handout_article_html(r, [f for f in g.key_facts]) for r in g.gold_refs) + "</div>")
    return "\n".join(md).rstrip() + "\n", _html_document(title, "".join(body))


def topic_handout(topic_id: str) -> tuple[str, str]:
    """(Markdown, HTML) of a topic: the difference in one line, both measures' articles, and its Q&A."""
    t = get_topic(topic_id)
    corpus = load()
    title = f"专题讲义：{t.name['zh']}（{t.name['en']}）"
    phrase = measures_phrase("zh")
    md = [f"# {title}", "", f"日期：{date.today().isoformat()}", "", f"**{phrase}的区别：** {t.summary['zh']}", "",
          f"*{t.summary['en']}*", ""]
    body = [f"<h1>{esc(title)}</h1><p>日期：{esc(date.today().isoformat())}</p>"
            f"<p><b>{esc(phrase)}的区别：</b>{esc(t.summary['zh'])}</p><p><i>{esc(t.summary['en'])}</i></p>"]
    for key, m in corpus.measures.items():
        found, curated = t.refs_for(key)
        refs = list(dict.fromkeys(str(r.article_ref) for r in found))
        status = _expiry_lines([key])[0]
        md += [f"## {m.title}", "", f"_{status}_", ""]
        body.append(f"<h2>{esc(m.title)}</h2><p class=note>{esc(status)}</p>")
        if not curated:
            md += ["（本主题未对此办法人工整理，以下为检索所得的最相关条文。）", ""]
            body.append("<p class=note>（本主题未对此办法人工整理，以下为检索所得的最相关条文。）</p>")
        if not refs:
            md += ["本办法对此未作专门规定。", ""]
            body.append("<p>本办法对此未作专门规定。</p>")
        for r in refs:
            items = [corpus.text(x) for x in found if str(x.article_ref) == r and x.item]
            md += [_handout_article_md(r), ""]
            body.append(_handout_article_html(r, items))
    items = topic_gold(t)
    md += ["## 问答", ""]
    body.append("<h2>问答</h2>")
    for n, g in enumerate(items, 1):
        grounds = "；".join(f"{label}「{quote}」" for label, quote in gold_grounds(g))
        md += [f"{n}. **{g.question}**", f"   答：{gold_answer_line(g)}", f"   依据：{grounds}", ""]
        body.append(f'<div class="q"><p><b>{n}. {esc(g.question)}</b></p><p>答：{esc(gold_answer_line(g))}</p>'
                    f"<p>依据：{esc(grounds)}</p></div>")
    if not items:
        md += ["（暂无）", ""]
        body.append("<p>（暂无）</p>")
    return "\n".join(md).rstrip() + "\n", _html_document(title, "".join(body))


def _html_document(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{esc(title)}</title><style>{HANDOUT_CSS}</style>'
            f"</head><body>{body}</body></html>\n")


def write_handout(name: str, markdown: str, page: str) -> list[str]:
    """Write the handout as NAME.md and NAME.html in the managed export folder (web/files.py); returns both."""
    return write_export(name, {"md": markdown, "html": page})


def export_quiz(state: dict | None):
    if not state or not state.get("questions"):
        return None, '<div class="quiz-empty">请先开始一轮测验，再导出。</div>'
    md, page = quiz_handout(state)
    paths = write_handout(f"quiz-{date.today().isoformat()}-{state['seed']}", md, page)
    return paths, f'<div class="export-ok">已生成测验讲义（{len(state["questions"])} 题）：Markdown 与 HTML。</div>'


def export_topic(topic_id: str | None):
    try:
        md, page = topic_handout(topic_id or load_topics()[0].id)
    except KeyError as error:
        return None, f'<div class="error-note">{esc(error)}</div>'
    paths = write_handout(f"topic-{topic_id}-{date.today().isoformat()}", md, page)
    return paths, f'<div class="export-ok">已生成专题讲义：{esc(get_topic(topic_id).name["zh"])}。</div>'
