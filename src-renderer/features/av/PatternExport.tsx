/**
 * "Export pattern video": the A/V pattern as an MP4 made in the page (export-pattern.ts: WebCodecs
 * H.264 High profile, AAC where the engine encodes it, else Opus; mediabunny's MP4), 1920 × 1080 at
 * 60 fps, with progress and Cancel, handed to the user as a download (the browser saves it; the
 * desktop app asks where with its save dialog, Electron's handling of a download). The page says
 * before and after which codecs the file has, and that an Opus file may not play on a TV, for which
 * the command line's `latency-lab av-pattern` writes AAC.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { formatPercent } from '../../ui/format/format';
import { defaultDownload } from '../../host/download';
import { exportPatternMp4, choosePatternAudioCodec, type EncoderHost, type PatternAudioCodec, pageEncoders } from './export-pattern';

/** Lengths offered (the CLI's av-pattern allows 5–600 s). */
export const EXPORT_DURATIONS_S = [10, 30, 60, 120, 300, 600] as const;

type ExportPhase =
  | { kind: 'idle' }
  | { kind: 'encoding'; fraction: number; framesEncoded: number; frameCount: number }
  | { kind: 'done'; fileName: string; sizeBytes: number; audioCodec: PatternAudioCodec; durationS: number }
  | { kind: 'failed'; message: string };

export interface PatternExportProps {
  /** The WebCodecs encoders (the page's by default; tests pass others). */
  encoders?: () => EncoderHost | null;
  /** Hands the finished file to the user (default: a download). */
  download?: (blob: Blob, fileName: string) => void;
}


const codecLabel = (codec: PatternAudioCodec): string => (codec === 'aac' ? 'H.264 video with AAC sound' : 'H.264 video with Opus sound');

export const patternFileName = (durationS: number): string => `latency-lab-av-pattern-${durationS}s-1080p60.mp4`;

export function PatternExport({ encoders = pageEncoders, download = defaultDownload }: PatternExportProps) {
  const ids = useId();
  const [durationS, setDurationS] = useState<number>(60);
  const [phase, setPhase] = useState<ExportPhase>({ kind: 'idle' });
  /** The sound codec this engine will use: undefined while checking, null when it has no encoder. */
  const [audioCodec, setAudioCodec] = useState<PatternAudioCodec | null | undefined>(undefined);
  const abortRef = useRef<AbortController | null>(null);
  const host = useRef<EncoderHost | null>(null);

  useEffect(() => {
    let live = true;
    host.current = encoders();
    if (!host.current) setAudioCodec(null);
    else void choosePatternAudioCodec(host.current).then((c) => live && setAudioCodec(c), () => live && setAudioCodec(null));
    return () => {
      live = false;
      abortRef.current?.abort();
    };
  }, [encoders]);

  const start = async () => {
    const encoderHost = host.current;
    if (!encoderHost) return;
    const controller = new AbortController();
    abortRef.current = controller;
    setPhase({ kind: 'encoding', fraction: 0, framesEncoded: 0, frameCount: 0 });
    try {
      const out = await exportPatternMp4(encoderHost, { durationS }, (p) => setPhase({ kind: 'encoding', ...p }), controller.signal);
      const fileName = patternFileName(durationS);
      download(new Blob([out.bytes], { type: 'video/mp4' }), fileName);
      setPhase({ kind: 'done', fileName, sizeBytes: out.bytes.length, audioCodec: out.audioCodec, durationS });
    } catch (error) {
      if ((error as Error).name === 'AbortError') setPhase({ kind: 'idle' });
      else setPhase({ kind: 'failed', message: `The pattern video could not be made: ${(error as Error).message}.` });
    } finally {
      if (abortRef.current === controller) abortRef.current = null;
    }
  };

  const encoding = phase.kind === 'encoding';
  const unavailable = audioCodec === null;

  return (
    <div className="av-export">
      <p>
        <strong>On a TV, streamer or phone:</strong> play the pattern as a video file, full screen (copy it to a USB stick or cast it). Export it here as an MP4, 1920 × 1080 at 60
        fps:
      </p>
      <div className="av-row">
        <label htmlFor={`${ids}-length`}>Video length</label>
        <select id={`${ids}-length`} value={durationS} onChange={(e) => setDurationS(Number(e.target.value))} disabled={encoding}>
          {EXPORT_DURATIONS_S.map((s) => (
            <option key={s} value={s}>
              {s < 60 ? `${s} s` : `${s / 60} min`}
            </option>
          ))}
        </select>
        <button type="button" className="primary" onClick={() => void start()} disabled={encoding || audioCodec === undefined || unavailable}>
          Export pattern video
        </button>
      </div>
      <p className="muted" data-testid="av-export-codecs">
        {audioCodec === undefined && 'Checking which codecs this app can encode…'}
        {audioCodec === 'aac' && 'The file will have H.264 video and AAC sound, which TVs play.'}
        {audioCodec === 'opus' && (
          <>
            This browser engine has no AAC encoder, so the file will have H.264 video and <strong>Opus</strong> sound: computers and phones play it, but some TVs do not play Opus
            in an MP4. For a TV, write the file with the command line, which encodes AAC: <code>latency-lab av-pattern --out pattern.mp4 --duration {durationS}</code>.
          </>
        )}
        {audioCodec === null && (
          <>
            This browser engine cannot encode the video (no WebCodecs H.264 and AAC or Opus encoders). Write the file with the command line:{' '}
            <code>latency-lab av-pattern --out pattern.mp4 --duration {durationS}</code>.
          </>
        )}
      </p>
      <div aria-live="polite">
        {phase.kind === 'encoding' && (
          <div className="av-progress" role="status">
            <p>
              Encoding the pattern video: {formatPercent(phase.fraction)} ({phase.framesEncoded} of {phase.frameCount || '…'} frames)
            </p>
            <progress max={1} value={phase.fraction} aria-label="Export progress" />
            <button type="button" className="secondary" onClick={() => abortRef.current?.abort()}>
              Cancel export
            </button>
          </div>
        )}
        {phase.kind === 'done' && (
          <p className="status-ok" data-testid="av-export-done">
            Saved {phase.fileName} ({(phase.sizeBytes / 1e6).toFixed(1)} MB, {phase.durationS} s): {codecLabel(phase.audioCodec)}
            {phase.audioCodec === 'aac' ? ', which TVs play.' : '. Some TVs do not play Opus in an MP4: for a TV, use latency-lab av-pattern (AAC).'}
          </p>
        )}
        {phase.kind === 'failed' && (
          <p className="status-bad" role="alert">
            {phase.message}
          </p>
        )}
      </div>
    </div>
  );
}
