"""Typed configuration of the plate reader."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class DetectConfig(BaseModel):
    """How plate candidates are found, before any OCR."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_plate_height: int = Field(
        default=14, ge=8, le=200, description="Smallest plate height to look for, in source pixels."
    )
    max_plate_height: int = Field(
        default=160,
        ge=16,
        le=1000,
        description="Largest plate height to look for, in source pixels.",
    )
    min_aspect: float = Field(
        default=2.0,
        ge=1.0,
        le=6.0,
        description="Smallest width/height of a one-line plate candidate.",
    )
    max_aspect: float = Field(
        default=8.0,
        ge=3.0,
        le=15.0,
        description="Largest width/height of a one-line plate candidate.",
    )
    edge_threshold: int = Field(
        default=60,
        ge=10,
        le=255,
        description="Horizontal gradient (0-255) above which a pixel counts as character edge.",
    )
    max_candidates: int = Field(
        default=12, ge=1, le=200, description="Most candidates kept per frame, best scored first."
    )
    require_outline: bool = Field(
        default=True,
        description=(
            "Read only candidates whose light plate outline was found around the text "
            "(faster, but misses small plates whose outline is lost in blur)."
        ),
    )
    min_score: float = Field(
        default=0.25,
        ge=0.0,
        le=1.0,
        description="Plate-likeness below which a candidate is dropped.",
    )


class ProposeConfig(BaseModel):
    """Where the learned text detector looks, and at what resolution."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    still_side: int = Field(
        default=640,
        ge=320,
        le=4096,
        description=(
            "Longer side, in pixels, a still image (or its road zone) is scaled down to "
            "for the text detector; smaller images are not scaled up."
        ),
    )
    coarse_box_threshold: float = Field(
        default=0.2,
        gt=0.0,
        lt=1.0,
        description="Mean text probability a line needs in the coarse pass over a still.",
    )
    refine_below: int = Field(
        default=400,
        ge=0,
        le=400,
        description=(
            "Lines of a still lower than this (frame pixels) in the coarse pass are "
            "detected again at full resolution around them."
        ),
    )
    video_scale: float = Field(
        default=0.4,
        gt=0.1,
        le=1.0,
        description="Scale of a video frame's moving regions for the text detector.",
    )
    detect_every: int = Field(
        default=3,
        ge=1,
        le=25,
        description="Run the text detector on every N-th video frame; tracks bridge the rest.",
    )
    threshold: float = Field(
        default=0.3, gt=0.0, lt=1.0, description="Text probability a pixel needs (DB map)."
    )
    box_threshold: float = Field(
        default=0.5, gt=0.0, lt=1.0, description="Mean text probability a line needs."
    )
    min_text_height: int = Field(
        default=8, ge=4, le=200, description="Smallest character height looked for, in pixels."
    )
    max_text_height: int = Field(
        default=240, ge=16, le=2000, description="Largest character height looked for, in pixels."
    )


class MotionConfig(BaseModel):
    """How moving regions of a video are found (only there are plates looked for)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scale: float = Field(
        default=0.125,
        gt=0.03,
        le=1.0,
        description="Resolution of the motion mask relative to the frame.",
    )
    threshold: int = Field(
        default=14, ge=1, le=255, description="Grey-level change that counts as motion."
    )
    min_area_fraction: float = Field(
        default=0.0005,
        ge=0.0,
        le=0.5,
        description="Smallest moving blob, as a fraction of the frame.",
    )
    full_scan_every: int = Field(
        default=0,
        ge=0,
        le=10000,
        description="Also scan the whole frame every N frames for parked vehicles; 0 never.",
    )


class TrackConfig(BaseModel):
    """How reads of one vehicle across frames are grouped and voted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_iou: float = Field(
        default=0.05, ge=0.0, le=1.0, description="Box overlap that links a candidate to a track."
    )
    max_gap_frames: int = Field(
        default=12, ge=1, le=1000, description="Frames a track may go unseen before it is closed."
    )
    ocr_every: int = Field(
        default=3, ge=1, le=100, description="OCR a tracked plate at most once every N frames."
    )
    max_reads: int = Field(
        default=5, ge=1, le=100, description="Stop reading a track after this many usable reads."
    )
    settle_reads: int = Field(
        default=2,
        ge=1,
        le=100,
        description="Stop reading once this many reads agree with high confidence.",
    )
    settle_confidence: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description="Confidence a read needs to count towards settling.",
    )
    min_votes: int = Field(
        default=1, ge=1, le=100, description="Reads a track needs before it is reported."
    )
    merge_distance: int = Field(
        default=1,
        ge=0,
        le=3,
        description="Tracks whose plates differ by at most this many characters merge.",
    )
    merge_window_frames: int = Field(
        default=50,
        ge=0,
        le=10000,
        description="How far apart two tracks of one vehicle may be, in frames.",
    )


class ReaderConfig(BaseModel):
    """The whole plate reader: detection, OCR, motion and tracking."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    detect: DetectConfig = Field(
        default_factory=DetectConfig,
        description="Classic plate-box finder (used by redaction, which reads no text).",
    )
    propose: ProposeConfig = Field(
        default_factory=ProposeConfig, description="Learned text-line proposals."
    )
    motion: MotionConfig = Field(default_factory=MotionConfig, description="Motion gating.")
    track: TrackConfig = Field(default_factory=TrackConfig, description="Tracking and voting.")
    zone: tuple[tuple[int, int], ...] | None = Field(
        default=None, description="Road zone polygon in frame pixels; plates outside are ignored."
    )
    min_confidence: float = Field(
        default=0.5, ge=0.0, le=1.0, description="OCR confidence below which a read is discarded."
    )
    unknown_min_confidence: float = Field(
        default=0.75,
        ge=0.0,
        le=1.0,
        description=(
            "Confidence a read that fits no LT/LV format needs (it is kept as read, "
            "with no country); a band seen lowers it to min_confidence."
        ),
    )
    ocr_threads: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Threads of each OCR engine (one engine per thread); 0 lets onnxruntime pick.",
    )
    country_hint: str | None = Field(
        default=None,
        description="Country of the camera (LT or LV), used when the band is unreadable.",
    )

    @field_validator("zone")
    @classmethod
    def _zone_is_polygon(
        cls, value: tuple[tuple[int, int], ...] | None
    ) -> tuple[tuple[int, int], ...] | None:
        if value is not None and len(value) < 3:
            raise ValueError("a zone needs at least three points")
        return value

    @field_validator("country_hint")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is not None and value not in ("LT", "LV"):
            raise ValueError("country_hint must be LT or LV")
        return value
