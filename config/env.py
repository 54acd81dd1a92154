"""Small typed readers for settings that come from the environment."""

import os


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def media_storage() -> dict:
    """The STORAGES entry for uploaded and generated files: an S3-compatible bucket when S3_BUCKET is set.

    Any S3 API works (MinIO, Ceph, a cloud's): S3_ENDPOINT_URL names it, empty for Amazon's own. Files are
    private (no ACL, signed URLs) and never overwritten: a second file of the same name gets a new name, as on
    the local disk.
    """
    bucket = env_str("S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "region_name": env_str("S3_REGION") or None,
            # Most self-hosted stores answer only path-style requests (endpoint/bucket/key).
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "location": env_str("S3_PREFIX"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
