"""The Review tab, for trainers and evaluators: what officers ask most (by article and by topic), how often
answers are declined or 👎 over time, the 👎 list with reasons; each item opened, corrected (expected verdict,
articles, key facts) and exported in the gold schema. With a login and FAGUI_REVIEWERS set, only those users see
it. Everything a person typed is shown escaped."""
from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from datetime import datetime

import gradio as gr
from sqlalchemy.exc import SQLAlchemyError

from assistant.topics import load_topics
from corpus import Ref, load
from eval.gold import VERDICTS
from eval.harvest import check_correction, gold_item
from records import REASONS, open_store
from web.files import write_export
from web.render import VERDICT_BADGES, esc

DAYS = (7, 30, 90, 365)
VERDICT_CHOICES = [("（不是是非题）", "")] + [(VERDICT_BADGES[v][0], v) for v in VERDICTS]


def allowed(request: gr.Request | None) -> bool:
    """A reviewer: anyone when the app has no login (it serves this machine only), else a user listed in
    FAGUI_REVIEWERS (everyone logged in when it is unset)."""
    user = getattr(request, "username", None) if request is not None else None
    names = {n.strip() for n in os.environ.get("FAGUI_REVIEWERS", "").split(",") if n.strip()}
    return user is None or not names or user in names


def _closed(message: str):
    note = f'<div class="error-note">{esc(message)}</div>'
    return note, "", "", ""


UNREACHABLE = "记录数据库暂时无法访问（已等待数秒）。提问记录在内存中排队，恢复后写入；请稍后再试。"


def outages(store) -> str:
    """The database's outages in this process, newest first: each said once, with what waited and what was lost."""
    notes = store.outage_notes()
    if not notes:
        return ""
    return '<div class="review-outages"><b>记录数据库中断：</b><ul>' + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul></div>"


def overview(days: int | float | None, request: gr.Request | None = None):
    """(summary, chart data, what is asked most, the 👎 list) for the last `days` days; the database's outages
    above them."""
    if not allowed(request):
        return _closed("评审页仅对评审人员开放。")
    store = open_store()
    if not store.ready:
        return _closed(f"记录数据库不可用：{store.problem}")
    try:
        return _overview(store, int(days or 30))
    except SQLAlchemyError:
        note, chart, top, table = _closed(UNREACHABLE)
        return note + outages(store), chart, top, table


def _overview(store, days: int):
    totals, daily = store.totals(), store.daily(days)
    asked = totals["asked"] or 0
    summary = (f'<div class="review-summary">共记录提问 <b>{asked}</b> 次，拒答 <b>{totals["declined"]}</b> 次'
               f'（{totals["declined"] / asked:.0%}）；好评 {totals["up"]}，差评 {totals["down"]}，已评审 {totals["reviewed"]}。'
               f'{"" if store.logging else "（提问记录已关闭：FAGUI_LOG=off）"}</div>' if asked or totals["down"] else
               '<div class="review-summary">还没有记录。</div>') + outages(store)
    return summary, daily_chart(daily, days), asked_most(store, days), dislike_table(store)


RATES = (("declined_rate", "拒答率", "declined"), ("down_rate", "差评率", "down"))


def daily_chart(daily: list[dict], days: int) -> str:
    """Per day, the questions asked and the shares declined and 👎, each as a bar with its figure: a chart that
    reads with a single day as well as with ninety (a line needs two), with the words a reviewer uses."""
    if not daily:
        return f'<div class="review-chart empty">最近 {int(days)} 天还没有记录。</div>'
    rows = []
    for d in daily:
        cells = "".join(f'<td class="rate"><span class="bar-track"><span class="bar {css}" style="width:{d[key]:.0%}">'
                        f'</span></span> {d[key]:.0%}</td>' for key, _, css in RATES)
        rows.append(f'<tr data-day="{esc(d["day"])}"><th scope="row">{esc(d["day"])}</th><td>{d["asked"]}</td>'
                    f'<td>{d["down"]}</td>{cells}</tr>')
    heads = "".join(f'<th scope="col">{label}</th>' for _, label, _ in RATES)
    return (f'<div class="review-chart"><h4>拒答率与差评率（按天，最近 {int(days)} 天）</h4><table class="day-chart">'
            f'<thead><tr><th scope="col">日期</th><th scope="col">提问数</th><th scope="col">差评数</th>{heads}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def asked_most(store, days: int) -> str:
    corpus = load()
    questions = store.asked_questions(days)
    articles = Counter(ref for _, cited in questions for ref in cited).most_common(10)
    topics = Counter()
    for question, _ in questions:
        scored = [(t.score(question), t) for t in load_topics()]
        best = max(scored, key=lambda pair: pair[0], default=(0, None))
        if best[0] > 0:
            topics[best[1].name["zh"]] += 1
    rows = "".join(f"<li>{esc(corpus.label(Ref.parse(ref)))}：{n}</li>" for ref, n in articles if corpus.exists(ref))
    trows = "".join(f"<li>{esc(name)}：{n}</li>" for name, n in topics.most_common(10))
    return (f'<div class="review-top"><div><h4>被引用最多的条文</h4><ol>{rows or "<li>（无）</li>"}</ol></div>'
            f'<div><h4>问得最多的主题</h4><ol>{trows or "<li>（无）</li>"}</ol></div></div>')


def dislike_table(store) -> str:
    rows = []
    for feedback, review in store.dislikes():
        reason = REASONS.get(feedback.reason, ("（未选）", ""))[0]
        rows.append(f'<tr data-id="{feedback.id}"><td>{feedback.id}</td><td>{esc(feedback.created_at.strftime("%Y-%m-%d %H:%M"))}</td>'
                    f'<td>{esc(feedback.question[:120])}</td><td>{esc(reason)}</td><td>{esc((feedback.comment or "")[:200])}</td>'
                    f'<td>{"✓" if review else ""}</td></tr>')
    if not rows:
        return '<div class="review-empty">还没有差评。</div>'
    return ('<table class="review-table"><thead><tr><th>编号</th><th>时间</th><th>问题</th><th>原因</th><th>意见</th>'
            f'<th>已评审</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def open_item(feedback_id, request: gr.Request | None = None):
    """(the item as it was answered, and the correction form filled with its review or a first guess)."""
    empty = ("", "", "", "", "")
    if not allowed(request):
        return ('<div class="error-note">评审页仅对评审人员开放。</div>',) + empty[1:]
    store = open_store()
    try:
        found = store.item(int(feedback_id)) if store.ready and feedback_id not in (None, "") else None
    except (TypeError, ValueError):
        found = None
    except SQLAlchemyError:
        return (f'<div class="error-note">{esc(UNREACHABLE)}</div>',) + empty[1:]
    if found is None:
        return ('<div class="error-note">没有这个编号的反馈。</div>',) + empty[1:]
    feedback, review = found
    corpus = load()
    cites = "".join(f"<li>{esc(corpus.label(Ref.parse(c['ref'])) if corpus.exists(c['ref']) else c['ref'])}：「{esc(c['quote'])}」</li>"
                    for c in feedback.citations)
    reason = REASONS.get(feedback.reason, ("（未选）", ""))[0]
    view = (f'<div class="review-item" data-id="{feedback.id}"><div><b>问题：</b>{esc(feedback.question)}</div>'
            f'<div><b>回答：</b><div class="review-answer">{esc(feedback.answer.replace("**", ""))}</div></div>'
            f'<div><b>引用：</b><ul>{cites}</ul></div><div><b>{"好评" if feedback.rating > 0 else "差评"}</b> 原因：{esc(reason)}；'
            f'意见：{esc(feedback.comment or "（无）")}</div><div class="review-meta">办法筛选：{esc(feedback.measure or "全部")}；'
            f'版本 {esc(feedback.app_version)} / 条文 {esc(feedback.corpus_hash)}；{esc(feedback.created_at.isoformat())}</div></div>')
    if review is not None:
        return (view, review.expected_verdict or "", ", ".join(review.expected_refs), "\n".join(review.key_facts),
                review.note or "")
    refs = list(dict.fromkeys(str(Ref.parse(c["ref"]).article_ref) for c in feedback.citations if corpus.exists(c["ref"])))
    return view, feedback.verdict or "", ", ".join(refs), "", ""


def save_correction(feedback_id, verdict, refs_text, facts_text, note, request: gr.Request | None = None) -> str:
    """Check and store a reviewer's correction; the message says what is wrong, or that it is saved."""
    if not allowed(request):
        return '<div class="error-note">评审页仅对评审人员开放。</div>'
    store = open_store()
    try:
        found = store.item(int(feedback_id)) if store.ready else None
    except (TypeError, ValueError):
        found = None
    except SQLAlchemyError:
        return f'<div class="error-note">{esc(UNREACHABLE)}</div>'
    if found is None:
        return '<div class="error-note">请先打开一条反馈。</div>'
    refs = [r.strip() for r in (refs_text or "").replace("，", ",").split(",") if r.strip()]
    facts = [f.strip() for f in (facts_text or "").splitlines() if f.strip()]
    problems = check_correction(verdict or None, refs, facts)
    if problems:
        return '<div class="error-note">' + "<br>".join(esc(p) for p in problems) + "</div>"
    try:
        store.review(int(feedback_id), verdict or None, [str(Ref.parse(r).article_ref) for r in refs], facts, note,
                     getattr(request, "username", None) if request is not None else None)
    except SQLAlchemyError:
        return f'<div class="error-note">{esc(UNREACHABLE)}（更正未保存）</div>'
    return f'<div class="export-ok">已保存第 {int(feedback_id)} 条的更正。</div>'


def export_reviews(request: gr.Request | None = None):
    """(files: reviewed items as gold candidates in JSON lines, and the 👎 list as CSV; message)."""
    if not allowed(request):
        return None, '<div class="error-note">评审页仅对评审人员开放。</div>'
    store = open_store()
    if not store.ready:
        return None, f'<div class="error-note">记录数据库不可用：{esc(store.problem)}</div>'
    try:
        reviewed, dislikes = store.reviewed(), store.dislikes(limit=100000)
    except SQLAlchemyError:
        return None, f'<div class="error-note">{esc(UNREACHABLE)}</div>'
    candidates = "".join(json.dumps(gold_item(f, r), ensure_ascii=False) + "\n" for f, r in reviewed)
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["id", "created_at", "question", "reason", "comment", "verdict", "route", "cited", "measure",
                     "app_version", "corpus_hash", "reviewed"])
    for f, r in dislikes:
        reason = REASONS[f.reason][0] if f.reason in REASONS else f.reason or ""  # the words the user chose
        writer.writerow([f.id, f.created_at.isoformat(), f.question, reason, f.comment or "", f.verdict or "",
                         f.route, " ".join(c["ref"] for c in f.citations), f.measure or "", f.app_version,
                         f.corpus_hash, "yes" if r else ""])
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    paths = write_export(f"review-{stamp}", {"jsonl": candidates, "csv": "\ufeff" + table.getvalue()})
    return paths, f'<div class="export-ok">已导出 {candidates.count(chr(10))} 条已评审条目（gold 格式）和差评列表。</div>'
