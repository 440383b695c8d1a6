import { describe, expect, it } from 'vitest';
import { appLocation } from './app-location';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from './permission-policy';

const APP = appLocation();
const PAGE = 'app://latency-lab/index.html';
const OTHERS = ['https://evil.example/', 'http://localhost:5173/', 'file:///home/u/index.html', 'app://latency-lab.evil/', 'app://other/', 'data:text/html,x', 'about:blank', 'app://user@latency-lab/'];

describe('permission requests', () => {
  it('grants microphone capture (audio only) and speaker selection to the app page', () => {
    expect(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['audio'] }, APP)).toBe(true);
    expect(decidePermissionRequest('speaker-selection', { requestingUrl: PAGE, isMainFrame: true }, APP)).toBe(true);
  });

  it('allows the camera (the A/V page’s webcam recording), alone or with the microphone; denies media without a type or of another type', () => {
    expect(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['video'] }, APP)).toBe(true);
    expect(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['audio', 'video'] }, APP)).toBe(true);
    expect(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['audio', 'desktop'] }, APP)).toBe(false);
    expect(decidePermissionRequest('media', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['video'] }, APP)).toBe(false);
    expect(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: [] }, APP)).toBe(false);
    expect(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: true }, APP)).toBe(false);
  });

  it.each(['geolocation', 'notifications', 'display-capture', 'midi', 'midiSysex', 'clipboard-read', 'hid', 'usb', 'serial', 'openExternal', 'fullscreen', 'pointerLock', 'fileSystem', 'window-management', 'unknown'])(
    'denies %s to the app page',
    (permission) => {
      expect(decidePermissionRequest(permission, { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['audio'] }, APP)).toBe(false);
    },
  );

  it.each(OTHERS)('denies everything to %s', (url) => {
    expect(decidePermissionRequest('media', { requestingUrl: url, isMainFrame: true, mediaTypes: ['audio'] }, APP)).toBe(false);
    expect(decidePermissionRequest('speaker-selection', { requestingUrl: url, isMainFrame: true }, APP)).toBe(false);
  });

  it('denies subframes and a mismatching security origin', () => {
    expect(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: false, mediaTypes: ['audio'] }, APP)).toBe(false);
    expect(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['audio'], securityOrigin: 'https://evil.example' }, APP)).toBe(false);
    expect(decidePermissionRequest('media', { isMainFrame: true, mediaTypes: ['audio'] }, APP)).toBe(false);
  });

  it('in development the dev server is the app, and app:// is not', () => {
    const dev = appLocation('http://localhost:5173/');
    expect(decidePermissionRequest('media', { requestingUrl: 'http://localhost:5173/', isMainFrame: true, mediaTypes: ['audio'] }, dev)).toBe(true);
    expect(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['audio'] }, dev)).toBe(false);
    expect(decidePermissionRequest('media', { requestingUrl: 'http://localhost:3000/', isMainFrame: true, mediaTypes: ['audio'] }, dev)).toBe(false);
  });
});

describe('permission checks', () => {
  it('audio and speaker selection for the app origin only', () => {
    expect(decidePermissionCheck('media', 'app://latency-lab', { isMainFrame: true, mediaType: 'audio', requestingUrl: PAGE }, APP)).toBe(true);
    expect(decidePermissionCheck('speaker-selection', 'app://latency-lab', { isMainFrame: true }, APP)).toBe(true);
    expect(decidePermissionCheck('media', 'app://latency-lab', { isMainFrame: true, mediaType: 'video' }, APP)).toBe(true);
    expect(decidePermissionCheck('media', 'https://evil.example', { isMainFrame: true, mediaType: 'video' }, APP)).toBe(false);
    expect(decidePermissionCheck('media', 'app://latency-lab', { isMainFrame: true, mediaType: 'unknown' }, APP)).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'hid', 'serial', 'usb', 'clipboard-read', 'background-sync']) {
      expect(decidePermissionCheck(permission, 'app://latency-lab', { isMainFrame: true }, APP), permission).toBe(false);
    }
    for (const origin of OTHERS) {
      expect(decidePermissionCheck('media', origin, { isMainFrame: true, mediaType: 'audio' }, APP), origin).toBe(false);
    }
    expect(decidePermissionCheck('media', 'app://latency-lab', { isMainFrame: false, mediaType: 'audio', embeddingOrigin: 'https://evil.example' }, APP)).toBe(false);
    expect(decidePermissionCheck('media', 'app://latency-lab', { isMainFrame: true, mediaType: 'audio', securityOrigin: 'https://evil.example' }, APP)).toBe(false);
  });

  it('no device is ever granted', () => {
    expect(decideDevicePermission()).toBe(false);
  });
});
