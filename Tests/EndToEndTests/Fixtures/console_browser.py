#!/usr/bin/env python3
"""Drives the staff console in headless Chromium (Debian's package) with Playwright, against a
running regulator that ConsoleBrowserEndToEndTests has seeded. Exits non-zero at the first
check that fails; keeps a screenshot of each main page in the artefacts folder.

usage: console_browser.py BASE_URL ARTEFACTS SEED.json
SEED: {"password", "district_user", "association_user", "own_uscc", "own_name", "other_uscc",
       "member_uscc", "non_member_uscc", "name_prefix", "lead", "recommendation", "city_user",
       "roster_uscc", "platform", "proposals"}
"""
import json
import os
import sys
import time

from playwright.sync_api import sync_playwright

base, artefacts, seed_path = sys.argv[1], sys.argv[2], sys.argv[3]
seed = json.load(open(seed_path, encoding="utf-8"))
os.makedirs(artefacts, exist_ok=True)


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok: {what}", flush=True)


def shot(page, name):
    page.screenshot(path=os.path.join(artefacts, name + ".png"), full_page=True)


def unlabelled_inputs(page):
    """Inputs a person cannot name: visible, no <label for>, no aria-label."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('input, select, textarea'))
        .filter(e => e.type !== 'hidden')
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map(e => e.name || e.id)""")


def log_in(page, username):
    page.goto(base + "/console/login")
    page.fill("#username", username)
    page.fill("#password", seed["password"])
    page.click("#login")
    page.wait_for_url(lambda url: "/console/login" not in url)
    page.goto(base + "/console/search")


def bulk_confirm_proposals(page, cases):
    """The district officer ticks every proposal of the queue (select all), reads the preview
    (one confirmation directive per case) and confirms: each case done, none refused."""
    page.goto(base + "/console/proposals")
    check(unlabelled_inputs(page) == [], "every input of the proposals queue has a label")
    page.check("#select-all")
    for case in cases:
        check(page.is_checked(f"input[name=row][value$='/{case}']"), f"select all ticked {case}")
    page.click("#bulk-preview")
    page.wait_for_url("**/console/proposals/bulk/preview")
    preview = page.inner_text("main table")
    check(all(case in preview for case in cases) and preview.count("confirmation → ") == len(cases),
          f"the preview lists one confirmation directive per case: {preview}")
    shot(page, "proposals-bulk-preview")
    page.click("#bulk-confirm")
    page.wait_for_url("**/console/proposals/bulk")
    summary = page.inner_text("#bulk-summary")
    check(summary == f"已办理: {len(cases)} · 未办理: 0", f"both confirmed ({summary})")
    shot(page, "proposals-bulk-done")


def district_draws(page):
    """The district officer asks for a 双随机 draw over the district with two of its own staff:
    the preview is prepared in the background (the waiting page updates itself and reloads), then
    shows the strata; 抽取 (confirmed) stores that draw and opens its page."""
    page.goto(base + "/console/draws")
    check(unlabelled_inputs(page) == [], "every input of the draw form has a label")
    page.fill("#seed-draw", "2026-browser")
    page.check(f"#inspector-{seed['district_user']}")
    page.check("#inspector-jinjiang-zhao")  # the pack sends two inspectors to each enterprise
    page.click("#new-draw")
    page.wait_for_url("**/console/draws/preparations/*")
    page.wait_for_selector("#form-draw, .error", timeout=30000)
    check(page.locator("#form-draw").count() == 1, f"the preview is prepared: {page.inner_text('main')}")
    check(page.inner_text("#seed") == "2026-browser", "the preview shows the seed")
    check(page.inner_text("#population") == "1", f"the district's population ({page.inner_text('#population')})")
    shot(page, "draw-preview")
    page.click("#draw")
    page.wait_for_url(lambda url: "/console/draws/" in url and "preparations" not in url)
    check("2026-browser" in page.inner_text("main"), "the draw's page shows its seed")
    shot(page, "draw")


def search(page, text):
    page.fill("#q", text)
    page.click("#search-button")
    page.wait_for_load_state()
    return page.locator("main table a").all_inner_texts()


def city_issues_a_directive(page):
    """The city issues a directive to one enterprise: the preview first, then 确认发送, then the
    directive on the follow page, awaiting the platform's receipt."""
    page.goto(base + "/console/directives")
    check(unlabelled_inputs(page) == [], "every input of the directive form has a label")
    page.select_option("#type-issue", "guidance")
    page.fill("#uscc-issue", seed["own_uscc"])
    page.fill("#reason-issue", "请于七日内在店铺首页亮照经营")
    page.click("#issue")
    page.wait_for_load_state()
    preview = page.inner_text("main table")
    check(page.inner_text("#count") == "1" and seed["platform"] in preview and "请于七日内在店铺首页亮照经营" in preview,
          f"the preview shows the one directive to send: {preview}")
    shot(page, "directive-preview")
    page.click("#send")
    page.wait_for_url("**/console/directives")
    follow = page.inner_text("main table")
    check(seed["own_uscc"] in follow and "待回执" in follow, f"the directive is followed, awaiting its receipt: {follow}")
    shot(page, "directives")


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                args=["--no-sandbox"])
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The login page: labels, and the keyboard reaches the button.
    page.goto(base + "/console/login")
    check(page.locator("html").get_attribute("lang") == "zh-CN", "the console opens in Chinese")
    check(unlabelled_inputs(page) == [], "every input of the login page has a label")
    page.locator("body").focus()
    reached = False
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "login":
            reached = True
            break
    check(reached, "Tab reaches the login button")
    shot(page, "login")

    # A district officer: the dashboard first, then finds an enterprise by USCC and by Chinese
    # name and opens its file.
    page.goto(base + "/console/login")
    page.fill("#username", seed["district_user"])
    page.fill("#password", seed["password"])
    page.click("#login")
    page.wait_for_url("**/console/dashboard")
    check(page.locator("main svg").count() == 1, "the dashboard draws its trend as SVG")
    check(seed["lead"] in page.inner_text("main"), "the overdue lead is due today on the dashboard")
    check(unlabelled_inputs(page) == [], "every input of the dashboard has a label")
    shot(page, "dashboard")
    page.goto(base + "/console/search")
    check(unlabelled_inputs(page) == [], "every input of the search page has a label")
    shot(page, "search")
    found = search(page, seed["own_uscc"])
    check(found == [seed["own_uscc"]], f"found by USCC: {found}")
    found = search(page, seed["name_prefix"])
    check(seed["own_uscc"] in found, f"found by Chinese name {seed['name_prefix']}: {found}")
    check(seed["other_uscc"] not in found, "another district's enterprise is not listed")
    shot(page, "search-results")
    page.click(f"text={seed['own_uscc']}")
    page.wait_for_url(f"**/console/enterprises/{seed['own_uscc']}")
    check(seed["own_name"] in page.inner_text("h1"), "the enterprise page names the enterprise")
    check(page.locator("main table").count() >= 1, "the enterprise page lists its storefronts")
    shot(page, "enterprise")

    # The lead work queue: the overdue lead, worked to 结案 through its forms.
    page.goto(base + "/console/leads")
    shot(page, "leads")
    page.click(f"text={seed['lead']}")
    page.wait_for_url(f"**/console/leads/**/{seed['lead']}")
    page.on("dialog", lambda dialog: dialog.accept())  # the script asks before 结案
    for action, fields in [("verify", {"note": "核查属实，店铺未亮照"}), ("file", {"note": "成锦市监立〔2026〕88号"}),
                           ("close", {"measure": "罚款", "penalty_yuan": "2000"})]:
        check(unlabelled_inputs(page) == [], f"every input of the {action} form has a label")
        for name, value in fields.items():
            page.fill(f"#{name}-{action}", value)
        page.click(f"#record-{action}")
        page.wait_for_load_state()
    check(page.inner_text("#stage") == "已结案", f"the lead is closed (stage: {page.inner_text('#stage')})")
    check("2000.00 元" in page.inner_text("main"), "the penalty is in the lead's steps")
    shot(page, "lead-closed")

    # An art. 33 recommendation: the officer reads the evidence and decides 不予行政处罚.
    page.click("nav >> text=首违不罚建议")
    page.wait_for_url("**/console/determinations")
    shot(page, "determinations")
    page.click(f"text={seed['recommendation']}")
    page.wait_for_url(f"**/console/determinations/**/{seed['recommendation']}")
    check("RETURN_POLICY_MISSING" in page.inner_text("#evidence"), "the recommendation shows the case's evidence")
    check(page.inner_text("#first-here") == "是", "first across every platform")
    check(unlabelled_inputs(page) == [], "every input of the decision form has a label")
    page.check("#decision-no_penalty-decide")
    page.click("#decide")
    page.wait_for_load_state()
    check(page.inner_text("#decision") == "不予行政处罚", f"decided (decision: {page.inner_text('#decision')})")
    check(page.locator("#form-decide").count() == 0, "decided once: the form is gone")
    shot(page, "determination-decided")

    bulk_confirm_proposals(page, seed["proposals"].split(","))
    district_draws(page)

    # Another district's enterprise, typed into the URL: the page of a code never filed.
    response = page.goto(base + f"/console/enterprises/{seed['other_uscc']}")
    check(response.status == 404, f"another district's enterprise answers 404 (got {response.status})")
    shot(page, "denied")

    # English, then back.
    page.goto(base + "/console/search?lang=en")
    check(page.locator("html").get_attribute("lang") == "en", "the language switch")
    page.goto(base + "/console/search?lang=zh")

    page.click("header button[type=submit]")
    page.wait_for_url("**/console/login")
    check(page.goto(base + "/console/search").url.endswith("/console/login"), "logged out: pages send to the login")

    # An association sees only its members.
    log_in(page, seed["association_user"])
    found = search(page, seed["name_prefix"])
    check(seed["member_uscc"] in found and seed["non_member_uscc"] not in found, f"an association sees only members: {found}")
    response = page.goto(base + f"/console/enterprises/{seed['non_member_uscc']}")
    check(response.status == 404, "a non-member's file answers 404 to the association")

    # The association's own page: it uploads its member list as Excel saves it, and prompts them.
    page.goto(base + "/console/associations")
    page.wait_for_url("**/console/associations/food")
    check(unlabelled_inputs(page) == [], "every input of the association's forms has a label")
    members_csv = os.path.join(artefacts, "members.csv")
    with open(members_csv, "w", encoding="utf-8-sig") as f:
        f.write(f"统一社会信用代码,企业名称\n{seed['member_uscc']},会员一\n{seed['non_member_uscc']},会员二\n")
    page.set_input_files("#list-members", members_csv)
    page.click("#members")
    page.wait_for_load_state()
    check(page.inner_text("#member-count") == "2", f"the uploaded list has two members ({page.inner_text('#member-count')})")
    page.fill("#title-prompt", "618 大促合规提示")
    page.fill("#text-prompt", "请规范标价，不得虚构原价。")
    page.click("#prompt")
    page.wait_for_load_state()
    check("618 大促合规提示" in page.inner_text("main") and "2 / 2" in page.inner_text("main"), "the prompt reached both members")
    shot(page, "association")
    page.click("header button[type=submit]")
    page.wait_for_url("**/console/login")

    # The city: the platforms' health, then a removal from the roster, previewed before it is sent.
    log_in(page, seed["city_user"])
    page.click("nav >> text=平台")
    page.wait_for_url("**/console/platforms")
    check(seed["platform"] in page.inner_text("main table"), "the platforms page lists the platform")
    shot(page, "platforms")
    listed = False
    for _ in range(50):  # the roster keeper decides the seeded enterprises within a second or so
        page.goto(base + "/console/roster?member=yes")
        if seed["roster_uscc"] in page.inner_text("main"):
            listed = True
            break
        time.sleep(0.2)
    check(listed, "the kept roster lists the member")
    check(unlabelled_inputs(page) == [], "every input of the roster filters has a label")
    shot(page, "roster")
    page.click(f"text={seed['roster_uscc']}")
    page.wait_for_url(f"**/console/roster/{seed['roster_uscc']}")
    check(page.inner_text("#standing") == "在名单内", "a member now")
    page.fill("#reason-remove", "虚假宣传被投诉查实")
    page.fill("#hold_days-remove", "30")
    page.click("#remove")
    page.wait_for_load_state()
    preview = page.inner_text("main table")
    check(seed["platform"] in preview and "虚假宣传被投诉查实" in preview, f"the preview shows the directive to send: {preview}")
    shot(page, "roster-preview")
    page.click("#send")
    page.wait_for_url(f"**/console/roster/{seed['roster_uscc']}")
    check(page.inner_text("#standing") == "不在名单内", f"removed ({page.inner_text('#standing')})")
    shot(page, "roster-removed")
    city_issues_a_directive(page)

    refused = [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    check(refused == [], f"the CSP refused nothing of the console's own pages: {refused}")
    browser.close()
print(f"screenshots in {artefacts}", flush=True)
