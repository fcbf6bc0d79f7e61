# Moves KindRequirement from equipment to activities in Django's state only:
# the table (equipment_kindrequirement) and its rows stay where they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0003_activities'),
        ('equipment', '0005_maintenance_attachment_names'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='KindRequirement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('body_camera', 'Body camera'), ('traffic_camera', 'Dash or traffic camera'), ('drone', 'Drone'), ('radio', 'Radio'), ('bicycle', 'Bicycle'), ('tricycle', 'Tricycle'), ('e_bike', 'Electric bicycle'), ('electric_car', 'Electric car'), ('electric_minibus', 'Electric minibus'), ('fuel_vehicle', 'Other vehicle (fuel)'), ('detention', 'Detention and protective equipment'), ('informing', 'Informing equipment'), ('other', 'Other')], max_length=24, unique=True, verbose_name='kind')),
                        ('competency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='activities.competency')),
                    ],
                    options={
                        'verbose_name': 'competency required for a kind',
                        'verbose_name_plural': 'competencies required for kinds',
                        'db_table': 'equipment_kindrequirement',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
