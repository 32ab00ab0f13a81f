import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import portal.fields


class Migration(migrations.Migration):
    initial = True

    # Only the data subjects are needed, which the portal's first migration creates.
    dependencies = [
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="LoyaltyMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "customer_number",
                    models.CharField(
                        blank=True, db_index=True, max_length=20, verbose_name="customer number"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="added to the register"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last updated")),
                (
                    "restricted_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="processing restricted since"
                    ),
                ),
                (
                    "email",
                    portal.fields.NormalizedEmailField(
                        db_index=True, max_length=254, verbose_name="email"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name on the card")),
                (
                    "card_number",
                    models.CharField(max_length=16, unique=True, verbose_name="card number"),
                ),
                (
                    "points",
                    models.PositiveIntegerField(default=0, verbose_name="points balance"),
                ),
                (
                    "subject",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="%(class)s_records",
                        to="portal.datasubject",
                        verbose_name="data subject",
                    ),
                ),
            ],
            options={
                "verbose_name": "loyalty-card member",
                "verbose_name_plural": "loyalty-card members",
                "ordering": ["pk"],
            },
        ),
    ]
