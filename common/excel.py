"""What every workbook the app writes needs: its MIME type and cells that Excel never reads as a formula."""

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_START = ("=", "+", "-", "@")  # what Excel reads as the start of a formula


def escape_formula(value):
    """Make a cell that would start a formula in Excel read as text (django-import-export strips only `=`)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
