"""Writes the two scan sounds with the standard library: success.wav (a short high beep)
and error.wav (a low double buzz). Run: python resources/make_sounds.py"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44_100
HERE = Path(__file__).resolve().parent


def tone(freq: float, ms: int, *, volume: float = 0.6, square: bool = False) -> list[float]:
    n = int(RATE * ms / 1000)
    fade = max(1, int(RATE * 0.004))  # 4 ms ramps: no clicks
    out = []
    for i in range(n):
        s = math.sin(2 * math.pi * freq * i / RATE)
        if square:  # a buzz: square-ish wave with its harsh overtones
            s = max(-1.0, min(1.0, 3 * s))
        env = min(1.0, i / fade, (n - 1 - i) / fade)
        out.append(volume * env * s)
    return out


def silence(ms: int) -> list[float]:
    return [0.0] * int(RATE * ms / 1000)


def write(path: Path, samples: list[float]) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))


def main() -> None:
    write(HERE / "success.wav", tone(2400, 90))
    write(HERE / "error.wav", tone(180, 220, square=True, volume=0.5) + silence(90)
          + tone(180, 220, square=True, volume=0.5))


if __name__ == "__main__":
    main()
