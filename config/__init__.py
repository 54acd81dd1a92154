# Loaded with Django, so `shared_task` jobs queued by web processes use this app's broker and settings.
from config.celery import app as celery_app

__all__ = ["celery_app"]
