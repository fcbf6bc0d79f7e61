# KindRequirement now belongs to activities (activities 0004); its table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('equipment', '0005_maintenance_attachment_names'),
        ('activities', '0004_kindrequirement'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='KindRequirement')],
            database_operations=[],
        ),
    ]
