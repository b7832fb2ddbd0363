#!/usr/bin/env python3
"""Convert Resemblyzer's voice encoder weights to the numpy file the listener loads.

Resemblyzer (Resemble AI, Apache-2.0) ships `resemblyzer/pretrained.pt` in its wheel, saved by
PyTorch in its legacy format: pickled tensors whose data follow as raw little-endian storages. It
is read here without PyTorch (only the model's weights are kept; the optimiser's state is not),
transposed for row-vector products, and written to `benchmarks/voice_encoder_weights/`.

\b
    pip download --no-deps resemblyzer==0.1.4 -d /tmp/rz && unzip -o /tmp/rz/*.whl -d /tmp/rz
    .venv/bin/python scripts/convert_voice_encoder.py /tmp/rz/resemblyzer/pretrained.pt
"""

from __future__ import annotations

import collections
import io
import pickle
import struct
import sys
from pathlib import Path
from typing import Any

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.voice_encoder import LAYERS, WEIGHTS  # noqa: E402
from voice_rehab.io.files import write_atomically  # noqa: E402

_STORAGES = {"FloatStorage": np.float32, "DoubleStorage": np.float64, "LongStorage": np.int64, "IntStorage": np.int32}


class _Tensors(pickle.Unpickler):
    """PyTorch's legacy pickle with its tensors as placeholders (nothing else may be built)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return lambda storage, offset, size, stride, *_: ("tensor", storage, offset, tuple(size), tuple(stride))
        if module == "torch" and name in _STORAGES:
            return name
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in the weights file")

    def persistent_load(self, pid: Any) -> Any:
        _, kind, key, _, size, _ = pid  # ("storage", type, key, location, size, view)
        return (kind, key, size)


def read_legacy_torch(path: Path) -> dict[str, Any]:
    """The pickled object of a legacy PyTorch file, with each tensor as a numpy array."""
    with path.open("rb") as f:
        for _ in range(3):  # magic number, protocol version, system info
            pickle.load(f)  # noqa: S301 - the file is a known release's, read for its numbers
        tree = _Tensors(f).load()
        keys = pickle.load(f)  # noqa: S301
        raw: dict[str, tuple[str, bytes]] = {}
        kinds = {}

        def note(x: Any) -> None:
            if isinstance(x, tuple) and x and x[0] == "tensor":
                kinds[x[1][1]] = x[1][0]
            elif isinstance(x, dict):
                for v in x.values():
                    note(v)

        note(tree)
        for key in keys:
            (count,) = struct.unpack("<q", f.read(8))
            kind = kinds.get(key, "FloatStorage")
            raw[key] = (kind, f.read(count * np.dtype(_STORAGES[kind]).itemsize))

    def build(x: Any) -> Any:
        if isinstance(x, tuple) and x and x[0] == "tensor":
            _, (kind, key, _), offset, shape, stride = x
            data = np.frombuffer(raw[key][1], dtype=_STORAGES[kind])
            size = data.itemsize
            return np.lib.stride_tricks.as_strided(data[offset:], shape, [s * size for s in stride]).copy()
        if isinstance(x, dict):
            return {k: build(v) for k, v in x.items()}
        return x

    return dict(build(tree))


@click.command()
@click.argument("pretrained", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=WEIGHTS, show_default=True)
def main(pretrained: Path, out: Path) -> None:
    state = read_legacy_torch(pretrained)["model_state"]
    arrays = {}
    for k in range(LAYERS):
        arrays[f"input_{k}"] = state[f"lstm.weight_ih_l{k}"].T
        arrays[f"hidden_{k}"] = state[f"lstm.weight_hh_l{k}"].T
        arrays[f"bias_{k}"] = state[f"lstm.bias_ih_l{k}"] + state[f"lstm.bias_hh_l{k}"]
    arrays["linear_weight"] = state["linear.weight"].T
    arrays["linear_bias"] = state["linear.bias"]
    buffer = io.BytesIO()
    # Any: numpy's stubs read a **dict of arrays as possibly `allow_pickle`
    contiguous: dict[str, Any] = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sorted(arrays.items())}
    np.savez_compressed(buffer, **contiguous)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, buffer.getvalue())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
