/**
 * What the platform did not honour when it opened the microphone (devices.ts checkCaptureSettings),
 * shown once on the page for the open session and the last run. The heading names what the list
 * holds: processing left on, or only a format that differs (channels mixed, a resampled rate).
 */
const PROCESSING_ON = / is still on /;

export function captureWarningsHeading(warnings: readonly string[]): string {
  const processing = warnings.filter((w) => PROCESSING_ON.test(w)).length;
  if (processing === warnings.length) return 'The platform did not switch off all audio processing';
  if (processing === 0) return 'The input is not recorded exactly as requested';
  return 'The platform did not switch off all audio processing, and the input is not recorded exactly as requested';
}

export function CaptureWarnings({ warnings }: { warnings: readonly string[] }) {
  const unique = [...new Set(warnings)];
  if (unique.length === 0) return null;
  return (
    <div className="banner-inline banner-warning capture-warnings" role="alert">
      <p>
        <strong>{captureWarningsHeading(unique)}:</strong>
      </p>
      <ul>
        {unique.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </div>
  );
}
