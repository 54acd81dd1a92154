"""The journey `make cluster-test` drives through nginx over two app servers (scripts/cluster-test.sh).

Every request goes through nginx; the `X-Cluster-Upstream: a|b` header pins it to one gunicorn (the generated
nginx config maps it onto one server), so each step is done on one server and checked on the other. Rows are
looked up and checked in the database with the servers' own settings (the environment the script exports).
Prints one line per step; exits non-zero on the first step that does not hold.
"""

import hashlib
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import django
import requests

django.setup()

from celery import current_app  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from alerts.models import ReminderLog  # noqa: E402
from imports.models import ImportBatch  # noqa: E402
from indicators.models import Indicator  # noqa: E402
from plans.models import Plan, ReportingPeriod  # noqa: E402
from reports.models import Report, ReportStatus  # noqa: E402
from tests.data.seed_tables import workbook_bytes  # noqa: E402

NGINX = os.environ["CLUSTER_NGINX_URL"]
PASSWORD = os.environ["CLUSTER_PASSWORD"]
WORKER_LOG = os.environ["CLUSTER_WORKER_LOG"]
PORTS = {"a": os.environ["CLUSTER_PORT_A"], "b": os.environ["CLUSTER_PORT_B"]}
S3_PORT = os.environ["CLUSTER_PORT_S3"]
COMMUNE = "nghiadan"  # the demo people of xã Nghĩa Đàn (devdata.demo)
FILES_READY_SECONDS = 120


def say(step: str, detail: str) -> None:
    print(f"  ✔ {step}: {detail}", flush=True)


def fail(step: str, detail: str) -> None:
    print(f"  ✘ {step}: {detail}", flush=True)
    sys.exit(1)


class Browser:
    """One person's session (the cookie works on both servers: sessions live in Redis and PostgreSQL)."""

    def __init__(self, username: str) -> None:
        self.session = requests.Session()
        self.username = username
        page = self.get("a", reverse("login"))
        response = self.post(
            "b", reverse("login"), {"username": username, "password": PASSWORD}, referer=page.url
        )
        if "sessionid" not in self.session.cookies:
            fail("đăng nhập", f"{username}: {response.status_code} {response.url}")

    def _headers(self, server: str, referer: str | None = None) -> dict[str, str]:
        headers = {"X-Cluster-Upstream": server}
        if referer:
            headers["Referer"] = referer
        return headers

    def get(self, server: str, path: str, **kwargs) -> requests.Response:
        response = self.session.get(NGINX + path, headers=self._headers(server), timeout=60, **kwargs)
        # nginx names the upstream that answered (a download adds the S3 store after it).
        served = response.headers.get("X-Cluster-Server", "?")
        if not served.startswith(f"127.0.0.1:{PORTS[server]}"):
            fail("ghim máy chủ", f"GET {path} asked for {server} ({PORTS[server]}), answered by {served}")
        return response

    def post(self, server: str, path: str, data: dict, *, referer: str | None = None, files=None):
        data = {**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        response = self.session.post(
            NGINX + path, data=data, files=files, headers=self._headers(server, referer), timeout=120
        )
        if response.status_code >= 500:
            fail("POST", f"{path} on {server}: {response.status_code}")
        return response


def hidden(page: requests.Response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page.text)
    return found.group(1) if found else ""


def import_step(reviewer: Browser, plan: Plan) -> None:
    header = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"]
    data = workbook_bytes(
        {"Nhiệm vụ": [header, ["I", "Hạ tầng số"], ["1", "Lắp wifi nhà văn hóa", "Trung tâm PVHCC", "2027"]]}
    )
    upload = reviewer.post(
        "a",
        reverse("imports:upload"),
        {"commune": plan.commune_id, "title": "Kế hoạch thử cụm máy chủ", "year": "2027"},
        files={"file": ("ke-hoach.xlsx", data)},
    )
    batch = ImportBatch.objects.filter(commune_id=plan.commune_id).order_by("-pk").first()
    if batch is None or f"/nhap-ke-hoach/{batch.pk}/" not in upload.url:
        fail("nhập kế hoạch", f"upload on a: {upload.status_code} {upload.url}")
    confirm = reviewer.post(
        "b",
        reverse("imports:confirm", args=[batch.pk]),
        {"sha256": hashlib.sha256(data).hexdigest()},
    )
    batch.refresh_from_db()
    if not batch.imported_at or not batch.result_plan_id:
        fail("nhập kế hoạch", f"confirm on b: {confirm.status_code} {confirm.url}")
    say("nhập kế hoạch", f"tải lên ở a, xác nhận ở b → kế hoạch #{batch.result_plan_id} đã tạo")


def summary_of(page: requests.Response) -> str:
    found = re.search(r'<p class="summary">(.*?)</p>', page.text, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def entry_step(clerk: Browser, period: ReportingPeriod) -> None:
    my_work = reverse("tracking:my_work")
    before = summary_of(clerk.get("b", my_work))
    clerk.get("b", my_work)  # the second view is served from the page cache in Redis
    entry_url = re.search(r'href="(/chi-tieu/\d+/ky/\d+/)"', clerk.get("a", my_work).text)
    if not entry_url:
        fail("nhập số liệu", "no indicator to enter on My work")
    form = clerk.get("a", entry_url.group(1))
    saved = clerk.post(
        "a",
        entry_url.group(1),
        {
            "value": "97",
            "note": "Số liệu thử cụm",
            "action": "submit",
            "version": hidden(form, "version") or "0",
        },
    )
    after = summary_of(clerk.get("b", my_work))
    if saved.status_code != 200 or before == after:
        fail("nhập số liệu", f"saved on a ({saved.status_code}); My work on b still says «{after}»")
    say("nhập số liệu", f"gửi ở a; Việc của tôi ở b (bộ nhớ đệm Redis) đổi «{before}» → «{after}»")


def reminders_step() -> None:
    day = timezone.localdate().isoformat()
    # What each server's beat does at REMINDERS_AT (the same message, by name): queue the day's job. Both
    # fire at the same moment; the worker runs both.
    with ThreadPoolExecutor(2) as pool:
        sent = list(pool.map(lambda _: current_app.send_task("jobs.send_daily_reminders", (day,)), range(2)))
    results = [result.get(timeout=120) for result in sent]
    claimed = [r for r in results if r["claimed"]]
    logged = ReminderLog.objects.filter(day=day).count()
    # The console email backend writes each email to the worker's output (a log line of its own).
    with open(WORKER_LOG, encoding="utf-8", errors="replace") as log:
        mailed = log.read().count("Subject: ")
    if len(claimed) != 1 or claimed[0]["sent"] < 1 or logged != claimed[0]["sent"] or mailed != logged:
        fail("nhắc việc", f"results {results}, {logged} log rows, {mailed} emails in the worker's log")
    say("nhắc việc", f"hai beat cùng xếp việc: một lần chạy gửi {logged} thư, lần kia thấy ngày đã được nhận")


def report_step(reviewer: Browser, leader: Browser, plan: Plan, period: ReportingPeriod) -> None:
    created = reviewer.post("a", reverse("reports:create", args=[plan.pk]), {"period": period.pk})
    report = Report.objects.filter(plan=plan, period=period).order_by("-version").first()
    if report is None:
        fail("báo cáo", f"create on a: {created.status_code} {created.url}")
    edit = reverse("reports:edit", args=[report.pk])
    reviewer.get("b", edit)
    fields = dict(
        number=f"{report.pk + 40}/BC-UBND",
        report_date=timezone.localdate().strftime("%d/%m/%Y"),
        subject=report.subject,
        place=report.place,
        signer_authority="TM. ỦY BAN NHÂN DÂN",
        signer_title="CHỦ TỊCH",
        signer_name=report.signer_name or "Nguyễn Văn An",
        recipients=report.recipients,
    )
    reviewer.post("b", edit, fields)
    reviewer.post("a", reverse("reports:submit", args=[report.pk]), {})
    report.refresh_from_db()
    if report.status != ReportStatus.SUBMITTED:
        fail("báo cáo", f"not submitted: {report.status}")
    detail = reverse("reports:detail", args=[report.pk])
    leader.get("a", detail)
    started = time.monotonic()
    answer = leader.post(
        "a",
        reverse("reports:approve", args=[report.pk]),
        {
            "number": report.number,
            "report_date": f"{report.report_date:%d/%m/%Y}",
            "signer_authority": report.signer_authority,
            "signer_title": report.signer_title,
            "signer_name": report.signer_name,
        },
    )
    answered = time.monotonic() - started
    if "Đang tạo tệp" not in answer.text and "Đã duyệt" not in answer.text:
        fail("duyệt", f"approve on a: {answer.status_code}")
    poll = reverse("reports:files_status", args=[report.pk])
    while "HX-Refresh" not in leader.get("b", poll).headers:
        if time.monotonic() - started > FILES_READY_SECONDS:
            fail("duyệt", "the worker did not store the files in time")
        time.sleep(0.5)
    ready = time.monotonic() - started
    report.refresh_from_db()
    if report.status != ReportStatus.APPROVED:
        fail("duyệt", f"status {report.status}: {report.render_error}")
    say("duyệt báo cáo", f"duyệt ở a (trả lời sau {answered:.2f} s), tệp xong sau {ready:.2f} s (máy nền)")

    pdf = leader.get("b", reverse("reports:pdf", args=[report.pk]))
    xlsx = leader.get("a", reverse("reports:xlsx", args=[report.pk]))
    if not pdf.content.startswith(b"%PDF-") or not xlsx.content.startswith(b"PK"):
        fail("tải tệp", f"pdf {pdf.status_code} {pdf.content[:20]!r}, xlsx {xlsx.status_code}")
    for download in (pdf, xlsx):
        # nginx fetched the file from the store after the app's answer: both upstreams are named.
        if f"127.0.0.1:{S3_PORT}" not in download.headers.get("X-Cluster-Server", ""):
            fail("tải tệp", f"not sent by nginx from S3: {dict(download.headers)}")
        if "attachment" not in download.headers.get("Content-Disposition", ""):
            fail("tải tệp", f"no attachment header: {dict(download.headers)}")
    with report.pdf_file.open("rb") as stored:
        if stored.read() != pdf.content:
            fail("tải tệp", "the PDF downloaded is not the PDF stored in S3")
    say(
        "tải tệp",
        f"PDF ({len(pdf.content):,} B) từ b, Excel ({len(xlsx.content):,} B) từ a: "
        f"nginx gửi từ S3 (X-Accel-Redirect), đúng tệp đã lưu",
    )


def balance_step(clerk: Browser) -> None:
    """Without the pin header nginx spreads requests over both servers."""
    answered = {
        clerk.session.get(NGINX + reverse("tracking:my_work"), timeout=60).headers.get("X-Cluster-Server")
        for _ in range(6)
    }
    if answered != {f"127.0.0.1:{port}" for port in PORTS.values()}:
        fail("cân bằng tải", f"answered by {answered}")
    say("cân bằng tải", f"6 yêu cầu không ghim: nginx chia cho cả hai máy chủ {sorted(answered)}")


def main() -> None:
    plan = Plan.objects.filter(commune__name__icontains="Nghĩa Đàn").order_by("pk").first()
    open_period = ReportingPeriod.objects.filter(commune=plan.commune, locked_at__isnull=True).first()
    finished = ReportingPeriod.objects.filter(commune=plan.commune, locked_at__isnull=False).first()
    finished = finished or ReportingPeriod.objects.filter(commune=plan.commune).order_by("start").first()
    if Indicator.objects.filter(plan=plan).count() == 0 or open_period is None:
        fail("dữ liệu", "the demo data has no indicator or open period for Nghĩa Đàn")
    reviewer, clerk, leader = (Browser(f"{COMMUNE}.{who}") for who in ("thamdinh", "canbo", "lanhdao"))
    say("đăng nhập", "ba người, mỗi phiên dùng được ở cả hai máy chủ")
    balance_step(clerk)
    import_step(reviewer, plan)
    entry_step(clerk, open_period)
    reminders_step()
    report_step(reviewer, leader, plan, finished)


if __name__ == "__main__":
    main()
