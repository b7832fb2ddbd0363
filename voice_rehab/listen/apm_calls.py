"""The two calls the front end makes every 10 ms on WebRTC's audio processing module, made cheaply.

livekit's `process_stream` builds, serialises and parses a protobuf message per call. For our
frames, allocated once, every field of that message is the same at every call (the module, the
buffer's address, its size and rate), so it is serialised once and handed to livekit's native
library as it is. Measured: 69 -> 50 microseconds per 10 ms frame pair, about 0.004 of real time
for the front end's two modules (docs/BENCHMARKS.md, "What changed the numbers"); the module does the same
work on the same buffer, so what it returns is the same sample for sample (tested).

This reaches past livekit's public API: where livekit's insides are not as expected (another
version), the public method is used. An error from the module is raised as the public method does.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any, Literal

Kind = Literal["apm_process_stream", "apm_process_reverse_stream"]


def frame_call(apm: Any, frame: Any, kind: Kind) -> Callable[[], None]:
    """A function that processes `frame` (a livekit AudioFrame over a bytearray it keeps) with
    `apm`: the captured signal for "apm_process_stream", the played one for the reverse stream."""
    public: Callable[[], None] = (
        (lambda: apm.process_stream(frame))
        if kind == "apm_process_stream"
        else (lambda: apm.process_reverse_stream(frame))
    )
    try:
        return PreparedCall(apm, frame, kind)
    except (ImportError, AttributeError, TypeError):
        return public


class PreparedCall:
    """One livekit request, serialised once and sent as it is."""

    def __init__(self, apm: Any, frame: Any, kind: Kind) -> None:
        from livekit.rtc._ffi_client import FfiClient
        from livekit.rtc._proto import ffi_pb2
        from livekit.rtc._utils import get_address

        if not isinstance(frame._data, bytearray):
            raise TypeError("the frame's samples must be a bytearray the module can write into")
        request = ffi_pb2.FfiRequest()
        body = getattr(request, kind)
        body.apm_handle = apm._ffi_handle.handle
        body.data_ptr = get_address(frame._data)
        body.size = len(frame._data)
        body.sample_rate = frame.sample_rate
        body.num_channels = frame.num_channels
        self._message = request.SerializeToString()  # kept: the pointer below points into it
        # kept too: the request names the module's handle and the samples' address, so neither may be
        # freed while this call exists (a freed buffer is memory Python hands out again)
        self._apm, self._samples = apm, frame._data
        self._pointer = ctypes.cast(ctypes.c_char_p(self._message), ctypes.POINTER(ctypes.c_ubyte))
        self._lib = FfiClient.instance._ffi_lib
        self._response = ctypes.POINTER(ctypes.c_ubyte)()
        self._response_len = ctypes.c_size_t()
        self._parse = ffi_pb2.FfiResponse.FromString
        self._kind = kind
        self._ok: bytes | None = None  # the response that means "done, no error", learnt at the first call

    def __call__(self) -> None:
        handle = self._lib.livekit_ffi_request(
            self._pointer, len(self._message), ctypes.byref(self._response), ctypes.byref(self._response_len)
        )
        if handle == 0:  # livekit's INVALID_HANDLE
            raise RuntimeError(f"livekit refused {self._kind}")
        try:
            response = ctypes.string_at(self._response, self._response_len.value)
        finally:
            self._lib.livekit_ffi_drop_handle(handle)
        if response == self._ok:
            return
        error = getattr(self._parse(response), self._kind).error
        if error:
            raise RuntimeError(error)
        self._ok = response
