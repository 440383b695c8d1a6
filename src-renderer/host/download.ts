/** Hands a file to the user as a download (the browser's downloads; Electron's save dialog for a download). */
export function defaultDownload(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started once click() returns; the URL is kept a moment for slow hosts.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
