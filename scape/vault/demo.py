"""Demo evidence: categories, retention policies and a case with two generated clips."""

from __future__ import annotations

import io
import tempfile
from fractions import Fraction
from pathlib import Path

from django.db import transaction

from scape.core.context import actor_context
from scape.directory.models import Organization, Person
from scape.vault.actions import do_create_case
from scape.vault.actions.ingest import do_ingest
from scape.vault.choices import SourceType
from scape.vault.models import Case, Category, RetentionPolicy

CATEGORIES = [
    ("public-order", "Viešoji tvarka", "Sabiedriskā kārtība", "Public order", 365),
    ("traffic", "Eismo pažeidimas", "Ceļu satiksmes pārkāpums", "Traffic offence", 730),
    ("violence", "Smurtas", "Vardarbība", "Violence", 3650),
]
DEFAULT_KEEP_DAYS = 31  # footage nobody flagged is kept a month


def _clip(path: Path, *, seconds: float, face: bool) -> None:
    """Write a short H.264 clip with sound: a moving marker, and a face if asked."""
    import av
    import numpy as np

    width, height, fps = 640, 360, 15
    portrait = None
    if face:
        from skimage.data import astronaut
        from skimage.transform import resize

        portrait = (resize(astronaut()[0:260, 130:330], (150, 120)) * 255).astype(np.uint8)
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "veryfast", "crf": "28"}
        sound = container.add_stream("aac", rate=16000)
        for i in range(int(seconds * fps)):
            frame = np.full((height, width, 3), (40, 70, 90), dtype=np.uint8)
            x = 40 + (i * 9) % (width - 200)
            frame[250:290, x : x + 80] = (240, 200, 30)
            if portrait is not None:
                fx = min(x + 60, width - 120)
                frame[60:210, fx : fx + 120] = portrait
            for packet in video.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        samples = int(16000 * seconds)
        tone = (0.1 * np.sin(np.arange(samples) * 2 * np.pi * 330 / 16000)).astype(np.float32)
        for start in range(0, samples, 1024):
            chunk = av.AudioFrame.from_ndarray(
                tone[start : start + 1024].reshape(1, -1), format="fltp", layout="mono"
            )
            chunk.sample_rate, chunk.pts, chunk.time_base = 16000, start, Fraction(1, 16000)
            for packet in sound.encode(chunk):
                container.mux(packet)
        for packet in sound.encode():
            container.mux(packet)


@transaction.atomic
def _policies() -> int:
    created = 0
    for org in Organization.objects.all():
        _policy, made = RetentionPolicy.objects.get_or_create(
            organization=org,
            category=None,
            source_type="",
            defaults={"keep_days": DEFAULT_KEEP_DAYS},
        )
        created += made
        for code, lt, lv, en, keep in CATEGORIES:
            category, made = Category.objects.get_or_create(
                organization=org, code=code, defaults={"name_lt": lt, "name_lv": lv, "name_en": en}
            )
            created += made
            _policy, made = RetentionPolicy.objects.get_or_create(
                organization=org, category=category, source_type="", defaults={"keep_days": keep}
            )
            created += made
    return created


def demo_loader() -> tuple[int, list[str]]:
    """Load the vault demo; idempotent."""
    created = _policies()
    org = Organization.objects.filter(code="klaipeda-police").first()
    if org is None or Case.objects.filter(organization=org, reference="KLP-2026-0815").exists():
        return created, []
    officer = Person.objects.filter(user__username="andrius.kairys").first()
    with actor_context(None), tempfile.TemporaryDirectory() as tmp:
        case = do_create_case(
            organization=org,
            reference="KLP-2026-0815",
            title="Pier disturbance, Palanga (joint patrol)",
            actor=None,
        )
        for name, face in (("bodycam-0815-a.mp4", True), ("bodycam-0815-b.mp4", False)):
            path = Path(tmp) / name
            _clip(path, seconds=4, face=face)
            result = do_ingest(
                io.BytesIO(path.read_bytes()),
                name=name,
                organization=org,
                source_type=SourceType.BODY_CAM,
                device_serial="KLP-BC-021",
                officer=officer,
                case=case,
                category=Category.objects.get(organization=org, code="public-order"),
                via="demo",
            )
            created += result.status == "new"
    return created + 1, [
        "",
        "Demo evidence: case KLP-2026-0815 (Klaipėda police) with two body-cam clips.",
    ]
