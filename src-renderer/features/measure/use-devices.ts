import { useCallback, useEffect, useState } from 'react';
import { AudioSetupError, type DeviceList, listAudioDevices, requestMicrophonePermission } from '../../audio/devices';

export interface DevicesState {
  devices: DeviceList | null;
  error: string | null;
  /** Asking for microphone access is in progress. */
  asking: boolean;
  refresh(): Promise<void>;
  requestPermission(): Promise<void>;
}

/** The audio inputs and outputs, kept current when devices come and go. */
export function useDevices(): DevicesState {
  const [devices, setDevices] = useState<DeviceList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const list = await listAudioDevices();
      setDevices(list);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  useEffect(() => {
    let alive = true;
    listAudioDevices().then(
      (list) => alive && setDevices(list),
      (e: Error) => alive && setError(e.message),
    );
    const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    const onChange = () => void refresh();
    media?.addEventListener?.('devicechange', onChange);
    return () => {
      alive = false;
      media?.removeEventListener?.('devicechange', onChange);
    };
  }, [refresh]);

  const requestPermission = useCallback(async () => {
    setAsking(true);
    let message: string | null = null;
    try {
      await requestMicrophonePermission();
    } catch (e) {
      message = e instanceof AudioSetupError ? e.message : String(e);
    }
    await refresh();
    setAsking(false);
    if (message) setError(message);
  }, [refresh]);

  return { devices, error, asking, refresh, requestPermission };
}
