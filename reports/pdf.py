"""The report as a PDF laid out like a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP).

WeasyPrint reads whatever URL a document names unless told otherwise. `StaticOnlyFetcher` answers only the
app's own static files, found through Django's static finders, and refuses everything else: `file://`,
`http(s)://` anywhere, `data:`. User text reaches the template as autoescaped text, so it cannot add markup
(and so no URL) to the document in the first place; the fetcher is the second lock.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.content import NARRATIVE_SECTIONS, ReportContent, paragraphs

# A name that resolves nowhere (RFC 2606 `.invalid`): relative links in the document resolve against it, and
# the fetcher maps it onto the static files without any network access.
STATIC_ORIGIN = "https://static.cds-xa.invalid"


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        path = self.static_path(url)
        if path is None:
            raise ValueError(f"Báo cáo chỉ được dùng tệp tĩnh của ứng dụng, không tải: {url[:200]}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def static_path(url: str) -> str | None:
        """The file behind one of our static URLs, or None for any other URL."""
        parts = urlsplit(url)
        origin = urlsplit(STATIC_ORIGIN)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc) or parts.query or parts.fragment:
            return None
        if not parts.path.startswith(prefix):
            return None
        relative = unquote(parts.path[len(prefix) :])
        if not relative or relative.startswith("/") or ".." in relative.split("/") or "\\" in relative:
            return None
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        return found if isinstance(found, str) else None


def trend_period_width(period_count: int) -> str:
    """The width of each period column of the target-against-actual table, as a CSS percentage.

    The fixed columns (TT, Cơ sở, Mục tiêu, Đánh giá) take 35 %; the periods share at most 55 %, 9 % each
    when few, so `Chỉ tiêu` keeps the rest. Left to fixed layout, the auto columns split the rest evenly and
    a quarter's single value got as much room as the indicator's name, which then wrapped onto three or
    four lines: more pages, and more lines to lay out (most of the PDF's CPU time goes on line boxes).
    Returned as text so the template does not localise the decimal point.
    """
    return f"{min(9.0, 55.0 / max(period_count, 1)):.2f}%"


def report_html(report_content: ReportContent) -> str:
    narrative = {name: paragraphs(report_content.narrative[name]) for name, _title in NARRATIVE_SECTIONS}
    return render_to_string(
        "reports/report_pdf.html",
        {
            "c": report_content,
            "n": narrative,
            "static_origin": STATIC_ORIGIN,
            "trend_period_width": trend_period_width(len(report_content.trend_periods)),
        },
    )


def render_document(report_content: ReportContent) -> Document:
    html = HTML(
        string=report_html(report_content), base_url=STATIC_ORIGIN + "/", url_fetcher=StaticOnlyFetcher()
    )
    return html.render()


def render_pdf(report_content: ReportContent) -> bytes:
    return render_document(report_content).write_pdf()
