"""Limits every upload shares (evidence files and plan workbooks)."""

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB: what the forms and their messages promise
