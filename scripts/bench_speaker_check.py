#!/usr/bin/env python3
"""Can the listener tell the enrolled person from other people talking? Speaker embeddings that
can be made from what ships here, scored on Speech Commands speakers.

Each speaker with six or more clips enrols on half of them (at most eight: about what
`voice-rehab enroll` records) and is tested on the rest; every other speaker's clips of the same
split are the other people. A clip is scored by the cosine of its embedding with the mean of the
enrolled ones (features standardised on the tuning speakers, but the voice encoder's: it was
trained for the plain cosine). Candidates:
- `whisper`: the judge's encoder output (Whisper tiny.en, its last layer), mean and spread over
  the frames of speech: no extra model, one encoder pass the judge already makes;
- `log-mel`: mean and spread of the judge's 80 log-mel bands over the frames of speech (the
  classic long-term spectrum of a voice);
- `voice-encoder`: the voice encoder (`benchmarks/voice_encoder.py`: Resemblyzer's GE2E speaker
  encoder, trained on thousands of speakers), on the whole clip.

\b
    .venv/bin/python scripts/bench_speaker_check.py [--conditions quiet,reverb] [--jobs 2]

Prints the equal error rate and the share of other people's clips still taken for the person
when 99 % / 95 % of the person's own are; writes results/speaker-check.json. Speech Commands
speakers each recorded on their own microphone, so a voice here comes with its microphone: this
flatters every candidate against a room where everyone reaches the same laptop. Credit: Speech
Commands v0.02, Pete Warden, Google (CC-BY-4.0).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
from pathlib import Path

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.real_people import Clip, in_condition, load, read_clips  # noqa: E402
from benchmarks.report import machine  # noqa: E402
from benchmarks.speaker_check import verification  # noqa: E402
from benchmarks.voice_encoder import VoiceEncoder  # noqa: E402
from voice_rehab.listen.audio import RATE  # noqa: E402
from voice_rehab.listen.judge import MAX_SECONDS, whisper_model_dir  # noqa: E402
from voice_rehab.listen.whisper_input import log_mel  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "results" / "speaker-check.json"
CANDIDATES = ("whisper", "log-mel", "voice-encoder")


def _mean_and_spread(frames: np.ndarray) -> np.ndarray:
    return np.concatenate([frames.mean(axis=0), frames.std(axis=0)])


def embed(job: tuple[str, list[Clip]]) -> list[dict[str, np.ndarray]]:
    """Each clip's candidate embeddings, heard in `condition`."""
    import ctranslate2

    condition, clips = job
    model = ctranslate2.models.Whisper(str(whisper_model_dir()), device="cpu", compute_type="int8", intra_threads=1)
    voices = VoiceEncoder()
    out = []
    for index, clip in enumerate(clips):
        audio = in_condition(load(clip), condition, seed=index)[: int(MAX_SECONDS * RATE)].astype(np.float32)
        padded = log_mel(audio)  # Whisper's 30 s window: what the encoder hears
        mel = padded[:, : len(audio) // 160]  # the clip's own frames
        encoded = model.encode(ctranslate2.StorageView.from_array(padded[None]), to_cpu=True)
        frames = np.asarray(encoded)[0][: len(audio) // 320]
        loud = mel.mean(axis=0)
        speech = loud > np.median(loud)  # the louder half of the clip's frames: its speech
        half = speech[::2][: len(frames)]
        out.append(
            {
                "whisper": _mean_and_spread(frames[half] if half.sum() > 3 else frames),
                "log-mel": _mean_and_spread(mel[:, speech].T if speech.sum() > 3 else mel.T),
                "voice-encoder": voices.embed(audio),
            }
        )
    return out


@click.command(help=__doc__.splitlines()[0])
@click.option("--conditions", default="quiet", show_default=True, help="also: reverb")
@click.option("--jobs", type=int, default=2, show_default=True)
def main(conditions: str, jobs: int) -> None:
    clips = read_clips()
    tune = np.array([c.split == "tune" for c in clips])
    rows = []
    print("| room | embedding | speakers | equal error rate | others taken for the person at 99 % / 95 % of theirs |")
    print("|---|---|---|---|---|")
    for condition in conditions.split(","):
        pieces = [(condition, clips[k : k + 100]) for k in range(0, len(clips), 100)]
        with mp.get_context("spawn").Pool(jobs) as pool:
            embedded = [e for part in pool.map(embed, pieces) for e in part]
        for candidate in CANDIDATES:
            vectors = np.stack([e[candidate] for e in embedded])
            scale = (vectors[tune].mean(axis=0), vectors[tune].std(axis=0) + 1e-6)
            if candidate == "voice-encoder":  # learnt for the plain cosine of its embeddings
                scale = (np.zeros(vectors.shape[1]), np.ones(vectors.shape[1]))
            for split in ("tune", "held-out"):
                chosen = np.flatnonzero([c.split == split for c in clips])
                result = verification(vectors[chosen], [clips[i] for i in chosen], scale)
                rows.append({"condition": condition, "embedding": candidate, "split": split, **result})
                print(
                    f"| {condition} | {candidate} ({split}) | {result['speakers']} | {100 * result['eer']:.1f} % | "
                    f"{100 * result['others_pass_at_99']:.0f} % / {100 * result['others_pass_at_95']:.0f} % |"
                )
        OUT.write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
