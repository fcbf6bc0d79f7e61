"""Stretches of sound (a name said aloud) taken out of a redacted copy: silenced or bleeped,
the rest of the sound and the picture kept, every change in the custody history."""

from __future__ import annotations

import av
import numpy as np
import pytest
from django.urls import reverse

from scape.core.models import AuditEvent
from scape.vault import storage
from scape.vault.actions.ingest import do_ingest
from scape.vault.models import RedactionSession
from tests.vault.conftest import make_clip
from tests.vault.test_redaction import _render, _tasks_inline, start  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def talking_item(tmp_path, lt_org, custodian):
    clip = make_clip(tmp_path / "bodycam-0044.mp4", seconds=2.0, fps=10, audio=True)
    with clip.open("rb") as source:
        return do_ingest(source, name=clip.name, organization=lt_org, actor=custodian.user).item


def _sound(key: str) -> tuple[np.ndarray, int]:
    with storage.open_stored(key) as fh, av.open(fh) as container:
        rate = container.streams.audio[0].codec_context.sample_rate
        return np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)]), rate


def _level(samples: np.ndarray, rate: int, first: float, last: float) -> float:
    part = samples[int(first * rate) : int(last * rate)]
    return float(np.sqrt(np.mean(part**2)))


def _peak_hz(samples: np.ndarray, rate: int, first: float, last: float) -> float:
    part = samples[int(first * rate) : int(last * rate)]
    spectrum = np.abs(np.fft.rfft(part))
    return float(np.fft.rfftfreq(len(part), 1 / rate)[spectrum.argmax()])


@pytest.mark.parametrize("sound", ["mute", "bleep"])
def test_a_stretch_of_sound_is_taken_out_of_the_copy_and_nothing_else(
    talking_item,
    start,  # noqa: F811 (the fixture)
    logged_in,
    custodian,
    django_capture_on_commit_callbacks,
    sound,
):
    session = start(talking_item)
    client = logged_in(custodian)
    url = reverse("vault:redaction_sound", args=[session.pk])
    assert client.post(url, {"start": "0:00.6", "end": "1,2"}).status_code == 302
    client.post(url, {"start": "1.8", "end": "1.5"})  # end before start: refused
    session.refresh_from_db()
    assert session.sound_ranges == [[0.6, 1.2]]
    client.post(session.get_absolute_url(), {"reason": "Disclosure to the court 14"})
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'class="sound-cut"' in page and "0.6\u20131.2 s" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("vault:redaction_render", args=[session.pk]), {"mode": "solid", "sound": sound}
        )
    session.refresh_from_db()
    assert session.status == RedactionSession.Status.DONE, session.message
    samples, rate = _sound(session.result.storage_key)
    before, after = _level(samples, rate, 0.1, 0.5), _level(samples, rate, 1.3, 1.9)
    assert before > 0.05 and after > 0.05  # the tone around it is kept
    taken = _level(samples, rate, 0.65, 1.15)
    if sound == "mute":
        assert taken < 0.002
    else:
        assert abs(_peak_hz(samples, rate, 0.65, 1.15) - 1000) < 20  # a bleep, not the voice
        assert abs(_peak_hz(samples, rate, 0.1, 0.5) - 440) < 20
    original, _rate = _sound(talking_item.blob.storage_key)
    assert _level(original, rate, 0.65, 1.15) > 0.05  # the original is untouched
    assert session.result.details["sound_ranges"] == [[0.6, 1.2]]
    changed = AuditEvent.objects.filter(action="vault.redaction_sound_changed")
    assert changed.count() == 1 and changed.get().details["added"] == [0.6, 1.2]
    made = AuditEvent.objects.get(action="vault.redacted_copy_made")
    assert made.details["sound"] == sound and made.details["sound_ranges"] == [[0.6, 1.2]]


def test_a_stretch_is_put_back_and_only_its_editor_may(
    talking_item,
    start,  # noqa: F811 (the fixture)
    logged_in,
    custodian,
    officer,
):
    session = start(talking_item)
    url = reverse("vault:redaction_sound", args=[session.pk])
    logged_in(officer).post(url, {"start": "0.2", "end": "0.4"})
    session.refresh_from_db()
    assert session.sound_ranges == []  # an officer may not change a redaction
    client = logged_in(custodian)
    client.post(url, {"start": "0.2", "end": "0.4"})
    client.post(url, {"remove": "0"})
    session.refresh_from_db()
    assert session.sound_ranges == []
    assert AuditEvent.objects.filter(action="vault.redaction_sound_changed").count() == 2
