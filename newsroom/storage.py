"""Object storage for uploads and renditions: S3-compatible, through django-storages.

settings.STORAGES["default"] comes from s3_storage_from_env() when
AWS_STORAGE_BUCKET_NAME is set; otherwise uploads are local files in MEDIA_ROOT.
Works with AWS S3 and S3-compatible services (MinIO, Ceph, R2, moto) through
AWS_S3_ENDPOINT_URL.
"""


def _bool(value, default):
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def s3_storage_from_env(environ) -> dict | None:
    """The STORAGES["default"] entry for the S3 backend, or None without a bucket."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return None
    options = {
        "bucket_name": bucket,
        "region_name": environ.get("AWS_S3_REGION_NAME") or None,
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
        "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
        # Where readers fetch files: a CDN or the bucket's public host (path allowed).
        "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        "url_protocol": environ.get("AWS_S3_URL_PROTOCOL", "https:"),
        "location": environ.get("AWS_LOCATION", ""),
        "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        # Images are public and pages are cached: plain URLs, not expiring signed ones.
        "querystring_auth": _bool(environ.get("AWS_QUERYSTRING_AUTH"), False),
        # Two uploads named photo.jpg must not overwrite each other (as on local disk).
        "file_overwrite": False,
        "default_acl": environ.get("AWS_DEFAULT_ACL") or None,
        "object_parameters": {"CacheControl": "public, max-age=86400"},
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {key: value for key, value in options.items() if value is not None},
    }
