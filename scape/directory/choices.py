from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Country(models.TextChoices):
    LT = "LT", _("Lithuania")
    LV = "LV", _("Latvia")
    EE = "EE", _("Estonia")
    PL = "PL", _("Poland")
    OTHER = "XX", pgettext_lazy("country", "Other")


class OrganizationKind(models.TextChoices):
    STATE_POLICE = "state_police", _("State police")
    MUNICIPAL_POLICE = "municipal_police", _("Municipal police")
    MUNICIPALITY = "municipality", _("Municipality administration")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSPECIFIED = "unspecified", _("Not specified")


class SpokenLanguage(models.TextChoices):
    LT = "lt", _("Lithuanian")
    LV = "lv", _("Latvian")
    EN = "en", _("English")
    RU = "ru", _("Russian")
    DE = "de", _("German")
    PL = "pl", _("Polish")
