from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from units.models import CommuneKind

register = template.Library()


@register.filter
def count(number: int) -> str:
    """1234567 → `1.234.567`: whole counts, without the locale machinery (a page shows hundreds)."""
    return f"{number:,}".replace(",", ".")


@register.simple_tag
def count_link(number: int, browser_url: str, base: dict, **filters):
    """A count opening the plan browser on exactly the rows it counts; `data-count` keeps the raw number."""
    if not browser_url:
        return count(number)
    params = {key: value for key, value in {**base, **filters}.items() if value not in ("", None)}
    return format_html(
        '<a class="count" href="{}?{}" data-count="{}">{}</a>',
        browser_url,
        urlencode(params),
        number,
        count(number),
    )


@register.filter
def percent(share: float | None) -> str:
    """0.815 → `81,5%`; no share (nothing to count) → `—`."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


@register.filter
def get(mapping: dict, key):
    return mapping.get(key, 0)


@register.simple_tag
def count_cells(counts: dict, states, browser_url: str, base: dict, key: str, **fixed):
    """A table row's count cells, one per (state, label), each linking with `key=state` added to the filters.

    One tag per row rather than a loop of tags: the per-unit tables of a big commune hold hundreds of counts.
    """
    return format_html_join(
        "",
        '<td class="num" data-label="{}">{}</td>',
        (
            (label, count_link(counts.get(state, 0), browser_url, base, **fixed, **{key: state}))
            for state, label in states
        ),
    )


ROLLUP_LABELS = {
    "commune": _("Xã/phường"),
    "report": _("Báo cáo"),
    "indicators": _("Chỉ tiêu đạt / tổng"),
    "tasks": _("Nhiệm vụ hoàn thành / tổng"),
    "behind": _("Chậm tiến độ"),
    "overdue": _("Quá hạn"),
    "sent": _("Đã gửi"),
    "not_sent": _("Chưa gửi"),
    "no_period": _("Không có kỳ này"),
    "code": _("Mã"),
    "version": _("phiên bản"),
    "reason": _("lý do đính chính"),
}


_ROW = (
    '<tr><td data-label="{commune}"><a href="{{}}?ky={{}}">{{}}</a></td><td data-label="{code}">{{}}</td>'
    '<td data-label="{report}">{{}}</td>'
    '<td class="num" data-label="{indicators}">{{}}/{{}} <span class="muted">({{}})</span></td>'
    '<td class="num" data-label="{tasks}">{{}}/{{}}</td><td class="num" data-label="{behind}">{{}}</td>'
    '<td class="num" data-label="{overdue}">{{}}</td></tr>'
)


@register.simple_tag
def rollup_rows(rows, code: str):
    """The province table's rows, built in one pass: 130 communes through the template engine cost more than
    the queries behind them. The labels go into the row pattern once; each row fills in only its figures."""
    labels = {key: escape(label) for key, label in ROLLUP_LABELS.items()}
    pattern = _ROW.format(**labels)
    kinds = {kind: str(label).lower() for kind, label in CommuneKind.choices}
    # One reverse for the table: only the commune's (or the report's) id changes from row to row.
    link = reverse("dashboards:commune", args=[_ID_MARK]).replace(str(_ID_MARK), "{}")
    report_link = reverse("reports:detail", args=[_ID_MARK]).replace(str(_ID_MARK), "{}")
    return format_html_join(
        "\n",
        "{}",
        ((_rollup_row(row, code, pattern, (link, report_link), labels, kinds),) for row in rows),
    )


_ID_MARK = 987654321


def _sent_versions(row, report_link: str, labels: dict[str, str]):
    """Each sent version as a link to it, with its time and, for a correction, its reason beside."""
    return format_html_join(
        "",
        '<div class="sent-version"><a href="{}">{} {}</a> {}{}</div>',
        (
            (
                report_link.format(sent.pk),
                labels["version"],
                sent.version,
                date_format(localtime(sent.sent_at), "H:i d/m/Y"),
                format_html(' <span class="muted">({}: {})</span>', labels["reason"], sent.correction_reason)
                if sent.correction_reason
                else "",
            )
            for sent in row.sent
        ),
    )


def _rollup_row(row, code: str, pattern: str, links, labels: dict[str, str], kinds: dict[str, str]):
    link, report_link = links
    if row.sent:
        report = format_html(
            '<span class="badge badge-ok">{}</span>{}',
            labels["sent"],
            _sent_versions(row, report_link, labels),
        )
    elif row.period is not None:
        report = format_html('<span class="badge badge-muted">{}</span>', labels["not_sent"])
    else:
        report = format_html('<span class="muted">{}</span>', labels["no_period"])
    overdue = row.tasks.counts.get("overdue", 0)
    commune = row.commune
    return format_html(
        pattern,
        link.format(commune.pk),
        code,
        f"{kinds[commune.kind]} {commune.name}",  # str(commune), without a translation lookup per row
        commune.code or "—",
        report,
        count(row.indicators.met),
        count(row.indicators.total),
        percent(row.rate),
        count(row.tasks.counts.get("done", 0)),
        count(row.tasks.total),
        count(row.tasks.counts.get("behind", 0)),
        format_html('<strong class="bad">{}</strong>', count(overdue)) if overdue else "0",
    )
