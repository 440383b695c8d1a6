import { useCallback, useEffect, useState } from 'react';
import { AvPage } from '../features/av';
import { LibraryPage } from '../features/library';
import { MeasurePage } from '../features/measure';
import { ResultsPage } from '../features/results';
import { SettingsPage } from '../features/settings';
import { type AppSettings, DEFAULT_SETTINGS, type MenuCommand } from '../host/host-api';
import { useHost } from '../host/host-context';
import type { OpenAvMeasurement, OpenMeasurement } from '../navigation/open-measurement';

export type PageId = 'measure' | 'results' | 'av' | 'library' | 'settings';

const PAGES: Array<{ id: PageId; label: string; shortcut: string }> = [
  { id: 'measure', label: 'Measure', shortcut: '1' },
  { id: 'results', label: 'Results', shortcut: '2' },
  { id: 'library', label: 'Library', shortcut: '3' },
  { id: 'settings', label: 'Settings', shortcut: '4' },
  { id: 'av', label: 'A/V sync', shortcut: '5' },
];

export function App() {
  const host = useHost();
  const [page, setPage] = useState<PageId>('measure');
  const [settings, setSettings] = useState<AppSettings>(DEFAULT_SETTINGS);
  const [settingsError, setSettingsError] = useState<string | null>(null);
  const [measurement, setMeasurement] = useState<OpenMeasurement | null>(null);
  /** An A/V measurement opened from the library, shown on the A/V page. */
  const [avMeasurement, setAvMeasurement] = useState<OpenAvMeasurement | null>(null);
  /** Bumped to ask the library to reload, and Results to open its export panel. */
  const [libraryVersion, setLibraryVersion] = useState(0);
  const [exportRequest, setExportRequest] = useState(0);
  const [importRequest, setImportRequest] = useState(0);

  useEffect(() => {
    let alive = true;
    host.settings
      .load()
      .then((loaded) => alive && setSettings(loaded))
      .catch((error: Error) => alive && setSettingsError(`Settings could not be loaded (${error.message}); defaults are in use.`));
    return () => {
      alive = false;
    };
  }, [host]);

  const changeSettings = useCallback(
    (next: AppSettings) => {
      setSettings(next);
      host.settings.save(next).then(
        () => setSettingsError(null),
        (error: Error) => setSettingsError(`Settings could not be saved: ${error.message}`),
      );
    },
    [host],
  );

  const open = useCallback((m: OpenMeasurement) => {
    setMeasurement(m);
    setPage('results');
  }, []);

  const openAv = useCallback((m: OpenAvMeasurement) => {
    setAvMeasurement(m);
    setPage('av');
  }, []);

  useEffect(
    () =>
      host.onMenuCommand((command: MenuCommand) => {
        if (command === 'new-measurement') setPage('measure');
        else if (command === 'library') setPage('library');
        else if (command === 'settings') setPage('settings');
        else if (command === 'open-report') {
          setPage('library');
          setImportRequest((n) => n + 1);
        } else if (command === 'export') {
          setPage('results');
          setExportRequest((n) => n + 1);
        }
      }),
    [host],
  );

  // Ctrl/Cmd + 1..5 switch pages, in the browser and the desktop app alike.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const target = PAGES.find((p) => p.shortcut === event.key);
      if (target) {
        event.preventDefault();
        setPage(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">Latency Lab</h1>
        <nav aria-label="Main">
          <ul className="app-nav">
            {PAGES.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="nav-button"
                  aria-current={page === p.id ? 'page' : undefined}
                  onClick={() => setPage(p.id)}
                  title={`${p.label} (Ctrl+${p.shortcut})`}
                >
                  {p.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {settingsError && (
        <p className="banner banner-warning" role="alert">
          {settingsError}
        </p>
      )}
      <main className="app-main">
        {/* Measure stays mounted so a running measurement survives a look at another page. */}
        <div hidden={page !== 'measure'}>
          <MeasurePage settings={settings} onSettingsChange={changeSettings} onMeasured={open} />
        </div>
        {page === 'results' && (
          <ResultsPage
            measurement={measurement}
            settings={settings}
            exportRequest={exportRequest}
            onMeasurementChange={setMeasurement}
            onSaved={() => setLibraryVersion((n) => n + 1)}
            onNewMeasurement={() => setPage('measure')}
          />
        )}
        {/* The A/V page stays mounted too, so a decode or analysis in progress survives a look elsewhere. */}
        <div hidden={page !== 'av'}>
          <AvPage settings={settings} onSettingsChange={changeSettings} opened={avMeasurement} onSaved={() => setLibraryVersion((n) => n + 1)} />
        </div>
        {page === 'library' && <LibraryPage onOpen={open} onOpenAv={openAv} libraryVersion={libraryVersion} importRequest={importRequest} />}
        {page === 'settings' && <SettingsPage settings={settings} onSettingsChange={changeSettings} />}
      </main>
    </div>
  );
}
