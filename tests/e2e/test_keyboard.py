"""Forms a clerk can use with the keyboard alone (issue 7 point 5), in a real browser.

1. For the county admin, a station clerk and a department clerk, every create and edit form
   their menus reach (and the 权益说明 page, which takes a holder by ID number): every field a
   clerk fills — each visible ``input``, ``select`` and ``textarea`` but hidden ones, the CSRF
   token and buttons — has an accessible name (``<label for>``, a wrapping label,
   ``aria-label`` or ``aria-labelledby``); Tab from the top of the form reaches every field in
   page order and then the submit button (no field skipped, no positive ``tabindex``, no
   trap); and an opened create form already has the cursor in its first field.
2. A station clerk takes an application at the counter with Tab, typing, Space and Enter only:
   the ID number (the look-up shows the holder's name before anything is submitted), the
   date typed into the native date input, the basis and materials ticked with Space, Enter to
   submit; the browser lands on the saved application with its outcome.

Every page runs under the ``watch``: no request leaves 127.0.0.1, no console error, no CSP
violation, every page in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

import pytest

from core import clock
from core.rules import id_check_char

from .browser import Watch
from .conftest import Server
from .test_csp_pages import crawlable
from .test_print import County

# One account per kind of menu: the county admin (every view), a station clerk, a department
# clerk whose menu has create and edit forms.
ACCOUNTS = ["admin", "danfeng", "housing"]

# In the page: the form a clerk fills and its fields, in page order, each with its accessible
# name and whether Tab reaches it (a select2 list's own <select> is replaced, for the
# keyboard, by select2's focusable box, which is itself a field of the form).
FIELDS_JS = """
() => {
  const form = document.querySelector('form.admin-form') ||
    (document.querySelector('input[data-juzhu-lookup]') || {}).form;
  if (!form) { return null; }
  const text = (el) => (el ? (el.innerText || el.textContent || '') : '')
    .replace(/\\s+/g, ' ').trim();
  const named = (el) => {
    const byLabel = Array.from(el.labels || []).map(text).join(' ');
    const aria = (el.getAttribute('aria-label') || '').trim();
    const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map((id) => text(document.getElementById(id))).join(' ');
    return (byLabel || aria || by).trim();
  };
  const shown = (el) => el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const skip = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
  const fields = Array.from(form.querySelectorAll('input, select, textarea')).filter((el) =>
    !(el.tagName === 'INPUT' && skip.has(el.type)) && el.name !== 'csrf_token' &&
    !el.disabled && shown(el));
  fields.forEach((el, i) => el.setAttribute('data-kb', String(i)));
  const submit = form.querySelector('input[type=submit], button[type=submit], button:not([type])');
  if (submit) { submit.setAttribute('data-kb', 'submit'); }
  const positive = Array.from(document.querySelectorAll('[tabindex]'))
    .filter((el) => Number(el.getAttribute('tabindex')) > 0).map((el) => el.outerHTML.slice(0, 80));
  return {
    positive,
    submit: submit ? (submit.value || text(submit)) : null,
    fields: fields.map((el, i) => ({
      i, tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id, name: el.name || '',
      label: named(el), tabbable: el.tabIndex >= 0 && el.getAttribute('tabindex') !== '-1',
      select2: el.tagName === 'SELECT' && el.classList.contains('select2-offscreen'),
      focused: document.activeElement === el,
    })),
  };
}
"""

START_JS = """
() => {
  const form = document.querySelector('[data-kb]').form;
  const start = document.createElement('a');
  start.href = '#'; start.id = 'kb-start'; start.textContent = '表单开始';
  form.parentNode.insertBefore(start, form);
  start.focus();
}
"""

ACTIVE_JS = "() => (document.activeElement && document.activeElement.getAttribute('data-kb')) " \
            "|| (document.activeElement ? document.activeElement.outerHTML.slice(0, 100) : '')"


def form_pages(watch: Watch) -> list[str]:
    """The create and edit forms (one of each per list) and 权益说明 pages the menu reaches."""
    watch.goto("/admin/")
    menu = [p for p in watch.links("nav a[href^='/admin/']") if crawlable(p) and "?" not in p]
    pages: list[str] = []
    for path in menu:
        answer = watch.goto(path)
        assert answer is not None and answer.status == 200, path
        if path.endswith("explanations/"):
            pages.append(path)
            continue
        links = [p for p in watch.links() if crawlable(p)]
        pages += [p for p in links if "/new/" in p][:1] + [p for p in links if "/edit/" in p][:1]
    return list(dict.fromkeys(pages))


def check_form(watch: Watch, path: str) -> list[str]:
    """What is wrong with the form at ``path`` for a keyboard user (empty: nothing)."""
    page = watch.page
    answer = watch.goto(path)
    assert answer is not None and answer.status == 200, (path, answer and answer.status)
    info = page.evaluate(FIELDS_JS)
    assert info is not None, f"{path}: no form"
    fields = info["fields"]
    assert fields, f"{path}: a form without fields"
    problems = [f"{path}: tabindex > 0: {html}" for html in info["positive"]]
    problems += [f"{path}: field without an accessible name: {f}" for f in fields if not f["label"]]
    # a field Tab cannot reach must be a select2 list, whose box (a field) stands in for it
    for f in fields:
        if not f["tabbable"] and not f["select2"]:
            problems.append(f"{path}: field not reachable by Tab: {f}")
    if info["submit"] is None:
        return problems + [f"{path}: no submit button"]
    if "/new/" in path:  # the cursor waits in the first field
        first = next(f for f in fields if f["tabbable"])
        try:
            page.wait_for_function(
                "i => document.activeElement && "
                "document.activeElement.getAttribute('data-kb') === String(i)", arg=first["i"],
                timeout=3000)
        except Exception:
            problems.append(f"{path}: the first field {first['label']} is not focused on opening")
    expected = [str(f["i"]) for f in fields if f["tabbable"]] + ["submit"]
    page.evaluate(START_JS)
    seen: list[str] = []
    for _ in range(len(expected) * 4 + 10):  # a date input may take a Tab per part
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_JS)
        if not seen or seen[-1] != active:
            seen.append(active)
        if active == "submit":
            break
    if seen != expected:
        names = {str(f["i"]): f["label"] for f in fields} | {"submit": info["submit"]}
        problems.append(f"{path}: Tab order {[names.get(s, s) for s in seen]} "
                        f"!= {[names[s] for s in expected]}")
    return problems


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_form_is_labelled_and_tabs_in_order(watch: Watch, username: str) -> None:
    watch.login(username)
    pages = form_pages(watch)
    assert any("/new/" in p for p in pages), pages
    if username == "admin":  # the county admin's menu reaches edit forms too
        assert any("/edit/" in p for p in pages), pages
    problems: list[str] = []
    for path in pages:
        problems += check_form(watch, path)
    watch.shot("last-form")
    assert problems == [], "\n".join(problems)
    print(f"\n[e2e] {username}: {len(pages)} forms labelled and in Tab order")


# -- a counter application by keyboard alone --------------------------------------------------

def focused_label(watch: Watch) -> str:
    return watch.page.evaluate(
        "() => { const el = document.activeElement;"
        " return el && el.labels && el.labels.length ? el.labels[0].innerText.trim() : ''; }")


def tab_to(watch: Watch, label: str | re.Pattern[str], limit: int = 40) -> None:
    """Press Tab until the focused field's label is ``label`` (the clerk's eyes, not a click)."""
    for _ in range(limit):
        watch.page.keyboard.press("Tab")
        now = focused_label(watch)
        if (label.search(now) if isinstance(label, re.Pattern) else now == label):
            return
    raise AssertionError(f"Tab never reached {label}")


def type_date(watch: Watch, field_id: str, day: dt.date) -> None:
    """Type ``day`` into the focused native date input with the keyboard. Its parts come in
    the browser's order (month/day/year in a Chromium whose interface is English, as here;
    year/month/day in a Chinese one), so each order is tried, re-entering the field with
    Shift+Tab, Tab, until the field holds the date."""
    page = watch.page
    attempts = [[f"{day:%m%d%Y}"], [f"{day:%d%m%Y}"], [f"{day:%Y}", "ArrowRight", f"{day:%m%d}"]]
    for keys in attempts:
        for key in keys:
            if key == "ArrowRight":
                page.keyboard.press(key)
            else:
                page.keyboard.type(key)
        if page.locator(f"#{field_id}").input_value() == day.isoformat():
            return
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
    raise AssertionError(f"{field_id}: could not type {day} "
                         f"(holds {page.locator(f'#{field_id}').input_value()})")


def test_a_station_clerk_takes_an_application_by_keyboard(watch: Watch, county: County,
                                                          server: Server) -> None:
    page = watch.page
    name = "柯" + secrets.choice("春夏秋冬") + secrets.choice("兰竹梅菊")
    holder_id, _ = county.person(name, clock.today() - dt.timedelta(days=365))
    number = county.http.get(f"{server.url}/api/v1/holders/{holder_id}").json()["id_number"]
    watch.login("danfeng")
    watch.goto("/admin/public_security_applications/new/")

    # the cursor is already in 公民身份号码; typing the 18th character looks the holder up
    page.wait_for_function("() => document.activeElement && "
                           "document.activeElement.id === 'holder_id_number'", timeout=5000)
    page.keyboard.type(number[:17])
    region = page.locator("#holder_id_number ~ [aria-live='polite']").first
    assert region.inner_text() == ""
    page.keyboard.type(number[17])
    page.wait_for_function("n => document.querySelector('#holder_id_number ~ [aria-live]')"
                           ".textContent.includes(n)", arg=name, timeout=5000)
    shown = region.inner_text()
    assert name in shown and "丹凤派出所" in shown and "未持有居住证" in shown, shown
    described = page.locator("#holder_id_number").get_attribute("aria-describedby") or ""
    assert region.get_attribute("id") in described.split()
    watch.shot("holder-found")

    # 受理日期 (today by default): yesterday's date typed into the native date input
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "accepted_on"
    assert page.locator("#accepted_on").input_value() == clock.today().isoformat()
    type_date(watch, "accepted_on", clock.today() - dt.timedelta(days=1))

    tab_to(watch, "合法稳定住所")
    page.keyboard.press("Space")
    tab_to(watch, "本人居民身份证")
    page.keyboard.press("Space")
    tab_to(watch, "房屋租赁合同")
    page.keyboard.press("Space")
    tab_to(watch, re.compile("^证件照张数"))
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    assert page.get_by_label("合法稳定住所").is_checked()
    assert page.get_by_label("房屋租赁合同").is_checked()
    watch.shot("filled-by-keyboard")

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/admin/public_security_applications/details/" in page.url
    body = page.locator("body").inner_text()
    assert name in body and "已签发" in body, body[:500]
    yesterday = clock.today() - dt.timedelta(days=1)
    assert re.search(r"受理日期\s+" + yesterday.isoformat(), body), body[:800]
    watch.shot("issued")


def test_the_lookup_says_what_is_wrong_and_offers_the_holder_form(watch: Watch) -> None:
    """A mistyped check character is caught in the page at once; a valid number nobody
    registered says so, with the way to the holder form (a station clerk may create)."""
    page = watch.page
    watch.login("danfeng")
    watch.goto("/admin/public_security_registrations/new/")
    first17 = "53030219900307" + f"{secrets.randbelow(400) + 500:03d}"
    good = first17 + id_check_char(first17)
    wrong = first17 + ("1" if good[-1] != "1" else "2")
    field = page.locator("#holder_id_number")
    region = page.locator("#holder_id_number ~ [aria-live='polite']").first
    field.press_sequentially(wrong)
    page.wait_for_function("() => document.querySelector('#holder_id_number ~ [aria-live]')"
                           ".textContent.includes('校验位')", timeout=5000)
    assert "GB 11643-1999" in region.inner_text()
    assert field.get_attribute("aria-invalid") == "true"
    watch.shot("check-character")
    field.press("Backspace")
    assert region.inner_text() == ""
    field.press_sequentially(good[-1])
    page.wait_for_function("() => document.querySelector('#holder_id_number ~ [aria-live]')"
                           ".textContent.includes('未找到持证人')", timeout=5000)
    link = region.get_by_role("link")
    assert link.get_attribute("href") == "/admin/holders/new/"
    assert field.get_attribute("aria-invalid") is None
    watch.shot("not-found")
