"""The app in a real browser: headless Chromium from Debian driven by Playwright.

Starts `python app.py --port N` on a free loopback port, asks a duty question and a factual question, checks
the verdict badge and a citation panel, switches the measure, follows up, runs a quiz round, opens a deep
link, checks phone width, and checks that a question carrying <script> or <img onerror> never executes.
Screenshots go to test-output/ (not committed).

Chromium comes from Debian (`make browser` installs `chromium` and `chromium-driver`); `playwright install`
is never used. Without /usr/bin/chromium the tests skip with a loud reason.
"""
from __future__ import annotations

import os
import re
import sys
import time
import warnings

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ANSWER_TIMEOUT = 60_000  # ms
BADGES = {"可以", "不可以", "须在执法人员参与下", "未作规定", "应当", "需要核实"}

if not os.path.exists(CHROMIUM):
    REASON = (f"BROWSER TEST SKIPPED: {CHROMIUM} is missing. Run `make browser` (apt-get install chromium "
              "chromium-driver) or `make test`, which installs it; CI must install it.")
    warnings.warn(REASON)
    print(f"\n{'!' * 100}\n{REASON}\n{'!' * 100}", file=sys.stderr)
    pytest.skip(REASON, allow_module_level=True)

from app_server import OUT, start_app, stop_app  # noqa: E402

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (a dev dependency) is not installed")


@pytest.fixture(scope="module")
def server():
    if os.environ.get("FAGUI_TEST_URL"):  # an app already running (for debugging the tests themselves)
        yield os.environ["FAGUI_TEST_URL"].rstrip("/") + "/"
        return
    process, url, seconds = start_app([], "app-browser.log")
    (OUT / "app-start-seconds.txt").write_text(f"{seconds:.1f}\n")
    yield url
    stop_app(process)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


class Page:
    """A page of the app, with the dialogs and page errors it produced."""

    def __init__(self, browser, url: str, width: int = 1280, height: int = 900, query: str = ""):
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           permissions=["clipboard-read", "clipboard-write"])
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url + query)
        self.page.wait_for_selector("#question textarea", state="attached", timeout=30_000)

    def rate(self, reply, button: str) -> None:
        """Click 👍 ("Like") or 👎 ("Dislike") on an answer, as a user does: over its row, then the button."""
        reply.locator("xpath=ancestor::*[contains(@class,'message-row')]").first.hover()
        self.page.locator(f"#chat button[aria-label={button}]").last.click()

    def ask(self, question: str):
        """Type a question, send it, and wait for the new answer; returns its locator."""
        bots = self.page.locator("#chat [data-testid=bot]")
        before = bots.count()
        self.page.fill("#question textarea", question)
        self.page.click("#send")
        self.page.wait_for_function(
            "n => document.querySelectorAll('#chat [data-testid=bot]').length > n", arg=before, timeout=ANSWER_TIMEOUT)
        self.page.wait_for_function("() => !document.querySelector('#chat .pending, #chat .generating')",
                                    timeout=ANSWER_TIMEOUT)
        reply = bots.nth(before)
        # and settled: on a loaded machine the stream may not have marked itself generating when the count rose, and a
        # click on a message still being replaced is lost
        deadline, last = time.monotonic() + ANSWER_TIMEOUT / 1000, None
        while time.monotonic() < deadline:
            text = reply.inner_text()
            if text == last and text.strip() and not self.page.locator("#chat .pending, #chat .generating").count():
                break
            last = text
            self.page.wait_for_timeout(300)
        return reply

    def pick(self, elem_id: str, label: str) -> None:
        self.page.locator(f"#{elem_id} label").filter(has_text=re.compile(f"^\\s*{label}\\s*$")).click()

    @staticmethod
    def in_chat_view(locator) -> bool:
        """Is the element scrolled into the chat's visible area?"""
        return locator.evaluate("""e => { const log = e.closest('[role=log]'); const r = e.getBoundingClientRect();
            const v = log.getBoundingClientRect(); return r.top >= v.top - 1 && r.bottom <= v.bottom + 1; }""")

    @staticmethod
    def cited(reply) -> list[str]:
        """The refs of a reply's citation panels, read from their links (the chat drops data- attributes)."""
        links = reply.locator("details.citation a.permalink").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        return [link.split("ref=", 1)[1] for link in links]

    def tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=re.compile(name)).click()

    def answer_a_quiz_question(self):
        """On the Training tab: start a round, submit its first choice; returns the feedback, once shown."""
        self.page.click("#quiz-start")
        return self.submit_choice("first")

    def submit_choice(self, choice: str):
        """Pick the current question's first or last choice and submit it; returns the feedback, once shown.

        A click that lands while the choices are being replaced is lost (the new question's radio starts empty), and
        the app then asks for a choice. That is the app's right answer to no choice, so the pick is made again, at
        most three times; a choice that never registers still fails."""
        feedback = self.page.locator("#quiz-feedback .quiz-feedback")
        shown = "#quiz-feedback .quiz-feedback, #quiz-feedback .quiz-empty"
        for attempt in range(3):
            getattr(self.page.locator("#quiz-choice label"), choice).click()
            self.page.locator("#quiz-choice input:checked").wait_for()
            self.page.click("#quiz-submit")
            answered = self.page.locator(shown) if attempt == 0 else feedback  # after a "choose" message, only
            try:  # the feedback tells that the new submit was answered
                answered.wait_for(timeout=30_000 if attempt == 0 else 10_000)
            except sync_api.TimeoutError:
                continue
            if feedback.count():
                return feedback
        self.page.screenshot(path=str(OUT / "quiz-no-feedback.png"), full_page=True)
        raise AssertionError(f"no feedback after three submits: {self.page.locator('#quiz-feedback').inner_text()!r}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser, server):
    opened = Page(browser, server)
    yield opened
    opened.close()


def test_duty_and_factual_questions(page):
    duty = page.ask("辅助人员可以单独送达法律文书吗？")
    badge = duty.locator(".verdict-badge")
    assert badge.count() == 1, duty.inner_text()
    assert badge.inner_text().strip() in BADGES
    page.page.wait_for_timeout(300)
    assert page.in_chat_view(badge)  # the chat shows the start of the answer, not its end
    panels = duty.locator("details.citation")
    assert panels.count() >= 1
    panels.first.locator("summary").click()
    body = panels.first.locator(".article-text")
    body.wait_for(state="visible")
    assert "《" in panels.first.locator("summary").inner_text()
    assert panels.first.locator("mark").count() >= 1  # the quoted clause is highlighted in the full article
    OUT.mkdir(exist_ok=True)
    page.page.screenshot(path=str(OUT / "app-chat.png"), full_page=True)

    factual = page.ask("岗前培训不少于几个工作日？")
    assert "3个工作日" in factual.inner_text()
    assert factual.locator("details.citation").count() >= 1
    assert factual.locator(".verdict-badge").count() == 0
    assert page.page.locator("#banner .expiry-note").is_visible()  # Hebei's term has run out
    page.page.screenshot(path=str(OUT / "app-chat-factual.png"), full_page=True)
    assert not page.errors, page.errors


def test_measure_switch_and_follow_up(page):
    page.pick("measure", "泰兴")
    page.page.wait_for_function("() => document.querySelector('#banner').innerText.includes('当前范围：泰兴办法')")
    assert "当前范围：泰兴办法" in page.page.locator("#banner").inner_text()
    reply = page.ask("辅助人员可以立案吗？")
    refs = page.cited(reply)
    assert refs and all(ref.startswith("taixing:") for ref in refs), refs

    follow = page.ask("那河北呢？")  # the session's history carries the topic over
    refs = page.cited(follow)
    assert any(ref.startswith("hebei:") for ref in refs), (refs, follow.inner_text())
    assert follow.locator(".expiry-note").count() >= 1  # a cited expired measure carries its note

    page.pick("measure", "河北")
    page.page.wait_for_function("() => document.querySelector('#banner .expiry-note')")
    assert "2019-12-31" in page.page.locator("#banner .expiry-note").inner_text()


def play_quiz_round(page, choice: str, check) -> None:
    """Start a five-question round, answer each with the first or last choice, and hand each question's feedback
    (and its number) to `check` before moving on."""
    page.tab("培训")
    page.page.click("#quiz-start")
    for number in range(1, 6):
        page.page.wait_for_selector(f"#quiz-question .quiz-progress:has-text('第 {number} / 5 题')")
        check(page.submit_choice(choice), number)
        page.page.click("#quiz-next")


def test_one_quiz_round(page):
    def check(feedback, number):
        text = feedback.inner_text()
        assert "正确答案" in text and "依据" in text
        assert feedback.locator("details.citation").count() >= 1
        if number == 1:
            page.page.screenshot(path=str(OUT / "app-quiz.png"), full_page=True)

    play_quiz_round(page, "first", check)
    score = page.page.locator("#quiz-question .quiz-score")
    score.wait_for()
    assert re.search(r"得分：\d / 5", score.inner_text())
    page.page.click("#quiz-export")
    page.page.wait_for_function("() => document.querySelectorAll('#handout-files a, #handout-files .file-name, "
                                "#handout-files tr').length >= 2")
    text = page.page.locator("#handout-files").inner_text()
    assert ".md" in text and ".html" in text


@pytest.mark.parametrize("payload", ['<script>window.__xss=1;alert("xss")</script>辅助人员可以立案吗？',
                                     '<img src=x onerror="window.__xss=2;alert(2)">岗前培训几天？'])
def test_script_in_a_question_never_executes(page, payload):
    reply = page.ask(payload)
    page.page.wait_for_timeout(500)
    assert page.page.evaluate("window.__xss") is None
    assert not page.dialogs, page.dialogs
    assert page.page.locator("#chat img[src=x], #chat script").count() == 0
    shown = page.page.locator("#chat [data-testid=user]").last.inner_text()
    assert "<" in shown and ("<script>" in shown or "<img" in shown)  # shown as text, literally
    assert reply.inner_text().strip()


def test_deep_link_and_search(browser, server):
    opened = Page(browser, server, query="?ref=taixing:9(4)")
    try:
        view = opened.page.locator("#ref-view .ref-view")
        view.wait_for(timeout=30_000)
        assert "第九条第（四）项" in view.inner_text() and view.locator("mark").count() == 1
        opened.page.locator("#meta-box").get_by_text("各办法的基本信息与效力状态").click()  # closed at first
        opened.page.wait_for_function("() => (document.querySelector('#meta') || {innerText: ''}).innerText.includes('期限已届满')")
        opened.page.fill("#browse-search textarea, #browse-search input", "岗前培训")
        opened.page.keyboard.press("Enter")
        opened.page.wait_for_function("() => document.querySelector('#browse-list').innerText.includes('找到 2 条')")
    finally:
        opened.close()


def test_a_bad_deep_link_says_so_in_browse(browser, server):
    opened = Page(browser, server, query="?ref=taixing:99")
    try:
        note = opened.page.locator("#ref-view .error-note")
        note.wait_for(timeout=30_000)
        assert "taixing:99" in note.inner_text() and opened.page.locator("#browse-search").is_visible()
    finally:
        opened.close()


def test_compare_tab(browser, server):
    opened = Page(browser, server, query="?topic=contracts")
    try:
        opened.page.wait_for_selector("#topic-summary [data-topic=contracts]", timeout=30_000)
        assert opened.page.locator("#compare-columns [data-measure=hebei] details.citation").count() >= 1
        assert opened.page.locator("#compare-columns [data-measure=taixing] [data-ref='taixing:16']").count() == 1
    finally:
        opened.close()


def in_viewport(page, locator) -> bool:
    box, height = locator.bounding_box(), page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_phone_width(browser, server):
    """At 390 × 844: the question box is on screen at first; after an answer, its verdict badge is on screen."""
    opened = Page(browser, server, width=390, height=844)
    try:
        opened.page.wait_for_timeout(500)
        assert in_viewport(opened.page, opened.page.locator("#question textarea"))
        reply = opened.ask("协管员能自己开罚单吗？")
        assert reply.locator(".verdict-badge").count() == 1
        opened.page.wait_for_timeout(500)
        assert in_viewport(opened.page, reply.locator(".verdict-badge")), reply.locator(".verdict-badge").bounding_box()
        bubble = reply.evaluate("e => e.getBoundingClientRect().width")
        assert bubble >= 330, f"the answer uses {bubble}px of 390"
        overflow = opened.page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 392, f"the page is {overflow}px wide at a 390px screen"
        opened.page.screenshot(path=str(OUT / "app-phone.png"), full_page=True)
        second = opened.ask("岗前培训不少于几个工作日？")
        opened.page.wait_for_timeout(500)
        first_line = second.locator("p").first
        assert in_viewport(opened.page, first_line)  # the newest answer's start, not the end of the page
    finally:
        opened.close()


TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def test_copy_gives_clean_text(page):
    reply = page.ask("辅助人员可以单独送达法律文书吗？")
    reply.locator(".copy-answer").click()
    page.page.wait_for_timeout(300)
    copied = page.page.evaluate("navigator.clipboard.readText()")
    assert copied and not TAG.search(copied), copied
    assert "「" in copied and "**" not in copied and "在浏览页打开" not in copied  # quotes, no markup, no panels
    assert reply.locator(".verdict-badge").inner_text().strip() in copied


def test_the_chats_trash_button_ends_the_conversation(page):
    first = page.ask("泰兴的辅助人员可以立案吗？")
    assert first.locator(".verdict-badge").count() == 1
    page.page.locator("#chat").hover()
    page.page.locator("#chat button[aria-label=Clear]").click()
    page.page.wait_for_function("() => !document.querySelector('#chat [data-testid=bot]')", timeout=10_000)
    # asked at once, while the clearing may still be on its way: the question is not wiped, nor answered in context
    follow = page.ask("那河北呢？")
    assert follow.locator(".verdict-badge").count() == 0 and "立案" not in follow.inner_text(), follow.inner_text()
    assert "哪一方面" in follow.inner_text()  # with nothing before it, it asks what is wanted


def test_an_unsure_answer_wears_a_neutral_badge_and_shows_the_closest_provisions(page):
    """An answer that does not commit says so: 需要核实 on a neutral badge, never a green or red one, and the
    provisions it leans on with what each rules."""
    reply = page.ask("商户请我吃饭，我去了行吗")
    badge = reply.locator(".verdict-badge")
    assert badge.count() == 1 and "verdict-unsure" in badge.get_attribute("class").split(), reply.inner_text()
    assert "需要核实" in badge.inner_text()
    colour = badge.evaluate("b => getComputedStyle(b).backgroundColor")
    red, green, blue = (int(x) for x in re.findall(r"\d+", colour)[:3])
    assert abs(red - green) < 24 and abs(green - blue) < 24, colour  # grey or white: no verdict colour
    assert reply.locator(".verdict-yes, .verdict-no, .verdict-conditional, .verdict-required").count() == 0
    assert "按此条" in reply.inner_text() and reply.locator("details.citation").count() >= 1
    page.page.screenshot(path=str(OUT / "app-chat-unsure.png"), full_page=True)


def test_exported_conversation(page):
    page.ask("辅助人员可以单独送达法律文书吗？")
    page.page.click("#export-chat")
    link = page.page.locator("#chat-file a").first
    link.wait_for(timeout=30_000)
    text = page.page.request.get(link.get_attribute("href")).text()
    assert "辅助人员可以单独送达法律文书吗" in text and "「" in text and not TAG.search(text)


INTERNAL = re.compile(r"→|hebei 第|taixing 第")


def test_quiz_feedback_and_handout_have_no_internal_notes(page):
    def check(feedback, _number):
        assert not INTERNAL.search(feedback.inner_text()), feedback.inner_text()

    play_quiz_round(page, "last", check)
    page.page.locator("#quiz-question .quiz-score").wait_for()
    assert page.page.locator("#handout-files").count() == 0 or not page.page.locator("#handout-files").is_visible()
    page.page.click("#quiz-export")
    link = page.page.locator("#handout-files a").first
    link.wait_for(timeout=30_000)
    for href in page.page.locator("#handout-files a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert not INTERNAL.search(page.page.request.get(href).text())


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_every_tab_is_photographed(browser, server, width, height):
    """Screenshots of each tab at both widths, for a person to look at (test-output/, not committed)."""
    opened = Page(browser, server, width=width, height=height)
    try:
        opened.ask("辅助人员可以单独送达法律文书吗？")
        for tab, name in (("问答", "chat"), ("浏览", "browse"), ("对比", "compare"), ("培训", "training")):
            opened.tab(tab)
            opened.page.wait_for_timeout(600)
            if name == "training":
                opened.answer_a_quiz_question()
            tabs = opened.page.locator("#tabs [role=tab]").evaluate_all("els => els.map(e => e.getBoundingClientRect().top)")
            assert len(set(round(t) for t in tabs)) == 1, "the tab bar wraps"
            opened.page.screenshot(path=str(OUT / f"tab-{name}-{width}.png"), full_page=True)
        assert not opened.errors, opened.errors
    finally:
        opened.close()


def test_a_dislike_with_a_reason_reaches_the_review_tab(page):
    reply = page.ask("协管员能自己开罚单吗？")
    page.rate(reply, "Dislike")
    page.page.locator("#reason-comment textarea").wait_for(state="visible", timeout=15_000)
    page.pick("reason", "结论不对")
    page.page.fill("#reason-comment textarea", "<b>html</b> 应该再核对")
    page.page.click("#reason-send")
    page.page.wait_for_function("() => document.querySelector('#feedback-note').innerText.includes('已记录原因')",
                                timeout=15_000)
    page.tab("评审")
    row = page.page.locator("#review-list tr", has_text="协管员能自己开罚单吗").first
    row.wait_for(timeout=15_000)
    assert "结论不对" in row.inner_text() and "<b>html</b>" in row.inner_text()  # shown as text
    number = row.locator("td").first.inner_text().strip()
    page.page.fill("#review-id input", number)
    page.page.click("#review-open")
    page.page.locator("#review-item .review-item").wait_for(timeout=15_000)
    page.page.fill("#fix-refs textarea, #fix-refs input", "taixing:10")
    page.page.fill("#fix-facts textarea", "作出行政执法决定")
    page.pick("fix-verdict", "不可以")
    page.page.click("#fix-save")
    page.page.wait_for_function("() => document.querySelector('#review-msg').innerText.includes('已保存')",
                                timeout=15_000)
    chart = page.page.locator("#review-chart .day-chart")  # today's bars, though there is one day of records
    assert chart.locator("tbody tr").count() >= 1 and "拒答率" in chart.inner_text()
    assert chart.locator(".bar.down").first.evaluate("e => e.getBoundingClientRect().width") > 0
    page.page.screenshot(path=str(OUT / "app-review.png"), full_page=True)


# ─── issue 21 ────────────────────────────────────────────────────────────────────────────────────────────
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
             "resultTypes": ["violations"]}


def axe_violations(page) -> list[str]:
    """What axe-core (WCAG 2 A/AA) finds wrong on the page as it is now, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=AXE_RULES).response["violations"]
    return [f"{v['id']} {node['target']}: {(node.get('failureSummary') or '').splitlines()[-1].strip()}"
            for v in found for node in v["nodes"]]


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_no_accessibility_violations_on_any_tab(browser, server, width, height):
    """axe-core on every tab after an answer, with a badge of every kind in the chat (the badge is what an officer
    reads outdoors on a phone), a quiz question answered, and the review tab with its records."""
    from web.render import badge_html

    opened = Page(browser, server, width=width, height=height)
    try:
        reply = opened.ask("辅助人员可以单独送达法律文书吗？")
        badges = "".join(badge_html(v, "zh", required=required, unsure=unsure) for v, required, unsure in (
            ("yes", False, False), ("no", False, False), ("conditional", False, False), ("not_addressed", False, False),
            ("yes", True, False), ("yes", False, True)))
        assert badges.count("verdict-badge") == 6
        reply.locator(".verdict-badge").evaluate("(badge, html) => badge.insertAdjacentHTML('afterend', html)", badges)
        found = {}
        for tab in ("问答", "浏览", "对比", "培训", "评审"):
            opened.tab(tab)
            opened.page.wait_for_timeout(600)
            if tab == "培训":
                opened.answer_a_quiz_question()
            if tab == "评审":
                opened.page.wait_for_function("() => document.querySelector('#review-summary').innerText.trim()")
            found[tab] = axe_violations(opened.page)
        (OUT / f"axe-{width}.txt").write_text("\n".join(f"{t}: {len(v)}\n" + "\n".join(v) for t, v in found.items()))
        assert not any(found.values()), found
    finally:
        opened.close()


def test_desktop_first_screen_has_the_question_box(browser, server):
    """At 1280 × 800 the question box was at y = 955, below an empty chat frame."""
    opened = Page(browser, server, width=1280, height=800)
    try:
        opened.page.wait_for_timeout(500)
        assert in_viewport(opened.page, opened.page.locator("#question textarea"))
        assert in_viewport(opened.page, opened.page.locator("#send"))
        opened.page.screenshot(path=str(OUT / "app-desktop-first-screen.png"))
        reply = opened.ask("协管员能自己开罚单吗？")
        opened.page.wait_for_timeout(500)
        assert opened.in_chat_view(reply.locator(".verdict-badge"))
        assert in_viewport(opened.page, opened.page.locator("#question textarea"))
    finally:
        opened.close()


def test_phone_quiz_feedback_comes_into_view(browser, server):
    """On a phone the right/wrong feedback appeared below the fold after 提交答案."""
    opened = Page(browser, server, width=390, height=844)
    try:
        opened.tab("培训")
        feedback = opened.answer_a_quiz_question()
        opened.page.wait_for_timeout(600)
        assert in_viewport(opened.page, feedback.locator(".quiz-result")), feedback.locator(".quiz-result").bounding_box()
        assert in_viewport(opened.page, feedback.locator(".quiz-correct"))
        assert in_viewport(opened.page, opened.page.locator("#quiz-next"))  # the next step at hand
        opened.page.screenshot(path=str(OUT / "app-phone-quiz-feedback.png"))
    finally:
        opened.close()


def test_a_like_note_goes_with_the_next_question(page):
    reply = page.ask("协管员能自己开罚单吗？")
    page.rate(reply, "Like")
    page.page.wait_for_function("() => document.querySelector('#feedback-note').innerText.trim()", timeout=15_000)
    page.ask("岗前培训不少于几个工作日？")
    page.page.wait_for_timeout(300)
    assert not page.page.locator("#feedback-note").inner_text().strip()


def test_a_written_deep_link_opens_its_article(browser, server):
    opened = Page(browser, server, query="?ref=泰兴第九条")
    try:
        view = opened.page.locator("#ref-view .ref-view")
        view.wait_for(timeout=30_000)
        assert "第九条" in view.inner_text() and "泰兴" in view.inner_text()
        assert not re.search(r"\b(hebei|taixing):\d", view.inner_text()), view.inner_text()  # no internal keys
    finally:
        opened.close()
    opened = Page(browser, server, query="?ref=taixing:99")
    try:
        note = opened.page.locator("#ref-view .error-note")
        note.wait_for(timeout=30_000)
        said = note.inner_text().split("：", 1)[1]
        assert "没有第九十九条" in said and not re.search(r"[A-Za-z]{3,}", said), said
    finally:
        opened.close()


def test_a_compare_search_without_a_match_says_so(browser, server):
    opened = Page(browser, server)
    try:
        opened.tab("对比")
        opened.page.fill("#topic-search textarea, #topic-search input", "红包")
        opened.page.keyboard.press("Enter")
        opened.page.wait_for_function(
            "() => (document.querySelector('#topic-search-note') || {innerText: ''}).innerText.includes('没有')",
            timeout=15_000)
        assert "红包" in opened.page.locator("#topic-search-note").inner_text()
    finally:
        opened.close()
FOUR_CLICKS = [("岗前培训几天", "Like", None), ("辅助人员可以单独送达法律文书吗", "Like", None),
               ("协管员能自己开罚单吗", "Dislike", "看不懂"), ("辅助人员能不能查封场所", "Dislike", "结论不对")]


@pytest.fixture(params=["sqlite", "postgresql"])
def records_app(request, server):
    """(the app's URL, its records database): the suite's app on SQLite, or one of its own on the real PostgreSQL."""
    if request.param == "sqlite":
        from records.db import database_url

        yield server, database_url()
        return
    url = request.getfixturevalue("postgres").database("four_clicks")
    process, base, _ = start_app([], "app-browser-postgres.log", env={"FAGUI_DATABASE_URL": url})
    yield base, url
    stop_app(process)


def test_four_clicks_across_new_conversations_are_four_rows_with_their_reasons(browser, records_app):
    """ask, 👍, 新对话, ask, 👍, 新对话, ask, 👎 看不懂, 新对话, ask, 👎 结论不对: every click its own row, each reason on
    its own answer."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session as DbSession

    from records.db import database_url
    from records.schema import Feedback

    base, url = records_app
    engine = create_engine(database_url() if url.startswith("sqlite") else url)

    def rows() -> dict:
        with DbSession(engine) as db:
            return {row.question: (row.rating, row.reason) for row in db.scalars(select(Feedback))
                    if row.question in {question for question, _, _ in FOUR_CLICKS}}

    def until(expected: dict) -> None:
        deadline = time.monotonic() + 20
        while rows() != expected and time.monotonic() < deadline:
            time.sleep(0.2)
        assert rows() == expected

    opened = Page(browser, base)
    expected = {}
    try:
        for question, button, reason in FOUR_CLICKS:
            reply = opened.ask(question)
            opened.rate(reply, button)
            expected[question] = (1 if button == "Like" else -1, None)
            until(expected)
            if reason:
                opened.page.locator("#reason-comment textarea").wait_for(state="visible", timeout=15_000)
                opened.pick("reason", reason)
                opened.page.click("#reason-send")
                expected[question] = (-1, {"看不懂": "unclear", "结论不对": "wrong_verdict"}[reason])
                until(expected)
            opened.page.click("#clear")
            opened.page.wait_for_function("() => !document.querySelector('#chat [data-testid=bot]')", timeout=10_000)
    finally:
        opened.close()
        engine.dispose()
