"""ReportingPeriod moves from reports to plans (plans, indicators and tasks need it; reports reads them)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_report'),
        ('plans', '0001_initial'),
        ('units', '0002_commune_data_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table stays where it is: only Django's record of which app owns the model changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReportingPeriod',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('month', 'Tháng'), ('quarter', 'Quý'), ('half_year', '6 tháng'), ('year', 'Năm')], max_length=10, verbose_name='loại kỳ')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                        ('number', models.PositiveSmallIntegerField(default=1, help_text='Tháng 1-12, quý 1-4, nửa năm 1-2.', verbose_name='số kỳ')),
                        ('start', models.DateField(verbose_name='từ ngày')),
                        ('end', models.DateField(verbose_name='đến ngày')),
                        ('due_date', models.DateField(verbose_name='hạn gửi báo cáo')),
                        ('locked_at', models.DateTimeField(blank=True, null=True, verbose_name='khóa lúc')),
                        ('commune', models.ForeignKey(blank=True, help_text='Để trống nếu kỳ áp dụng cho toàn tỉnh.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reporting_periods', to='units.commune', verbose_name='xã/phường')),
                        ('locked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người khóa')),
                        ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reporting_periods', to='units.province', verbose_name='tỉnh')),
                    ],
                    options={
                        'verbose_name': 'kỳ báo cáo',
                        'verbose_name_plural': 'kỳ báo cáo',
                        'db_table': 'reports_reportingperiod',
                        'ordering': ['-start', 'kind'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('commune__isnull', False)), fields=('commune', 'kind', 'year', 'number'), name='period_unique_per_commune'), models.UniqueConstraint(condition=models.Q(('commune__isnull', True)), fields=('province', 'kind', 'year', 'number'), name='period_unique_per_province'), models.CheckConstraint(condition=models.Q(('end__gte', models.F('start'))), name='period_ordered'), models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__lte', 12)), name='period_number_range')],
                    },
                ),
            ],
        ),
    ]
