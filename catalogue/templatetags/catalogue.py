from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from units.scope import scope_for

register = template.Library()


@register.simple_tag
def catalogue_menu_url(user) -> str:
    """Where the menu's «Chỉ tiêu chung» opens, by who asks; empty when it has nothing for them.

    The province reads the matrix, its administrator keeps the catalogue, the commune's reviewer settles its
    indicators' links. From the scope the menu already computed: no query of its own.
    """
    scope = scope_for(user)
    if scope.is_province_viewer:
        return reverse("catalogue:matrix")
    if scope.is_admin or scope.admin_province_ids:
        return reverse("catalogue:list")
    if scope.reviewer_commune_ids:
        return reverse("catalogue:links")
    return ""


@register.filter
def figure(cell, entry) -> str:
    """A cell's figure as the page prints it: `81,5%`, `1.139`, `Đạt`; empty when the commune has none."""
    if not cell.reporting:
        return ""
    if cell.value is None:
        return {"achieved": "Đạt", "exceeded": "Vượt", "not_achieved": "Chưa đạt"}.get(cell.state, "")
    return number(cell.value) + ("%" if entry.measure == "percent" else "")


@register.filter
def number(value) -> str:
    """1234.5 → `1.234,5`; whole numbers without decimals."""
    if value is None:
        return "—"
    text = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


# state -> (symbol, label): the symbol carries the verdict in black-and-white print, the colour on screen.
MARKS = {
    "exceeded": ("▲", "Vượt"),
    "achieved": ("✓", "Đạt"),
    "not_achieved": ("✗", "Chưa đạt"),
    "no_data": ("–", "Chưa có số liệu duyệt"),
}


@register.simple_tag
def matrix_cells(row, entries) -> str:
    """A commune's cells, one tag for the row: a province's table holds thousands of cells."""
    cells = []
    for entry, cell in zip(entries, row.cells, strict=True):
        symbol, label = MARKS.get(cell.state, MARKS["no_data"])
        text = figure(cell, entry)
        inner = format_html(
            '<span class="mark" aria-hidden="true">{}</span> {}<span class="visually-hidden"> ({})</span>',
            symbol,
            text,
            label,
        )
        if cell.indicator_id:
            url = reverse("tracking:indicator_detail", args=[cell.indicator_id])
            inner = format_html('<a href="{}">{}</a>', url, inner)
        cells.append(
            format_html(
                '<td class="num cell cell-{}" data-label="{}" title="{}">{}</td>',
                cell.state,
                entry.code,
                label,
                inner,
            )
        )
    return mark_safe("".join(cells))  # noqa: S308 - every part went through format_html above
