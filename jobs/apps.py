from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Tác vụ nền"

    def ready(self) -> None:
        # Registered in every process, not only in the worker (Celery's autodiscovery waits for a worker to
        # start): a web process queues jobs by name (reports.services), and finds them here.
        from jobs import tasks  # noqa: F401
