#!/usr/bin/env python3
"""A plain scipy peer of `latency-lab analyze` for the speed comparison (src-main/tools/bench-rooms.ts).

Whole-capture GCC-PHAT (one FFT correlation of reference and capture, the cross-spectrum whitened
to unit magnitude) for the latency, then Welch H1 = Gxy/Gxx with coherence (scipy.signal.csd and
welch, Hann segments of 65536, 50 % overlap) on the capture aligned by that latency, smoothed to
1/12 octave by power averaging over log frequency. Prints one JSON line: latency_ms, points, seconds.

    python3 peer.py reference.wav capture.wav
"""
import json
import sys
import time

import numpy as np
from scipy import fft, signal
from scipy.io import wavfile


def mono(path):
    rate, x = wavfile.read(path)
    x = x.astype(np.float64)
    if x.ndim > 1:
        x = x[:, 0]
    return rate, x


def main():
    start = time.perf_counter()
    rate, x = mono(sys.argv[1])
    _, y = mono(sys.argv[2])
    n = fft.next_fast_len(len(x) + len(y))
    cross = fft.rfft(y, n) * np.conj(fft.rfft(x, n))
    cross /= np.maximum(np.abs(cross), 1e-20)
    corr = fft.irfft(cross, n)
    max_lag = int(2.0 * rate)
    lag = int(np.argmax(np.abs(corr[:max_lag])))
    aligned = y[lag:lag + len(x)]
    aligned = np.pad(aligned, (0, len(x) - len(aligned)))
    f, gxy = signal.csd(x, aligned, fs=rate, nperseg=65536)
    _, gxx = signal.welch(x, fs=rate, nperseg=65536)
    _, gyy = signal.welch(aligned, fs=rate, nperseg=65536)
    ok = gxx > 1e-6 * gxx.max()
    h = np.where(ok, gxy / np.where(ok, gxx, 1), 0)
    coherence = np.where(ok, np.abs(gxy) ** 2 / np.where(ok, gxx * gyy, 1), 0)
    points = []
    centre = 20.0
    while centre < min(20000.0, rate / 2):
        band = (f >= centre * 2 ** (-1 / 24)) & (f < centre * 2 ** (1 / 24)) & ok
        if band.any():
            points.append([centre, float(10 * np.log10(np.mean(np.abs(h[band]) ** 2) + 1e-30)), float(np.mean(coherence[band]))])
        centre *= 2 ** (1 / 48)
    print(json.dumps({'latency_ms': lag / rate * 1000, 'points': len(points), 'seconds': time.perf_counter() - start}))


if __name__ == '__main__':
    main()
