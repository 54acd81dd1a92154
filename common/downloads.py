"""A stored file sent to someone a view has already checked: by the app, or by nginx when it may.

With MEDIA_X_ACCEL_PREFIX set, the answer is an empty response whose X-Accel-Redirect header tells nginx which
file to send, so no gunicorn worker is held while a 10 MB file trickles out: under the prefix, the file's
name on the local disk (nginx maps the prefix onto MEDIA_ROOT), or for an S3 store the path and signature of
the file's signed URL (nginx proxies the prefix to the store's endpoint; path-style addressing, as
S3_ADDRESSING_STYLE=path gives). Without it (development) the app streams the file itself.
"""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def file_download(stored: FieldFile, *, filename: str, content_type: str) -> HttpResponse:
    """`stored` as an attachment named `filename`; the caller checked that the user may read it."""
    prefix = settings.MEDIA_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = "/" + prefix.strip("/") + _internal_path(stored)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _internal_path(stored: FieldFile) -> str:
    if isinstance(stored.storage, FileSystemStorage):
        return "/" + quote(stored.name)
    # A signed URL is valid for a while, and nginx fetches it at once: its path and query are all it needs.
    url = urlsplit(stored.storage.url(stored.name))
    return url.path + (f"?{url.query}" if url.query else "")
