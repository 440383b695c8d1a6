/**
 * Step 1: the A/V pattern, full screen on this display (Fullscreen API), its frames drawn on a
 * canvas in step with its clicks played through Web Audio. Each animation frame shows the pattern's
 * level at the moment the sound playing now is heard (AudioContext.getOutputTimestamp maps the
 * audio clock to the page's clock), so the picture follows the sound; the computer's own display
 * latency is then part of what a recording of it measures.
 *
 * For a TV, a streamer or a phone the pattern is a video file: PatternExport makes it in the page
 * (H.264 with AAC where the engine encodes AAC, else Opus, saying so and pointing to the command
 * line's `latency-lab av-pattern`, which always writes AAC).
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { DARK_LEVEL, describePattern, patternEventTimes, patternLevelAt, renderPatternAudio } from '../../../shared/av/av-pattern';
import { PatternExport, type PatternExportProps } from './PatternExport';

const DURATIONS_S = [30, 60, 120, 300] as const;
const LEAD_IN_S = 0.5;

interface Playing {
  stop(): void;
}

export function PatternPlayer({ exportProps }: { exportProps?: PatternExportProps }) {
  const ids = useId();
  const [durationS, setDurationS] = useState<number>(60);
  const [playing, setPlaying] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const playingRef = useRef<Playing | null>(null);

  const stop = useCallback(() => {
    playingRef.current?.stop();
    playingRef.current = null;
    setPlaying(false);
  }, []);

  useEffect(() => stop, [stop]);

  // Leaving full screen, or Esc when full screen was refused, stops the pattern.
  useEffect(() => {
    const onChange = () => {
      if (!document.fullscreenElement && playingRef.current) stop();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && playingRef.current) stop();
    };
    document.addEventListener('fullscreenchange', onChange);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      document.removeEventListener('keydown', onKey);
    };
  }, [stop]);

  const play = async () => {
    const stage = stageRef.current;
    const canvas = canvasRef.current;
    if (!stage || !canvas) return;
    setNote(null);
    let fullscreen = false;
    try {
      await stage.requestFullscreen();
      fullscreen = true;
    } catch (error) {
      setNote(`Full screen was refused (${(error as Error).message}); the pattern plays in the window. Make the window as large as you can.`);
    }
    const context = new AudioContext({ latencyHint: 'interactive' });
    const times = patternEventTimes(durationS);
    const rate = context.sampleRate;
    const lengthFrames = Math.round(durationS * rate);
    const buffer = context.createBuffer(1, lengthFrames, rate);
    buffer.copyToChannel(renderPatternAudio(times, rate, lengthFrames) as Float32Array<ArrayBuffer>, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    await context.resume();
    const startAt = context.currentTime + LEAD_IN_S;
    source.start(startAt);
    const draw = canvas.getContext('2d');
    let frame = 0;
    const render = (now: number) => {
      // When the sound scheduled at startAt is heard, on the page's clock.
      const stamp = context.getOutputTimestamp();
      const heardAtMs =
        stamp.performanceTime !== undefined && stamp.performanceTime > 0 && stamp.contextTime !== undefined
          ? stamp.performanceTime + (startAt - stamp.contextTime) * 1000
          : performance.now() + (startAt - context.currentTime + (context.outputLatency || context.baseLatency || 0)) * 1000;
      const t = (now - heardAtMs) / 1000;
      if (t > durationS) {
        stop();
        return;
      }
      const level = t < 0 ? DARK_LEVEL : patternLevelAt(times, t);
      const code = Math.round(255 * level);
      if (draw) {
        draw.fillStyle = `rgb(${code}, ${code}, ${code})`;
        draw.fillRect(0, 0, canvas.width, canvas.height);
      }
      frame = requestAnimationFrame(render);
    };
    frame = requestAnimationFrame(render);
    playingRef.current = {
      stop() {
        cancelAnimationFrame(frame);
        try {
          source.stop();
        } catch {
          // not started or already stopped
        }
        void context.close();
        if (fullscreen && document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      },
    };
    setPlaying(true);
  };

  return (
    <section className="panel" aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`}>1. Play the pattern</h3>
      <p>
        The pattern is a full-screen flash with a click at its centre, at coded irregular times. <strong>On this computer’s display:</strong> play it full screen here; its sound
        goes to the default output. What you film then includes this computer’s own display and audio latency.
      </p>
      <div className="av-row">
        <label htmlFor={`${ids}-duration`}>Length</label>
        <select id={`${ids}-duration`} value={durationS} onChange={(e) => setDurationS(Number(e.target.value))} disabled={playing}>
          {DURATIONS_S.map((s) => (
            <option key={s} value={s}>
              {s < 60 ? `${s} s` : `${s / 60} min`}
            </option>
          ))}
        </select>
        {playing ? (
          <button type="button" className="secondary" onClick={stop}>
            Stop the pattern
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void play()}>
            Play full screen
          </button>
        )}
      </div>
      <p className="muted">{describePattern(durationS, 60)}. Press Esc to stop.</p>
      {note && <p className="status-warn">{note}</p>}
      <div ref={stageRef} className={playing ? 'av-stage av-stage-playing' : 'av-stage'} aria-hidden={!playing} data-testid="av-pattern-stage">
        <canvas ref={canvasRef} width={64} height={36} className="av-stage-canvas" />
      </div>
      <PatternExport {...exportProps} />
    </section>
  );
}
