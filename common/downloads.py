"""A stored file sent to someone a view has already checked: by the app, or by nginx when it may.

With MEDIA_X_ACCEL_PREFIX set (deploy/nginx.conf maps that internal prefix onto MEDIA_ROOT) and files on the
local disk, the answer is an empty response whose X-Accel-Redirect header tells nginx which file to send, so
no gunicorn worker is held while a 10 MB file trickles out. Otherwise (development, an S3 store) the app
streams the file itself.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def file_download(stored: FieldFile, *, filename: str, content_type: str) -> HttpResponse:
    """`stored` as an attachment named `filename`; the caller checked that the user may read it."""
    prefix = settings.MEDIA_X_ACCEL_PREFIX
    if prefix and isinstance(stored.storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = "/" + prefix.strip("/") + "/" + quote(stored.name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response
