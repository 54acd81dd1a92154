"""Limits every upload shares (evidence files and plan workbooks)."""

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB: what the forms and their messages promise

# An Office file is a zip: what it may hold unpacked, checked before anything parses it (common.zipcheck).
MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all parts together
MAX_PART_BYTES = 20 * 1024 * 1024  # one part: a plan's biggest sheet is about 3 MB
# Office XML compresses about 5 to 20 times; a zip bomb a thousand times. Parts under a megabyte are not
# judged by their ratio: a tiny repetitive part can compress very well and is harmless.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024
# Reading one upload (checks and parsing) stops after this long, whatever the file holds.
MAX_READ_SECONDS = 10
