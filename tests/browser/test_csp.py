"""The Content-Security-Policy in a real browser: htmx pages work and the browser reports no violation."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import SectionKind
from tests import builders
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser

# Runs in every document before its own scripts, outside the page's policy, and hands each violation the
# browser reports to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.reportViolation(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


def test_htmx_pages_run_under_the_policy_without_a_violation(browser, live_server, journey):
    plan = journey.task.section.plan
    indicator = builders.indicator(builders.section(plan, SectionKind.INDICATORS), lead="Trung tâm PVHCC")
    context = browser.new_context()
    violations, console = [], []
    context.expose_function("reportViolation", lambda text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda message: console.append(message.text))

    log_in(page, live_server, journey.clerk.username)
    expect(page).to_have_url(re.compile(reverse("tracking:my_work") + "$"))
    assert page.evaluate("() => document.querySelector('head style') === null"), "htmx injected a <style>"

    # The live verdict: htmx posts the form as the clerk types and swaps the answer in.
    page.goto(live_server.url + reverse("tracking:result_edit", args=[indicator.pk, journey.period.pk]))
    with page.expect_response(lambda r: "danh-gia" in r.url and r.request.method == "POST"):
        page.fill("#id_value", "90")
    expect(page.locator("#verdict")).not_to_be_empty()

    # A boosted link: htmx fetches the page and swaps the body in.
    page.get_by_role("link", name="Việc của tôi").first.click()
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()

    context.close()
    assert violations == [], violations
    assert not [text for text in console if "Content Security Policy" in text], console
