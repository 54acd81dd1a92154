"""common.downloads: the app streams a file itself unless nginx may send it (MEDIA_X_ACCEL_PREFIX)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile

from common.downloads import file_download
from evidence.models import Evidence


def _stored(settings, tmp_path) -> FieldFile:
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("evidence/2026/biên bản.pdf", ContentFile(b"%PDF-1.7 proof"))
    return FieldFile(None, Evidence._meta.get_field("file"), name)


def test_without_a_prefix_the_app_sends_the_bytes(settings, tmp_path):
    settings.MEDIA_X_ACCEL_PREFIX = ""
    response = file_download(
        _stored(settings, tmp_path), filename="biên bản.pdf", content_type="application/pdf"
    )

    assert b"".join(response.streaming_content) == b"%PDF-1.7 proof"
    assert "X-Accel-Redirect" not in response
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_with_a_prefix_nginx_is_told_which_file_and_the_body_is_empty(settings, tmp_path):
    settings.MEDIA_X_ACCEL_PREFIX = "/_media-internal/"
    stored = _stored(settings, tmp_path)

    response = file_download(stored, filename="biên bản.pdf", content_type="application/pdf")

    assert response["X-Accel-Redirect"] == "/_media-internal/evidence/2026/bi%C3%AAn%20b%E1%BA%A3n.pdf"
    assert response.content == b""
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''bi%C3%AAn%20b%E1%BA%A3n.pdf"
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"


class SignedUrlStorage:
    """What django-storages' S3 storage answers for a private file: a signed URL on the store's endpoint."""

    def url(self, name: str) -> str:
        return f"https://s3.example.gov.vn/cds-xa/{name}?X-Amz-Signature=abc&X-Amz-Expires=3600"


def test_with_an_s3_store_nginx_is_told_the_signed_path_to_fetch(settings):
    settings.MEDIA_X_ACCEL_PREFIX = "/_media-internal/"
    stored = FieldFile(None, Evidence._meta.get_field("file"), "reports/7/2026-Q4-v1-0a1b2c3d.pdf")
    stored.storage = SignedUrlStorage()

    response = file_download(stored, filename="bao-cao.pdf", content_type="application/pdf")

    assert response["X-Accel-Redirect"] == (
        "/_media-internal/cds-xa/reports/7/2026-Q4-v1-0a1b2c3d.pdf?X-Amz-Signature=abc&X-Amz-Expires=3600"
    )
    assert response.content == b"" and response["Content-Disposition"] == 'attachment; filename="bao-cao.pdf"'
