"""`python manage.py send_reminders`: the daily reminder emails (run it once a day from cron)."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from alerts.digest import compose
from alerts.models import ReminderLog
from alerts.selectors import reminder_recipients
from alerts.services import reminders_send

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_day(text: str) -> dt.date:
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), form).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    raise CommandError(
        f"Ngày không hợp lệ: {text!r}. Ghi theo dạng dd/mm/yyyy (ví dụ 05/03/2026) hoặc 2026-03-05."
    )


class Command(BaseCommand):
    help = "Gửi thư nhắc việc hằng ngày: việc sắp đến hạn, quá hạn, bị trả lại; hàng chờ thẩm định."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="ngày nhắc (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định hôm nay")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ in ai sẽ nhận thư gì, không gửi, không ghi nhật ký"
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        today = parse_day(date) if date else timezone.localdate()
        if dry_run:
            self._preview(today, options["verbosity"])
            return
        summary = reminders_send(today=today, base_url=settings.SITE_URL)
        self.stdout.write(
            f"Ngày {today:%d/%m/%Y}: đã gửi {len(summary.sent)} thư; "
            f"{len(summary.already_sent)} người đã nhận thư hôm nay; {len(summary.failed)} thư lỗi."
        )
        for username in summary.sent:
            self.stdout.write(f"  đã gửi: {username}")
        for username in summary.failed:
            self.stderr.write(f"  lỗi khi gửi: {username}")
        if summary.failed:
            raise CommandError(f"{len(summary.failed)} thư không gửi được; chạy lại lệnh để gửi lại.")

    def _preview(self, today: dt.date, verbosity: int) -> None:
        logged = set(ReminderLog.objects.filter(day=today).values_list("user_id", flat=True))
        recipients = reminder_recipients(today)
        self.stdout.write(
            f"Ngày {today:%d/%m/%Y} (chạy thử, không gửi): {len(recipients)} người có việc cần nhắc."
        )
        for recipient in recipients:
            user = recipient.user
            note = " (đã nhận thư hôm nay, sẽ không gửi lại)" if user.pk in logged else ""
            digest = compose(user, recipient.alerts, base_url=settings.SITE_URL)
            self.stdout.write(f"- {user.username} <{user.email}>{note}: {digest.subject}")
            if verbosity >= 2:
                self.stdout.write(digest.body)
