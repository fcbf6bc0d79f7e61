"""The redacted file keeps the input's size, frames, timing and audio, and is atomic."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from scape.vision import cli_redact
from scape.vision.config import RedactConfig
from scape.vision.redact import Redactor
from scape.vision.video import UnreadableVideoError, VideoReader, transcode


def _probe(path: Path) -> dict[str, object]:
    # Read every stream property while its container is open: PyAV objects
    # point into FFmpeg memory that is freed when the container closes.
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        size, time_base, rate = (v.width, v.height), v.time_base, v.average_rate
        pts = [f.pts for f in c.decode(v)]
    with av.open(str(path)) as c:
        audio = [bytes(p) for p in c.demux(audio=0) if p.size] if c.streams.audio else []
        a = c.streams.audio[0] if c.streams.audio else None
        return {
            "size": size,
            "pts": pts,
            "time_base": time_base,
            "rate": rate,
            "duration": c.duration,
            "audio": audio,
            "audio_codec": a.codec_context.name if a else None,
            "audio_rate": a.codec_context.sample_rate if a else None,
        }


def _no_faces() -> Redactor:
    return Redactor(RedactConfig(faces=False))


def test_it_keeps_frames_timestamps_duration_and_audio(face_clip, tmp_path):
    src, _boxes = face_clip
    out = tmp_path / "out.mp4"
    assert cli_redact.main([str(src), str(out), "--quiet"]) == 0
    before, after = _probe(src), _probe(out)
    assert after["size"] == before["size"] == (320, 240)
    assert len(after["pts"]) == len(before["pts"]) == 60
    assert after["pts"] == before["pts"]
    assert after["time_base"] == before["time_base"]
    assert after["rate"] == before["rate"]
    assert after["duration"] == before["duration"]
    assert after["audio_codec"] == "aac"
    assert after["audio_rate"] == before["audio_rate"]
    # Remuxed, not re-encoded: every audio packet is byte for byte the same.
    assert after["audio"] == before["audio"]
    assert len(after["audio"]) > 50


def test_it_keeps_an_odd_size(make_clip, tmp_path):
    src, _ = make_clip("odd.mp4", size=(321, 241), frames=8, pix_fmt="yuv444p", face_width=None)
    out = tmp_path / "odd_out.mp4"
    _no_faces().run(src, out)
    info = _probe(out)
    assert info["size"] == (321, 241)
    assert len(info["pts"]) == 8
    with av.open(str(out)) as c:
        assert c.streams.video[0].codec_context.pix_fmt == "yuv444p"


def test_it_converts_full_range_mjpeg_input(make_clip, tmp_path, read_frames):
    src, _ = make_clip("cam.mkv", frames=6, codec="mjpeg", pix_fmt="yuvj420p", face_width=None)
    out = tmp_path / "cam_out.mkv"
    _no_faces().run(src, out)
    before, after = _probe(src), _probe(out)
    assert after["size"] == before["size"]
    assert after["pts"] == before["pts"]
    assert after["audio"] == before["audio"]
    # Full-range input encoded as limited-range 4:2:0: the picture is the same.
    diff = np.abs(read_frames(out)[3].astype(int) - read_frames(src)[3].astype(int))
    assert diff.mean() < 4


def test_it_keeps_1080_lines(make_clip, tmp_path):
    src, _ = make_clip("hd.mp4", size=(1920, 1080), frames=4, face_width=None, audio=False)
    out = tmp_path / "hd_out.mp4"
    transcode(src, out)
    info = _probe(out)
    assert info["size"] == (1920, 1080)
    assert len(info["pts"]) == 4


def test_it_exits_2_on_unreadable_input_and_leaves_no_file(tmp_path, capsys):
    src = tmp_path / "broken.mp4"
    src.write_bytes(b"this is not a video" * 100)
    out = tmp_path / "out.mp4"
    assert cli_redact.main([str(src), str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "cannot read video" in err
    assert "Invalid data found when processing input" in err  # the decoder's own words
    assert list(tmp_path.iterdir()) == [src]


def test_it_exits_2_on_a_missing_input(tmp_path, capsys):
    assert cli_redact.main([str(tmp_path / "nope.mp4"), str(tmp_path / "o.mp4")]) == 2
    assert "No such file or directory" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_it_raises_a_clear_error_for_a_file_without_video(tmp_path):
    src = tmp_path / "sound.m4a"
    with av.open(str(src), "w") as c:
        stream = c.add_stream("aac", rate=48000, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate = 48000
        c.mux(stream.encode(frame))
        c.mux(stream.encode(None))
    with pytest.raises(UnreadableVideoError) as info:
        VideoReader(src)
    assert info.value.reason == "the file has no video stream"


def test_it_leaves_no_partial_file_and_keeps_the_old_one_on_failure(face_clip, tmp_path):
    src, _ = face_clip
    out = tmp_path / "out.mp4"
    out.write_bytes(b"previous result")
    calls = 0

    def failing_detector(frame: av.VideoFrame) -> np.ndarray:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise RuntimeError("detector crashed")
        return np.empty((0, 5))

    redactor = Redactor(RedactConfig(), face_detector=failing_detector)
    with pytest.raises(RuntimeError, match="detector crashed"):
        redactor.run(src, out, boxes_out=tmp_path / "boxes.jsonl")
    assert out.read_bytes() == b"previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4"]
