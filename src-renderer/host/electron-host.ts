/**
 * The desktop host: HostApi over the preload bridge (`window.latencyLab`, typed by
 * shared/contract/ipc-contract.ts). Every call resolves to an IpcResult; a failure becomes a HostError with
 * the main process's message (ElectronHostError also carries the code). Menu commands are validated
 * here before the app sees them.
 */
import {
  type AppSettingsData,
  BRIDGE_GLOBAL,
  type ExportFormatData,
  type ExportResultData,
  type IpcErrorCode,
  type IpcResult,
  type LatencyLabBridge,
  type LibraryEntryData,
  type MeasurementAudioData,
  type MenuCommandData,
  menuCommandSchema,
} from '../../shared/contract/ipc-contract';
import type { AppSettings, ExportFormat, ExportResult, HostApi, LibraryEntry, MeasurementAudio, MenuCommand } from './host-api';
import { HostError, notAvReport } from './host-api';

// The contract's types and the app's must stay the same: these fail to compile otherwise.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractMatches: [
  Equal<LibraryEntryData, LibraryEntry>,
  Equal<ExportFormatData, ExportFormat>,
  Equal<ExportResultData, ExportResult>,
  Equal<MenuCommandData, MenuCommand>,
  Equal<MeasurementAudioData, MeasurementAudio>,
  Same<AppSettingsData, AppSettings>,
] = [true, true, true, true, true, true];
void contractMatches;

/** A HostError with the main process's error code. */
export class ElectronHostError extends HostError {
  readonly code: IpcErrorCode | 'UNREACHABLE';
  constructor(code: IpcErrorCode | 'UNREACHABLE', message: string) {
    super(message);
    this.name = 'ElectronHostError';
    this.code = code;
  }
}

/** The preload bridge, or null outside the desktop app (a plain browser). */
export function electronBridge(): LatencyLabBridge | null {
  if (typeof window === 'undefined') return null;
  const candidate = (window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL];
  if (typeof candidate !== 'object' || candidate === null) return null;
  const b = candidate as Partial<Record<keyof LatencyLabBridge, unknown>>;
  const library = b.library as Record<string, unknown> | undefined;
  const settings = b.settings as Record<string, unknown> | undefined;
  const ok =
    typeof library === 'object' &&
    library !== null &&
    ['list', 'save', 'open', 'rename', 'remove', 'importReport'].every((name) => typeof library[name] === 'function') &&
    typeof settings === 'object' &&
    settings !== null &&
    typeof settings.load === 'function' &&
    typeof settings.save === 'function' &&
    typeof b.exportMeasurement === 'function' &&
    typeof b.onMenuCommand === 'function';
  return ok ? (candidate as LatencyLabBridge) : null;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function isResult(value: unknown): value is IpcResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  if (r.ok === true) return 'value' in r;
  if (r.ok !== false || typeof r.error !== 'object' || r.error === null) return false;
  const e = r.error as Record<string, unknown>;
  return typeof e.code === 'string' && typeof e.message === 'string';
}

/** Awaits a bridge call: its value, or ElectronHostError with the main process's message. */
async function unwrap<T>(call: () => Promise<IpcResult<T>>): Promise<T> {
  let result: unknown;
  try {
    result = await call();
  } catch (error) {
    throw new ElectronHostError('UNREACHABLE', `The app's main process did not answer (${messageOf(error)}).`);
  }
  if (!isResult(result)) throw new ElectronHostError('UNREACHABLE', "The app's main process gave an answer this window does not understand.");
  if (result.ok) return result.value as T;
  const message = result.error.message.length > 0 ? result.error.message[0].toUpperCase() + result.error.message.slice(1) : 'The operation failed.';
  throw new ElectronHostError(result.error.code as IpcErrorCode, message);
}

export function createElectronHost(bridge: LatencyLabBridge): HostApi {
  return {
    kind: 'electron',
    library: {
      async list() {
        const { entries, unreadable } = await unwrap(() => bridge.library.list());
        for (const problem of unreadable) console.warn(`Library: "${problem.folder}" is unreadable and not listed: ${problem.reason}`);
        return entries;
      },
      save: (report, audio) => unwrap(() => bridge.library.save(report, audio)),
      open: async (id) => notAvReport(await unwrap(() => bridge.library.open(id))),
      openAny: (id) => unwrap(() => bridge.library.open(id)),
      rename: (id, title) => unwrap(() => bridge.library.rename(id, title)),
      async remove(id) {
        await unwrap(() => bridge.library.remove(id));
      },
      importReport: () => unwrap(() => bridge.library.importReport()),
    },
    exportMeasurement: (report, audio, format) => unwrap(() => bridge.exportMeasurement(report, audio, format)),
    settings: {
      load: () => unwrap(() => bridge.settings.load()),
      async save(settings) {
        await unwrap(() => bridge.settings.save(settings));
      },
    },
    onMenuCommand(handler) {
      return bridge.onMenuCommand((command) => {
        const parsed = menuCommandSchema.safeParse(command);
        if (parsed.success) handler(parsed.data);
        else console.warn('Ignored an unknown menu command.');
      });
    },
  };
}
