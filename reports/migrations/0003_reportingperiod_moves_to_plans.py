"""Reports point at plans.ReportingPeriod, and reports no longer owns the model (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0003_period_from_plans'),
        ('indicators', '0003_period_from_plans'),
        ('plans', '0002_reportingperiod_moves_from_reports'),
        ('reports', '0002_report'),
    ]

    operations = [
        # The table stays where it is: only Django's record of which app owns the model changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalreport',
                    name='period',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.reportingperiod', verbose_name='kỳ báo cáo'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='plans.reportingperiod', verbose_name='kỳ báo cáo'),
                ),
                migrations.DeleteModel(
                    name='ReportingPeriod',
                ),
            ],
        ),
    ]
