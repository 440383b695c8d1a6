/** Music mode: the user's track, decoded and beat-detected as soon as it is chosen. */
import { useId, useState } from 'react';
import { decodeMusic, detectBeatGrid, MUSIC_LEAD_IN_S, MUSIC_MAX_S, musicReference } from '../../audio/music-file';
import type { MusicSource } from './run-measurement';

/** The rate the preview decodes at; the measurement decodes again at its context's rate if it differs. */
const PREVIEW_RATE = 48000;

export interface MusicInfo {
  fileName: string;
  usedS: number;
  fileDurationS: number;
  channels: number;
  bpm: number;
  offsetS: number;
}

export interface MusicPickerProps {
  music: MusicSource | null;
  info: MusicInfo | null;
  disabled?: boolean;
  onChange(music: MusicSource | null, info: MusicInfo | null): void;
}

export function MusicPicker({ info, disabled, onChange }: MusicPickerProps) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const choose = async (file: File | undefined) => {
    setError(null);
    if (!file) return;
    setBusy(true);
    try {
      const bytes = await file.arrayBuffer();
      const decoded = await decodeMusic(bytes, PREVIEW_RATE, file.name);
      const grid = await detectBeatGrid(musicReference(decoded.samples, PREVIEW_RATE, -6), PREVIEW_RATE);
      onChange(
        { fileName: file.name, bytes },
        { fileName: file.name, usedS: decoded.samples.length / PREVIEW_RATE, fileDurationS: decoded.fileDurationS, channels: decoded.channels, bpm: grid.bpm, offsetS: Math.max(0, grid.offsetS - MUSIC_LEAD_IN_S) },
      );
    } catch (e) {
      onChange(null, null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="music-picker">
      <label htmlFor={id}>Music file</label>
      <input id={id} type="file" accept="audio/*,.wav,.mp3,.m4a,.aac,.flac,.ogg,.opus" disabled={disabled || busy} onChange={(e) => void choose(e.target.files?.[0])} />
      {busy && <p role="status">Decoding and finding the beat…</p>}
      {error && (
        <p className="status-bad" role="alert">
          {error}
        </p>
      )}
      {info && !busy && (
        <p className="muted" role="status">
          {info.fileName}: {info.bpm.toFixed(1)} BPM, first beat at {info.offsetS.toFixed(2)} s; {info.usedS.toFixed(1)} s used
          {info.fileDurationS > MUSIC_MAX_S ? ` (of ${info.fileDurationS.toFixed(0)} s; the first ${MUSIC_MAX_S} s)` : ''}, {info.channels === 1 ? 'mono' : `${info.channels} channels mixed to mono`}.
        </p>
      )}
    </div>
  );
}
