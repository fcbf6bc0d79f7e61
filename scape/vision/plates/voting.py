"""Group the reads of one vehicle across frames and vote them into one read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from scape.vision.plates.grammar import parse_plate

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class PlateRead:
    """One plate read: in one frame, or voted over a vehicle's frames."""

    plate: str
    text: str
    country: str | None
    kind: str
    confidence: float
    box: Box
    frame: int = 0
    time_s: float = 0.0
    char_confidences: tuple[float, ...] = ()
    crop: np.ndarray | None = field(default=None, repr=False, compare=False)
    votes: int = 1

    def as_dict(self) -> dict[str, object]:
        """Return the read as plain JSON-ready data (without the crop)."""
        return {
            "plate": self.plate,
            "text": self.text,
            "country": self.country,
            "kind": self.kind,
            "confidence": round(self.confidence, 4),
            "box": list(self.box),
            "frame": self.frame,
            "time_s": round(self.time_s, 3),
            "votes": self.votes,
        }


def edit_distance(a: str, b: str) -> int:
    """Return the Levenshtein distance between two strings."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def vote(reads: Sequence[PlateRead]) -> PlateRead:
    """Vote several reads of one plate into one, character by character.

    The length most supported (by summed confidence) wins; among reads of that
    length each position takes the character with the highest summed character
    confidence. The voted string is checked against the grammars again; if it
    fits none and no read gave it, the single most supported whole read is used
    instead. The grammar never changes the voted characters. The
    result keeps the crop, box and frame of the most confident read that agrees.
    """
    if not reads:
        raise ValueError("nothing to vote on")
    by_len: dict[int, float] = defaultdict(float)
    for r in reads:
        by_len[len(r.plate)] += r.confidence
    length = max(by_len, key=lambda n: by_len[n])
    same = [r for r in reads if len(r.plate) == length]
    chars = []
    agreement = []
    for i in range(length):
        tally: dict[str, float] = defaultdict(float)
        for r in same:
            c = r.char_confidences[i] if i < len(r.char_confidences) else r.confidence
            tally[r.plate[i]] += max(c, 1e-3)
        ch = max(tally, key=lambda k: tally[k])
        chars.append(ch)
        agreement.append(tally[ch] / sum(tally.values()))
    voted = "".join(chars)
    hints = [r.country for r in reads if r.country is not None]
    hint = max(set(hints), key=hints.count) if hints else None
    parsed = parse_plate(voted, hint=hint)
    # A character-wise vote that no single read gave and that fits no format is
    # a blend, not a read: the most supported whole read stands instead.
    if voted not in {r.plate for r in reads} and (parsed is None or not parsed.fits):
        whole: dict[str, float] = defaultdict(float)
        for r in reads:
            whole[r.plate] += r.confidence
        voted = max(whole, key=lambda k: whole[k])
        parsed = parse_plate(voted, hint=hint)
    agreeing = [r for r in reads if r.plate == voted] or list(same)
    best = max(agreeing, key=lambda r: (r.confidence, r.box[3] - r.box[1]))
    support = sum(r.confidence for r in reads if r.plate == voted) / sum(
        r.confidence for r in reads
    )
    mean_conf = float(np.mean([r.confidence for r in agreeing]))
    confidence = mean_conf * max(support, min(agreement) if agreement else 0.0)
    # The country is the voted plate's own: a plate that fits no format has none,
    # whatever the country of the other reads.
    country = parsed.country if parsed is not None else None
    text = best.text if best.plate == voted else (parsed.text if parsed else voted)
    kind = parsed.kind if parsed is not None else best.kind
    return PlateRead(
        plate=voted,
        text=text,
        country=country,
        kind=kind,
        confidence=confidence,
        box=best.box,
        frame=best.frame,
        time_s=best.time_s,
        char_confidences=tuple(agreement),
        crop=best.crop,
        votes=len(reads),
    )


@dataclass
class Track:
    """A plate followed across frames, with the reads taken of it."""

    track_id: int
    box: Box
    first_frame: int
    last_frame: int
    velocity: tuple[float, float] = (0.0, 0.0)
    last_ocr_frame: int = -(10**9)
    reads: list[PlateRead] = field(default_factory=list)

    def predicted(self, frame: int) -> Box:
        """Return where the box should be at ``frame`` at constant velocity."""
        dt = frame - self.last_frame
        dx, dy = self.velocity[0] * dt, self.velocity[1] * dt
        x1, y1, x2, y2 = self.box
        return (int(x1 + dx), int(y1 + dy), int(x2 + dx), int(y2 + dy))

    def update(self, box: Box, frame: int) -> None:
        """Move the track to ``box`` seen at ``frame``."""
        dt = max(1, frame - self.last_frame)
        cx0, cy0 = (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2
        cx1, cy1 = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        vx, vy = (cx1 - cx0) / dt, (cy1 - cy0) / dt
        # Smooth the velocity: detections jitter by a few pixels from frame to frame.
        self.velocity = (0.5 * self.velocity[0] + 0.5 * vx, 0.5 * self.velocity[1] + 0.5 * vy)
        self.box = box
        self.last_frame = frame

    def settled(self, n: int, min_conf: float) -> bool:
        """Return whether ``n`` confident reads already agree on one plate."""
        strong = [r.plate for r in self.reads if r.confidence >= min_conf]
        return any(strong.count(p) >= n for p in set(strong))

    def similar(self, plate: str, max_distance: int) -> bool:
        """Return whether any read of this track is within ``max_distance`` of ``plate``."""
        return any(edit_distance(r.plate, plate) <= max_distance for r in self.reads)
