"""Certificates: issued on completion, granting competencies; PDF; revoking."""

from __future__ import annotations

import datetime

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from scape.activities.actions import do_issue_certificates, do_revoke_certificate
from scape.activities.choices import ActivityStatus
from scape.activities.models import Certificate, KindRequirement, PersonCompetency
from scape.activities.queries import holds_competency
from scape.equipment.actions import do_check_out, do_create_asset
from scape.equipment.choices import AssetKind

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_it_issues_certificates_to_those_who_attended_enough(
    two_sessions, training, santa, tomas, enrol, attend, rasa, first_aid
):
    enrol(training, santa)
    enrol(training, tomas)
    attend(two_sessions, santa, True, True)  # 6 of 6 hours
    attend(two_sessions, tomas, True, False)  # 3 of 6 hours: under 80 %
    issued = do_issue_certificates(training, actor=rasa.user)
    assert [c.person for c in issued] == [santa]
    certificate = issued[0]
    assert certificate.language == "lv"
    assert certificate.expires_at == timezone.localdate() + datetime.timedelta(days=365)
    assert len(certificate.code) >= 20
    training.refresh_from_db()
    assert training.status == ActivityStatus.COMPLETED
    held = PersonCompetency.objects.get(person=santa)
    assert held.source == certificate.code and held.competency == first_aid
    assert holds_competency(santa, first_aid)
    assert not holds_competency(tomas, first_aid)
    # Issuing again issues nothing twice.
    assert do_issue_certificates(training, actor=rasa.user) == []


def test_it_gives_every_certificate_its_own_unguessable_code(
    two_sessions, training, santa, tomas, enrol, attend, rasa
):
    for person in (santa, tomas):
        enrol(training, person)
        attend(two_sessions, person, True, True)
    codes = [c.code for c in do_issue_certificates(training, actor=rasa.user)]
    assert len(set(codes)) == 2
    assert all(c.replace("-", "").replace("_", "").isalnum() for c in codes)


def test_it_refuses_certificates_without_sessions(training, rasa):
    with pytest.raises(ValidationError, match="sessions"):
        do_issue_certificates(training, actor=rasa.user)


def test_it_revokes_the_certificate_and_its_competency(
    two_sessions, training, santa, enrol, attend, rasa, first_aid
):
    enrol(training, santa)
    attend(two_sessions, santa, True, True)
    (certificate,) = do_issue_certificates(training, actor=rasa.user)
    with pytest.raises(ValidationError):
        do_revoke_certificate(certificate, reason="  ", actor=rasa.user)
    do_revoke_certificate(certificate, reason="Issued by mistake", actor=rasa.user)
    certificate.refresh_from_db()
    assert certificate.state() == "revoked"
    assert not holds_competency(santa, first_aid)


def test_it_opens_the_equipment_gate_with_a_certificates_competency(
    two_sessions, training, santa, enrol, attend, rasa, dace, first_aid
):
    KindRequirement.objects.create(kind=AssetKind.E_BIKE, competency=first_aid)
    bike = do_create_asset(santa.organization, kind=AssetKind.E_BIKE, tag="EB-9", actor=dace.user)
    with pytest.raises(ValidationError, match="First aid"):
        do_check_out(bike, santa, None, actor=dace.user)
    enrol(training, santa)
    attend(two_sessions, santa, True, True)
    do_issue_certificates(training, actor=rasa.user)
    assert do_check_out(bike, santa, None, actor=dace.user).person == santa


def test_it_makes_the_pdf_in_the_participants_language_with_code_and_link(
    two_sessions, training, santa, enrol, attend, rasa, logged_in, client, settings
):
    settings.SCAPE_SITE_URL = "https://scape.example.org"
    enrol(training, santa)
    attend(two_sessions, santa, True, True)
    (certificate,) = do_issue_certificates(training, actor=rasa.user)
    logged_in(santa)
    response = client.get(f"/activities/certificates/{certificate.pk}.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Santa Ozoliņa" in text
    assert "Pirmās palīdzības mācības" in text  # the Latvian title for a Latvian participant
    assert certificate.code in text
    assert f"https://scape.example.org/verify/{certificate.code}" in text
    document = pdfium.PdfDocument(response.content)
    assert len(document) == 1


def test_it_hides_a_certificate_pdf_from_other_people(
    two_sessions, training, santa, tomas, enrol, attend, rasa, logged_in, client
):
    enrol(training, santa)
    attend(two_sessions, santa, True, True)
    (certificate,) = do_issue_certificates(training, actor=rasa.user)
    logged_in(tomas)
    assert client.get(f"/activities/certificates/{certificate.pk}.pdf").status_code == 404


def test_it_issues_and_revokes_through_the_page(
    two_sessions, training, santa, enrol, attend, rasa, logged_in, client
):
    enrol(training, santa)
    attend(two_sessions, santa, True, True)
    logged_in(rasa)
    response = client.post(f"/activities/{training.pk}/certificates/", follow=True)
    assert "Certificates issued: 1." in response.content.decode()
    certificate = Certificate.objects.get()
    response = client.post(
        f"/activities/certificates/{certificate.pk}/revoke/", {"reason": "Fraud"}, follow=True
    )
    assert "Certificate revoked." in response.content.decode()


def test_it_prints_a_qr_code_that_opens_the_verification_page(
    two_sessions, training, santa, enrol, attend, rasa, settings
):
    import cv2
    import numpy

    from scape.activities.pdfs import certificate_pdf

    settings.SCAPE_SITE_URL = "https://scape.example.org"
    enrol(training, santa)
    attend(two_sessions, santa, True, True)
    (certificate,) = do_issue_certificates(training, actor=rasa.user)
    page = pdfium.PdfDocument(certificate_pdf(certificate))[0]
    image = page.render(scale=3).to_pil().convert("L")
    # OpenCV's classic QR detector misses about one sound code in three hundred
    # (it failed CI on a random certificate code); the ArUco-based one reads them all.
    decoded, _points, _ = cv2.QRCodeDetectorAruco().detectAndDecode(numpy.array(image))
    assert decoded == f"https://scape.example.org/verify/{certificate.code}"
