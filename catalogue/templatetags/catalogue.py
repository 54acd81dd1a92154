from django import template
from django.urls import reverse
from django.utils.html import escape
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


# An id no indicator has, reversed once and swapped for each cell's: 3,900 reverse() calls cost a third of
# a 130 × 30 matrix's render.
_ANY_ID = 987654321


@register.simple_tag
def matrix_cells(row, entries) -> str:
    """A commune's cells, one tag for the row: a province's table holds thousands of cells, so the link is
    reversed once and each cell is joined from parts escaped here (the constant marks are safe text)."""
    link = reverse("tracking:indicator_detail", args=[_ANY_ID])
    placeholder = str(_ANY_ID)
    cells = []
    for entry, cell in zip(entries, row.cells, strict=True):
        state = cell.state if cell.state in MARKS else "no_data"
        symbol, label = MARKS[state]
        inner = (
            f'<span class="mark" aria-hidden="true">{symbol}</span> {escape(figure(cell, entry))}'
            f'<span class="visually-hidden"> ({label})</span>'
        )
        if cell.indicator_id:
            inner = f'<a href="{link.replace(placeholder, str(int(cell.indicator_id)))}">{inner}</a>'
        code = escape(entry.code)
        cells.append(f'<td class="num cell cell-{state}" data-label="{code}" title="{label}">{inner}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - user text (figure, code) escaped above, the rest constant
