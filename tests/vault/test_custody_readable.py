"""The chain of custody reads as words in the reader's language, and printed in local time."""

from __future__ import annotations

import datetime
from unittest import mock

import pypdfium2 as pdfium
from django.utils import translation

from scape.vault.actions.ingest import do_ingest
from scape.vault.custody import custody_csv, custody_pdf


def _text(data: bytes) -> str:
    pages = (page.get_textpage().get_text_range() for page in pdfium.PdfDocument(data))
    return " ".join(" ".join(pages).split())  # table cells wrap: compare words


def test_custody_page_and_pdf_say_what_happened_and_when_locally(
    clip, lt_org, custodian, logged_in
):
    at = datetime.datetime(2026, 5, 1, 17, 0, tzinfo=datetime.UTC)  # 20:00 in Vilnius
    with mock.patch("scape.core.audit.timezone.now", return_value=at):
        item = do_ingest(
            clip.open("rb"), name=clip.name, organization=lt_org, actor=custodian.user
        ).item
    with translation.override("lt"):
        pdf = _text(custody_pdf(item))
        said = translation.gettext("Ingested (stored and hashed)")
    assert said != "Ingested (stored and hashed)"  # there is a Lithuanian label
    assert said in pdf and "vault.ingested" in pdf  # the label, and the code for specialists
    assert "2026-05-01 20:00:00 EEST" in pdf and "Europe/Vilnius" in pdf
    assert "17:00:00" not in pdf
    # The CSV stays data: codes, UTC times with their offset.
    assert "vault.ingested" in custody_csv(item).decode()
    client = logged_in(custodian)
    client.cookies["scape_language"] = "lt"
    page = client.get(item.get_absolute_url(), headers={"accept-language": "lt"}).content.decode()
    assert said in page
