/**
 * The measurement library: one folder per measurement under the library root
 * (`<userData>/library/<id>/` with report.json, and capture.wav + stimulus.wav when the audio was
 * kept). Sorting and searching happen in the renderer.
 *
 * Crash safety: a measurement is written into a hidden folder (`.saving-<id>-<random>`), every file
 * flushed to disk, and the folder is then renamed into place, so a half-written measurement never
 * appears under its id; an interrupted save leaves only a hidden folder, ignored by the list and
 * removed by cleanupInterruptedSaves() at the next start. A rename replaces report.json atomically
 * (temp file, fsync, rename). Nothing is overwritten: a new measurement whose id is taken gets a
 * new id, and removal goes to the OS trash.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import type { LibraryEntryData, LibraryListData, MeasurementAudioData, OpenedMeasurementData, UnreadableEntryData } from '../../../shared/contract/ipc-contract';
import type { StoredReport } from '../../../shared/report/av-report';
import { writeFileAtomic } from '../../fs/atomic-write';
import { StoreError } from '../store-error';
import { fsyncDirectory } from '../../fs/atomic-write';
import { libraryEntryOf } from '../../../shared/contract/library-entry';
import { isLibraryId, newLibraryId } from './library-id';
import { CAPTURE_FILE, encodeMono, hasAudioFiles, readMeasurementAudio, readReportFile, REPORT_FILE, reportJson, STIMULUS_FILE } from './measurement-files';

/** Prefix of the hidden folder a measurement is written into before it is renamed into place. */
export const SAVING_PREFIX = '.saving-';
/** The temporary file writeFileAtomic leaves when killed mid-write. */
const INTERRUPTED_WRITE = /^\.report\.json\.[0-9a-f]+\.tmp$/;

export interface LibraryDeps {
  /** Moves a path to the OS trash (Electron's shell.trashItem). */
  trashItem(path: string): Promise<void>;
  /** Where problems that do not fail the operation are reported (default console.warn). */
  warn?(message: string): void;
  now?(): Date;
}

export interface Library {
  readonly root: string;
  list(): LibraryListData;
  save(report: StoredReport, audio: MeasurementAudioData | null): LibraryEntryData;
  open(id: string): OpenedMeasurementData;
  rename(id: string, title: string): LibraryEntryData;
  remove(id: string): Promise<void>;
  /** Adds a report file from elsewhere under a new id (no audio); refuses invalid files with the reason. */
  importReportFile(path: string): LibraryEntryData;
  /** Removes what interrupted saves and renames left (hidden folders and temp files); returns their names. */
  cleanupInterruptedSaves(): string[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A folder name as it may be shown: control characters replaced, length capped. */
function printable(name: string): string {
  const clean = name.replace(/\p{Cc}/gu, '?');
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

export function createLibrary(root: string, deps: LibraryDeps): Library {
  const warn = deps.warn ?? ((message: string) => console.warn(message));
  const now = deps.now ?? (() => new Date());

  function ensureRoot(): void {
    mkdirSync(root, { recursive: true });
  }

  /** The folder of an existing measurement; NOT_FOUND when there is none. */
  function folderOf(id: string): string {
    if (!isLibraryId(id)) throw new StoreError('invalid-id', 'not a library id');
    const dir = join(root, id);
    let isDirectory = false;
    try {
      isDirectory = lstatSync(dir).isDirectory();
    } catch {
      isDirectory = false;
    }
    if (!isDirectory) throw new StoreError('not-found', `There is no measurement "${id}" in the library (it may have been deleted).`);
    return dir;
  }

  function readStored(id: string, dir: string): StoredReport {
    let report: StoredReport;
    try {
      report = readReportFile(join(dir, REPORT_FILE));
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError('invalid-file', `The measurement "${id}" cannot be read: ${describe(error)}`);
    }
    // The folder name is the id the library knows it by.
    return report.id === id ? report : { ...report, id };
  }

  function freshId(): string {
    for (;;) {
      const id = newLibraryId(now());
      if (!existsSync(join(root, id))) return id;
    }
  }

  function save(report: StoredReport, audio: MeasurementAudioData | null): LibraryEntryData {
    if (audio && report.kind === 'latency-lab-av-report') throw new StoreError('invalid-file', 'an A/V measurement keeps no audio of its own');
    ensureRoot();
    let id = isLibraryId(report.id) && !existsSync(join(root, report.id)) ? report.id : freshId();
    const temp = join(root, `${SAVING_PREFIX}${id}-${randomBytes(4).toString('hex')}`);
    mkdirSync(temp);
    try {
      let stored: StoredReport = { ...report, id };
      writeFileAtomic(join(temp, REPORT_FILE), reportJson(stored), { overwrite: false });
      if (audio) {
        writeFileAtomic(join(temp, CAPTURE_FILE), encodeMono(audio.capture, audio.sampleRate), { overwrite: false });
        writeFileAtomic(join(temp, STIMULUS_FILE), encodeMono(audio.reference, audio.sampleRate), { overwrite: false });
      }
      fsyncDirectory(temp);
      // Publish: rename the complete folder into place. rename() would replace an empty folder of
      // the same name, so an existing one is checked first; a lost race (or a case-insensitive
      // name clash) gets a new id.
      for (let attempt = 0; ; attempt++) {
        const target = join(root, id);
        if (!existsSync(target)) {
          try {
            renameSync(temp, target);
            break;
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if ((code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') || attempt >= 5) throw error;
          }
        }
        id = freshId();
        stored = { ...report, id };
        writeFileAtomic(join(temp, REPORT_FILE), reportJson(stored));
      }
      fsyncDirectory(root);
      return libraryEntryOf(stored, audio !== null);
    } catch (error) {
      rmSync(temp, { recursive: true, force: true });
      throw error;
    }
  }

  function list(): LibraryListData {
    const entries: LibraryEntryData[] = [];
    const unreadable: UnreadableEntryData[] = [];
    if (!existsSync(root)) return { entries, unreadable };
    for (const name of readdirSync(root).sort()) {
      if (name.startsWith('.')) continue; // saves in progress or interrupted, OS files
      const dir = join(root, name);
      let isDirectory: boolean;
      try {
        isDirectory = lstatSync(dir).isDirectory();
      } catch {
        continue; // removed while listing
      }
      if (!isDirectory) continue;
      const problem = (reason: string): void => {
        unreadable.push({ folder: printable(name), reason });
        warn(`library: skipping "${printable(name)}": ${reason}`);
      };
      if (!isLibraryId(name)) {
        problem('the folder name is not a library id');
        continue;
      }
      try {
        const report = readStored(name, dir);
        entries.push(libraryEntryOf(report, hasAudioFiles(dir)));
      } catch (error) {
        problem(describe(error));
      }
    }
    return { entries, unreadable };
  }

  function open(id: string): OpenedMeasurementData {
    const dir = folderOf(id);
    const report = readStored(id, dir);
    if (report.kind === 'latency-lab-av-report') return { report, audio: null };
    let audio: MeasurementAudioData | null = null;
    try {
      audio = readMeasurementAudio(dir);
    } catch (error) {
      // The report is still worth showing; the damaged audio is left on disk untouched.
      warn(`library: the audio of "${id}" cannot be read, opening the report without it: ${describe(error)}`);
    }
    return { report, audio };
  }

  function rename(id: string, title: string): LibraryEntryData {
    const dir = folderOf(id);
    const report: StoredReport = { ...readStored(id, dir), title };
    writeFileAtomic(join(dir, REPORT_FILE), reportJson(report));
    return libraryEntryOf(report, hasAudioFiles(dir));
  }

  async function remove(id: string): Promise<void> {
    const dir = folderOf(id);
    try {
      await deps.trashItem(dir);
    } catch (error) {
      throw new StoreError('io', `The measurement could not be moved to the trash (${describe(error)}); nothing was deleted.`);
    }
  }

  function importReportFile(path: string): LibraryEntryData {
    let report: StoredReport;
    try {
      report = readReportFile(path);
    } catch (error) {
      const name = basename(path);
      if (error instanceof StoreError) throw new StoreError(error.kind, `${name}: ${error.message}`);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new StoreError('not-found', `${name} no longer exists.`);
      if (typeof code === 'string') throw new StoreError('io', `${name} cannot be read: ${describe(error)}`);
      throw new StoreError('invalid-file', `${name} cannot be imported: ${describe(error)}`);
    }
    return save({ ...report, id: freshIdFor() }, null);
  }

  function freshIdFor(): string {
    ensureRoot();
    return freshId();
  }

  function cleanupInterruptedSaves(): string[] {
    if (!existsSync(root)) return [];
    const removed: string[] = [];
    for (const name of readdirSync(root)) {
      if (name.startsWith(SAVING_PREFIX)) {
        rmSync(join(root, name), { recursive: true, force: true });
        removed.push(name);
      } else if (isLibraryId(name)) {
        // The temp file of a rename that was interrupted (report.json itself is intact).
        let inside: string[] = [];
        try {
          inside = readdirSync(join(root, name));
        } catch {
          continue;
        }
        for (const file of inside) {
          if (!INTERRUPTED_WRITE.test(file)) continue;
          rmSync(join(root, name, file), { force: true });
          removed.push(`${name}/${file}`);
        }
      }
    }
    return removed;
  }

  return { root, list, save, open, rename, remove, importReportFile, cleanupInterruptedSaves };
}
