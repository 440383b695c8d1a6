/**
 * Records the screen and the speaker with the computer's webcam and microphone (only when the user
 * clicks), with MediaRecorder, and hands the recording to the same decode path as a dropped file.
 * Echo cancellation, noise suppression and automatic gain are switched off: they delay and
 * reshape the clicks. The camera is released as soon as the recording stops.
 */
import { useEffect, useRef, useState } from 'react';

const MIME_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'video/mp4'];

type State =
  | { kind: 'off' }
  | { kind: 'starting' }
  | { kind: 'preview'; stream: MediaStream }
  | { kind: 'recording'; stream: MediaStream; recorder: MediaRecorder; seconds: number }
  | { kind: 'error'; message: string };

export function WebcamRecorder({ onRecorded, disabled }: { onRecorded(blob: Blob): void; disabled: boolean }) {
  const [state, setState] = useState<State>({ kind: 'off' });
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);

  const release = () => {
    streamRef.current?.getTracks().forEach((t) => t.stop());
    streamRef.current = null;
  };
  useEffect(() => release, []);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.srcObject = state.kind === 'preview' || state.kind === 'recording' ? state.stream : null;
  }, [state]);

  const start = async () => {
    setState({ kind: 'starting' });
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 60 } },
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
      streamRef.current = stream;
      setState({ kind: 'preview', stream });
    } catch (error) {
      const e = error as DOMException;
      const message =
        e.name === 'NotAllowedError'
          ? 'The camera or microphone was not allowed. Allow both for this app and try again.'
          : e.name === 'NotFoundError'
            ? 'No camera with a microphone was found.'
            : `The camera could not be started (${e.name}: ${e.message}).`;
      setState({ kind: 'error', message });
    }
  };

  const record = () => {
    if (state.kind !== 'preview') return;
    const mimeType = MIME_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
    const recorder = new MediaRecorder(state.stream, mimeType ? { mimeType } : undefined);
    const chunks: Blob[] = [];
    // One chunk a second (the timeslice): their count is how much has been recorded.
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
      setState((s) => (s.kind === 'recording' && s.recorder === recorder ? { ...s, seconds: chunks.length } : s));
    };
    recorder.onstop = () => {
      release();
      setState({ kind: 'off' });
      onRecorded(new Blob(chunks, { type: recorder.mimeType || 'video/webm' }));
    };
    recorder.start(1000);
    setState({ kind: 'recording', stream: state.stream, recorder, seconds: 0 });
  };

  const stopRecording = () => {
    if (state.kind === 'recording') state.recorder.stop();
  };

  const close = () => {
    release();
    setState({ kind: 'off' });
  };

  return (
    <div className="av-webcam">
      {state.kind === 'off' || state.kind === 'error' ? (
        <button type="button" className="secondary" onClick={() => void start()} disabled={disabled}>
          Use the webcam…
        </button>
      ) : null}
      {state.kind === 'starting' && <p className="muted">Starting the camera…</p>}
      {state.kind === 'error' && (
        <p className="status-bad" role="alert">
          {state.message}
        </p>
      )}
      <video ref={videoRef} className="av-preview" muted autoPlay playsInline hidden={!(state.kind === 'preview' || state.kind === 'recording')} />
      {state.kind === 'preview' && (
        <div className="av-row">
          <button type="button" className="primary" onClick={record}>
            Record
          </button>
          <button type="button" className="secondary" onClick={close}>
            Close the camera
          </button>
          <span className="muted">Point the camera at the screen with the speaker near it; record at least 10 s of the pattern.</span>
        </div>
      )}
      {state.kind === 'recording' && (
        <div className="av-row">
          <span className="av-recording-light" role="status">
            Recording: {state.seconds} s
          </span>
          <button type="button" className="primary" onClick={stopRecording}>
            Stop and analyse
          </button>
        </div>
      )}
      <p className="muted">A webcam films at 30 fps at best, so its result is less precise than a phone’s slow motion, and its own A/V offset is unknown until you calibrate it.</p>
    </div>
  );
}
