/**
 * The app's Content-Security-Policy, in one place: the renderer build puts it in a <meta> tag
 * (src-renderer/vite.config.ts) and the desktop app's app:// protocol sends it as a header
 * (src-main/main/main.ts). worker-src allows blob: because web-audio-beat-detector spawns its worker
 * from a Blob; style-src allows inline styles because the charts (recharts) set style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
