"""A clerk's day in Vietnamese, in a real browser (issue #19's acceptance).

Playwright drives Debian's Chromium (locale vi-VN, pages in Vietnamese) against the app
served over HTTP with the projector following the event log; the test takes the
workflow's steps itself (it opens the councils' reviews), which lets it fill a council's
inbox with 250 tasks in seconds.

The clerk of Phường I proposes from the spreadsheet the unit keeps (Vietnamese headers in
its own column order under a title line; "Cá nhân", "Tập thể" and a kind the policy does
not know, which the page flags and the clerk fixes) and sees the tracking codes. The
commune's council votes on one dossier and is told so; the task leaves its inbox. The
council pages through its inbox of 250 and more, forward to the last page and back:
the rows seen add up to the total shown, none twice. It finds "Nguyễn Thị Hoa" by typing
"nguyen thi hoa", records a meeting for two, and returns a dossier with a reason. The
clerk finds the returned dossier, reads the council's reason, and prints it: A4, without
the site's navigation.

Every page is read as the person sees it (its visible text, its title, and the labels
screen readers speak) and fails naming the page and the phrase if any English of the
catalogue's English side is on it; the pages walked are screenshotted into
test-artifacts/screenshots/clerk-day/ and checked with axe-core.
"""

from __future__ import annotations

import asyncio
import io
import math
import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from uuid import UUID

import pytest
import pytest_asyncio
from openpyxl import Workbook

from api import labels
from api.web.accounts import seed_demo_accounts
from api.web.catalogue import MESSAGES
from domain.application import Nominations
from domain.commands import NomineeItem
from domain.policy import Policy
from infrastructure.container import Laurel
from tests.support import commands
from tests.support.browser import (
    CHROMIUM_FLAGS,
    Visit,
    chromium,
    rows_are,
    serving_alone,
    until,
    vote,
)
from tests.support.people import actor

playwright_api = pytest.importorskip("playwright.async_api")

UNIT = "hg.vi-thanh.phuong-1"
AWARD = "bang-khen-tinh"
PAGE_SIZE = 50
FILLED = 250
REASON = "Thiếu biên bản họp bình xét của tổ dân phố; đề nghị bổ sung trước ngày 20/01."
NOT_CARRIED = {"members": 9, "present": 8, "for": 3, "against": 4, "abstain": 1}
SOUGHT, LOOKALIKE = "Nguyễn Thị Hoa", "Nguyễn Văn Hoa"
SHEET_HEADERS = ["STT", "Thành tích", "Họ và tên", "Chức vụ, đơn vị công tác", "Loại",
                 "Người trực tiếp lao động"]
SHEET_ROWS = [
    [1, "Hoàn thành xuất sắc nhiệm vụ năm 2025; sáng kiến số hóa hồ sơ một cửa",
     "Phạm Thị Lan", "Chuyên viên Văn phòng UBND Phường I", "Cá nhân", "x"],
    [2, "Ba năm liền đạt danh hiệu Khu dân cư văn hóa", "Tổ Dân phố số 5", "Phường I",
     "Tập thể", ""],
    [3, "Vận động hội viên tham gia xây dựng đô thị văn minh", "Hội Liên hiệp Phụ nữ Phường I",
     "Phường I", "Đoàn thể", ""],
]
HEADER_ROW = 3  # under a title line and the tờ trình's reference


# -- English on a Vietnamese page ---------------------------------------------------------

_FRAGMENT_BREAKS = re.compile(r"\{[^}]*\}|[.,:;!?()“”\"—–/→←…]|\s-\s")
_ENGLISH_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


@dataclass(frozen=True)
class English:
    """What the catalogues say in English and never in Vietnamese: phrases of two words
    or more (the text between a message's placeholders and punctuation) and single words
    of five letters or more, each found only as a whole (case aside). Whatever also
    occurs in the Vietnamese side ("Laurel", "CSV", "name" in a hint) is left out."""

    phrases: frozenset[str]
    words: frozenset[str]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> English:
        pairs = [(vi, en) for vi, en in pairs if vi != en]
        vietnamese = " ".join(" ".join(vi.split()) for vi, _ in pairs).lower()
        vietnamese_words = set(re.findall(r"\w+", vietnamese))
        phrases, words = set(), set()
        for _, en in pairs:
            for fragment in _FRAGMENT_BREAKS.split(en):
                tokens = fragment.split()
                if len(tokens) >= 2 and all(_ENGLISH_WORD.fullmatch(t) for t in tokens):
                    phrase = " ".join(tokens).lower()
                    if not re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", vietnamese):
                        phrases.add(phrase)
                for word in _ENGLISH_WORD.findall(fragment):
                    if len(word) >= 5 and word.lower() not in vietnamese_words:
                        words.add(word.lower())
        return cls(frozenset(phrases), frozenset(words))

    def found_in(self, text: str) -> list[str]:
        """The English phrases and words in ``text``, each with what surrounds it."""
        flat = " ".join(text.split())
        found = []
        for term in sorted(self.phrases | self.words, key=len, reverse=True):
            pattern = r"\s+".join(map(re.escape, term.split()))
            for hit in re.finditer(rf"(?<!\w){pattern}(?!\w)", flat, re.IGNORECASE):
                context = flat[max(0, hit.start() - 40):hit.end() + 40]
                found.append(f"“{hit.group()}” in “…{context}…”")
        return found


def catalogue_pairs(policy: Policy) -> list[tuple[str, str]]:
    """Every (Vietnamese, English) the pages take their words from: the pages' catalogue,
    the statuses, event names and next steps the API shares, and the policy's names of
    awards and levels."""
    return [*MESSAGES.values(), *labels.STATUS.values(), *labels.EVENT.values(),
            *labels.NEXT_STEP.values(),
            *((a.name.vi, a.name.en) for a in policy.awards.values()),
            *((n.vi, n.en) for n in policy.level_names.values())]


_SEEN_TEXT = """() => {
  const declared = [...document.body.querySelectorAll("[lang]")]
      .filter(e => !e.lang.startsWith("vi")).map(e => e.innerText);
  const spoken = [...document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")]
      .filter(e => !e.closest("[lang]:not([lang^=vi])"))
      .map(e => ["aria-label", "title", "placeholder", "alt"]
           .map(a => e.getAttribute(a) || "").join(" "));
  return {body: document.body.innerText, title: document.title, declared, spoken};
}"""


class VietnameseVisit(Visit):
    """A person's session on the Vietnamese pages: every page read is searched for the
    catalogue's English (an element that declares another language, such as the switch
    to English, is left out)."""

    def __init__(self, browser: Any, base: str, passwords: dict[str, str],
                 english: English) -> None:
        super().__init__(browser, base, "vi", passwords)
        self.shots = self.shots.parent / "clerk-day"
        self.shots.mkdir(parents=True, exist_ok=True)
        self.english = english
        self.pages_read = 0

    async def person(self, username: str | None) -> Any:
        page = await super().person(username)
        await self.read(page, f"after signing in as {username}")
        return page

    async def read(self, page: Any, name: str) -> None:
        seen = await page.evaluate(_SEEN_TEXT)
        body = seen["body"]
        for text in seen["declared"]:
            body = body.replace(text, " ")
        found = self.english.found_in("\n".join([body, seen["title"], *seen["spoken"]]))
        assert not found, f"English on the Vietnamese page “{name}” ({page.url}): {found}"
        assert await page.get_attribute("html", "lang") == "vi", name
        self.pages_read += 1

    async def check(self, page: Any, name: str) -> None:
        await self.read(page, name)
        await super().check(page, name)


# -- the day's data -----------------------------------------------------------------------


def clerk_sheet() -> bytes:
    """The unit's list as its clerk keeps it: a title, the tờ trình's reference, then the
    header row in the unit's own order."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DANH SÁCH ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH NĂM 2025"])
    sheet.append(["(Kèm theo Tờ trình số 12/TTr-UBND ngày 05/01/2026 của UBND Phường I)"])
    sheet.append(SHEET_HEADERS)
    for row in SHEET_ROWS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filler_names(count: int) -> list[str]:
    """``count`` distinct Vietnamese names: one is ``SOUGHT``, one looks like it, and no
    other contains what the search for it types."""
    surnames = ("Trần", "Lê", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
    middles = ("Văn", "Minh", "Ngọc", "Thanh", "Quốc")
    givens = ("Nam", "Hùng", "Mai", "Tuấn", "Dũng", "Phúc", "Khoa", "Trinh", "Yến", "Bảo")
    names = [f"{s} {m} {g}" for s in surnames for m in middles for g in givens]
    return [SOUGHT, LOOKALIKE, *names[:count - 2]]


def fill_inbox(app: Nominations, names: list[str], at: datetime) -> None:
    """The unit's clerk proposed these at ``at``, in tờ trình of 50; the workflow opened
    the commune council's review of each (the test takes that step)."""
    clerk = actor("proposer", UNIT)
    for start in range(0, len(names), 50):
        items = [NomineeItem(AWARD, {"name": name, "kind": "individual",
                                     "title": "Công chức Phường I"},
                             achievements="Hoàn thành tốt nhiệm vụ năm 2025",
                             documents=[{"title": "Báo cáo thành tích",
                                         "kind": "achievement_report"}])
                 for name in names[start:start + 50]]
        _, proposals = commands.propose_many(app, clerk, items, at)
        for proposal in proposals:
            assert app.open_review(proposal.id, 0, at + timedelta(minutes=5)) is not None


# -- reading the pages ----------------------------------------------------------------------


async def total_shown(page: Any) -> int:
    """The list's total, as its pager says it ("1–50 trong tổng số 253", "Tổng số: 0")."""
    return int(re.findall(r"\d+", await page.inner_text("nav.pager .count"))[-1])


async def rows_listed(page: Any) -> list[str]:
    """The dossiers a list's page links to, in order."""
    return [str(await a.get_attribute("href"))
            for a in await page.locator("tbody tr td a").all()]


async def go(page: Any, link: str) -> None:
    async with page.expect_navigation():
        await page.click(link)


async def search(page: Any, typed: str) -> None:
    """Typed into the page's search box, sent with Enter."""
    await page.fill("#f-q", typed)
    async with page.expect_navigation():
        await page.press("#f-q", "Enter")


@pytest_asyncio.fixture
async def served_alone(laurel: Laurel) -> AsyncIterator[str]:
    async with serving_alone(laurel) as base:
        yield base


@pytest.mark.timeout(240)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_clerk_s_day_in_vietnamese(served_alone: str, laurel: Laurel) -> None:
    executable = chromium()
    base, app = served_alone, laurel.nominations
    passwords = {u: p for u, p, _ in seed_demo_accounts(laurel.settings.data_dir)}
    english = English.of(catalogue_pairs(laurel.policy))
    await asyncio.to_thread(fill_inbox, app, filler_names(FILLED),
                            laurel.clock() - timedelta(days=1))

    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True,
                                           args=CHROMIUM_FLAGS)
        visit = VietnameseVisit(browser, base, passwords, english)

        # The clerk proposes from the unit's spreadsheet; the page flags the kind it does
        # not know, on the sheet's own row, and holds the submit button until it is fixed.
        clerk = await visit.person("vanthu.phuong1")
        await clerk.goto(f"{base}/ui/proposals/new")
        await visit.check(clerk, "1-proposal-form")
        await clerk.set_input_files("#file", files=[{
            "name": "danh-sach-de-nghi.xlsx", "buffer": clerk_sheet(),
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
        await go(clerk, "form[action$='/proposals/import'] button[type=submit]")
        names = [row[2] for row in SHEET_ROWS]
        assert [await clerk.input_value(f"#name_{i}") for i in range(3)] == names
        assert await clerk.input_value("#kind_1") == "collective"
        assert await clerk.is_checked("input[name=direct_0]")
        flagged = await clerk.inner_text("#checks .error")
        assert f"Dòng {HEADER_ROW + 3}" in flagged and "Đoàn thể" in flagged, flagged
        assert await clerk.is_disabled("#checks button[type=submit]")
        await visit.check(clerk, "2-proposal-from-sheet")
        await clerk.select_option("#kind_2", "collective")
        await clerk.wait_for_selector("#checks .ok")
        assert await clerk.is_enabled("#checks button[type=submit]")
        await visit.read(clerk, "2-proposal-fixed")
        await go(clerk, "#checks button[type=submit]")
        assert "Đã gửi đề nghị" in await clerk.inner_text("main [role=status]")
        assert [n.strip() for n in await clerk.locator("tbody tr td a").all_inner_texts()] \
            == names
        assert len(await clerk.locator("td.code").all_inner_texts()) == 3
        await visit.check(clerk, "3-proposal-sent")
        proposed = [UUID(str(href).rsplit("/", 1)[1]) for href in await rows_listed(clerk)]
        for nomination_id in proposed:  # the workflow's step: the commune council's review
            assert await asyncio.to_thread(app.open_review, nomination_id, 0,
                                           laurel.clock()) is not None
        waiting = FILLED + len(proposed)

        # The commune's council votes on one dossier, is told so, and the task is gone.
        council = await visit.person("hoidong.phuong1")

        async def all_waiting(page: Any = council) -> bool:
            return await total_shown(page) == waiting

        await until(council, f"{base}/ui/inbox", all_waiting)
        await visit.check(council, "4-inbox")
        await search(council, "pham thi lan")
        assert [n.strip() for n in await council.locator("tbody tr td a").all_inner_texts()] \
            == ["Phạm Thị Lan"]
        await go(council, "tbody tr td a")
        await visit.check(council, "5-dossier-to-vote")
        await vote(council, "approve")
        await go(council, "form#vote button[type=submit]")
        told = await council.inner_text(".flash")
        assert "Đã ghi kết quả xét của Hội đồng cho Phạm Thị Lan" in told, told
        assert "Đang xét duyệt" in told, told  # forwarded to the city's council
        await visit.check(council, "6-voted")
        waiting -= 1
        assert await total_shown(council) == waiting
        await search(council, "pham thi lan")
        assert await council.locator("tbody tr").count() == 0
        await visit.read(council, "6-voted-gone")

        # Forward through the inbox to its last page and back: every task once.
        await council.goto(f"{base}/ui/inbox")
        forward: list[list[str]] = []
        while True:
            assert await total_shown(council) == waiting
            forward.append(await rows_listed(council))
            await visit.read(council, f"7-inbox-page-{len(forward)}")
            if await council.locator("a[rel=next]").count() == 0:
                break
            await go(council, "a[rel=next]")
        await visit.check(council, "7-inbox-last-page")
        assert len(forward) == math.ceil(waiting / PAGE_SIZE)
        assert [len(rows) for rows in forward[:-1]] == [PAGE_SIZE] * (len(forward) - 1)
        every = [row for rows in forward for row in rows]
        assert len(every) == waiting and len(set(every)) == waiting
        for rows in reversed(forward[:-1]):
            await go(council, "a[rel=prev]")
            assert await rows_listed(council) == rows
        assert await council.locator("a[rel=prev]").count() == 0

        # Found without the marks: "nguyen thi hoa" is Nguyễn Thị Hoa, not Nguyễn Văn Hoa.
        await search(council, "nguyen thi hoa")
        found = [n.strip() for n in await council.locator("tbody tr td a").all_inner_texts()]
        assert found == [SOUGHT], found
        assert await total_shown(council) == 1
        await visit.check(council, "8-inbox-search")

        # A meeting for two of the Trần Văn: summed up, confirmed, gone from the inbox.
        await search(council, "tran van")
        first_two = (await rows_listed(council))[:2]
        for box in (await council.locator("input[name=task_id]").all())[:2]:
            await box.check()
        await vote(council, "approve", prefix="m-")
        await go(council, "fieldset.meeting button[type=submit]")
        await visit.check(council, "9-meeting-summary")
        await go(council, "main form button[type=submit]")
        told = await council.inner_text(".flash")
        assert "Đã ghi kết quả cho 2 hồ sơ của phiên họp" in told, told
        await visit.read(council, "9-meeting-recorded")
        waiting -= 2
        assert await total_shown(council) == waiting
        await search(council, "tran van")
        assert not set(first_two) & set(await rows_listed(council))

        # The council returns the residents' group's dossier, saying why.
        await search(council, "to dan pho so 5")
        await go(council, "tbody tr td a")
        await vote(council, "return", tally=NOT_CARRIED)
        await council.fill("#note", REASON)
        await go(council, "form#vote button[type=submit]")
        told = await council.inner_text(".flash")
        assert "Tổ Dân phố số 5" in told and "Trả lại để bổ sung" in told, told
        await visit.read(council, "10-returned")
        assert await total_shown(council) == waiting - 1

        # The clerk finds it among the unit's nominations, reads why, and prints it.
        await clerk.goto(f"{base}/ui/nominations")
        assert await total_shown(clerk) == FILLED + len(proposed)
        await visit.check(clerk, "11-unit-nominations")
        await clerk.select_option("#f-status", "returned")
        await search(clerk, "TO DAN PHO")
        await until(clerk, clerk.url, partial(rows_are, clerk, 1))  # the projector's pace
        assert await clerk.inner_text("tbody tr td a") == "Tổ Dân phố số 5"
        await visit.read(clerk, "11-returned-found")
        await go(clerk, "tbody tr td a")
        assert "Trả lại để bổ sung" in await clerk.inner_text("#status")
        returns = await clerk.inner_text("section.returns")
        assert REASON in returns and "Phường I" in returns, returns
        await visit.check(clerk, "12-returned-dossier")
        code = (await clerk.inner_text("dd.code")).strip()

        # The residents' group follows it by its code, typed as people type it.
        await clerk.goto(f"{base}/ui/track")
        await clerk.fill("#code", code.replace("-", " ").lower())
        await go(clerk, "form.narrow button[type=submit]")
        assert "Trả lại để bổ sung" in await clerk.inner_text("#status")
        said = await clerk.inner_text("#returns")
        assert "Phường I" in said and REASON in said, said
        await visit.check(clerk, "12-returned-tracking")
        await clerk.go_back()
        await clerk.go_back()
        assert REASON in await clerk.inner_text("section.returns")
        await clerk.emulate_media(media="print")
        for site in ("header", "nav", "form#supplement", "button.print"):
            assert not await clerk.locator(site).first.is_visible(), f"{site} is printed"
        assert await clerk.locator(".print-only").is_visible()
        assert REASON in await clerk.inner_text("section.returns")
        await visit.check(clerk, "13-returned-dossier-print")
        pdf = await clerk.pdf(path=str(visit.shots / "13-returned-dossier-print.pdf"),
                              format="A4")
        assert pdf.startswith(b"%PDF")
        assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]", pdf)
        await browser.close()
    assert visit.pages_read >= 25
