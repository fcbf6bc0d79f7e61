from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndicatorGroup(models.TextChoices):
    PROGRAMME = "programme", _("Programme indicators")
    ACTIVITIES = "activities", _("Activities")
    EQUIPMENT = "equipment", pgettext_lazy("reports group", "Equipment")
    OPERATIONS = "operations", _("Operations")


class IndicatorUnit(models.TextChoices):
    COUNT = "count", pgettext_lazy("unit", "number")
    PEOPLE = "people", pgettext_lazy("unit", "people")
    HOURS = "hours", pgettext_lazy("unit", "hours")
    DAYS = "days", pgettext_lazy("unit", "days")
    KM = "km", pgettext_lazy("unit", "km")
    KG_CO2 = "kg_co2", pgettext_lazy("unit", "kg CO₂")


class PeriodKind(models.TextChoices):
    YEAR = "year", pgettext_lazy("period", "Year")
    QUARTER = "quarter", pgettext_lazy("period", "Quarter")
    MONTH = "month", pgettext_lazy("period", "Month")
    CUSTOM = "custom", pgettext_lazy("period", "Custom range")
