/**
 * Settings: the display's video latency (for the lip-sync A/V offset), custom claim profiles
 * (your own expectation for a setup, validated by createCustomClaim), the stored baselines,
 * microphone calibrations and the cameras' A/V offsets (calibrated on the A/V page).
 */
import { type FormEvent, useId, useRef, useState } from 'react';
import { type Claim, type ClaimStatistic, createCustomClaim, formatExpectation } from '../../../shared/claims/claims-catalogue';
import type { AppSettings, StoredBaseline } from '../../host/host-api';
import { STATISTIC_LABELS } from '../../../shared/report/labels';
import { formatDateTime, formatMs, formatPercent } from '../../ui/format/format';
import './settings.css';
import { MicCalibrationSection } from './MicCalibrationSection';
import { CameraOffsetsSection } from './CameraOffsetsSection';
import { VIDEO_LATENCY_MS } from '../../../shared/contract/ipc-contract';

/** Largest video latency accepted (a slow TV processing mode is a few hundred ms). */
export const MAX_VIDEO_LATENCY_MS = VIDEO_LATENCY_MS.max;

const STATISTICS: ClaimStatistic[] = ['median', 'mean', 'max', 'min', 'p95', 'spread'];

type Field = 'name' | 'description' | 'type' | 'minMs' | 'maxMs' | 'statistic' | 'form';

interface ProfileForm {
  /** Id of the profile being edited; null for a new one. */
  editingId: string | null;
  name: string;
  description: string;
  type: 'range' | 'up-to';
  minMs: string;
  maxMs: string;
  statistic: ClaimStatistic;
}

const EMPTY_FORM: ProfileForm = { editingId: null, name: '', description: '', type: 'up-to', minMs: '', maxMs: '', statistic: 'median' };

/** Which field a createCustomClaim message is about (its messages start with the field's name). */
export function fieldOfError(message: string): Field {
  if (/^name\b/i.test(message)) return 'name';
  if (/^description\b/i.test(message)) return 'description';
  if (/^minimum\b/i.test(message)) return 'minMs';
  if (/^maximum\b/i.test(message)) return 'maxMs';
  if (/^statistic\b/i.test(message)) return 'statistic';
  if (/^type\b/i.test(message)) return 'type';
  return 'form';
}

/** A message fit to show next to its field: "minimum must not be negative" → "Minimum must not be negative." */
const sentence = (message: string): string => {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
};

/** Number input text → number, undefined when empty (createCustomClaim then says what is missing). */
const numberOrUndefined = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

export function validateVideoLatency(text: string): { value: number } | { error: string } {
  if (text.trim() === '') return { error: 'Enter the display’s video latency in milliseconds (0 if you do not know it).' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: 'The video latency must be a number of milliseconds.' };
  if (value < VIDEO_LATENCY_MS.min) return { error: 'The video latency cannot be negative: a display shows the picture after it receives it.' };
  if (value > MAX_VIDEO_LATENCY_MS) return { error: `The video latency must be at most ${MAX_VIDEO_LATENCY_MS} ms.` };
  return { value };
}

function VideoLatencySection({ settings, onSettingsChange }: { settings: AppSettings; onSettingsChange(s: AppSettings): void }) {
  const ids = useId();
  const [text, setText] = useState(String(settings.videoLatencyMs));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // Settings loaded after mount (or changed elsewhere) replace the field's text when it was not being edited.
  const [shownValue, setShownValue] = useState(settings.videoLatencyMs);
  if (settings.videoLatencyMs !== shownValue) {
    setShownValue(settings.videoLatencyMs);
    setText(String(settings.videoLatencyMs));
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateVideoLatency(text);
    if ('error' in result) {
      setError(result.error);
      setSaved(false);
      return;
    }
    setError(null);
    setSaved(true);
    setShownValue(result.value);
    onSettingsChange({ ...settings, videoLatencyMs: result.value });
  };

  return (
    <section className="panel" aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`}>Display video latency</h3>
      <p className="muted">
        How long your TV or monitor takes to show a picture (its “input lag”, often in its manual or a review; 0 if unknown). The lip-sync check uses audio latency − video latency: a
        slow display hides some audio delay.
      </p>
      <form className="inline-form" onSubmit={submit} noValidate>
        <div>
          <label htmlFor={`${ids}-video`}>Video latency (ms)</label>
          <input
            id={`${ids}-video`}
            type="number"
            inputMode="decimal"
            min={VIDEO_LATENCY_MS.min}
            max={MAX_VIDEO_LATENCY_MS}
            step="any"
            value={text}
            aria-invalid={error !== null}
            aria-describedby={error ? `${ids}-video-error` : undefined}
            onChange={(e) => {
              setText(e.target.value);
              setSaved(false);
            }}
          />
        </div>
        <button type="submit" className="primary">
          Apply
        </button>
        {saved && !error && (
          <span className="status-ok" role="status">
            Saved: new measurements use {formatMs(settings.videoLatencyMs, 0)}.
          </span>
        )}
      </form>
      {error && (
        <p id={`${ids}-video-error`} className="status-bad field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function ProfilesSection({ settings, onSettingsChange }: { settings: AppSettings; onSettingsChange(s: AppSettings): void }) {
  const ids = useId();
  const [form, setForm] = useState<ProfileForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<Partial<Record<Field, string[]>>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const profiles = settings.customClaims;

  const update = (patch: Partial<ProfileForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setMessage(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const description = form.description.trim();
    const input = {
      type: form.type,
      name: form.name,
      ...(description !== '' ? { description } : {}),
      ...(form.type === 'range' ? { minMs: numberOrUndefined(form.minMs) } : {}),
      maxMs: numberOrUndefined(form.maxMs),
      statistic: form.statistic,
    };
    const result = createCustomClaim(input);
    if (!result.ok) {
      const next: Partial<Record<Field, string[]>> = {};
      for (const e of result.errors) (next[fieldOfError(e)] ??= []).push(sentence(e));
      setErrors(next);
      return;
    }
    const claim = result.claim;
    const clash = profiles.find((p) => p.id === claim.id && p.id !== form.editingId);
    if (clash) {
      setErrors({ name: [`A profile with this name already exists (“${clash.name}”, id ${clash.id}). Choose a different name.`] });
      return;
    }
    const customClaims = form.editingId === null ? [...profiles, claim] : profiles.map((p) => (p.id === form.editingId ? claim : p));
    onSettingsChange({ ...settings, customClaims });
    setErrors({});
    setForm(EMPTY_FORM);
    setMessage(form.editingId === null ? `Profile “${claim.name}” created. Choose it on the Measure page.` : `Profile “${claim.name}” updated.`);
  };

  const edit = (claim: Claim) => {
    const e = claim.expectation;
    setForm({
      editingId: claim.id,
      name: claim.name,
      description: claim.description ?? '',
      type: e.type === 'range' ? 'range' : 'up-to',
      minMs: e.type === 'range' ? String(e.minMs) : '',
      maxMs: e.type === 'range' || e.type === 'up-to' ? String(e.maxMs) : '',
      statistic: e.statistic,
    });
    setErrors({});
    setMessage(null);
    nameInput.current?.focus();
  };

  const remove = (claim: Claim) => {
    onSettingsChange({ ...settings, customClaims: profiles.filter((p) => p.id !== claim.id) });
    setConfirmDelete(null);
    if (form.editingId === claim.id) setForm(EMPTY_FORM);
    setMessage(`Profile “${claim.name}” deleted. Reports made with it keep their copy of it.`);
  };

  const fieldErrors = (field: Field) => {
    const list = errors[field];
    if (!list || list.length === 0) return null;
    // The alert wraps the list: role="alert" on the <ul> itself would take away its list semantics.
    return (
      <div id={`${ids}-${field}-error`} role="alert">
        <ul className="field-errors status-bad">
          {list.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </div>
    );
  };
  const invalid = (field: Field) => ({
    'aria-invalid': errors[field] !== undefined,
    'aria-describedby': errors[field] ? `${ids}-${field}-error` : undefined,
  });

  return (
    <section className="panel" aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`}>Custom claim profiles</h3>
      <p className="muted">
        Your own expectation for a setup (a maker’s spec, a figure from a forum), to compare measurements with alongside the articles’ claims. Reports keep a copy of the profile they
        were checked against.
      </p>
      {profiles.length === 0 ? (
        <p className="muted">No profiles yet.</p>
      ) : (
        <table className="profiles-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Expectation</th>
              <th scope="col">Description</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  {p.name}
                  <span className="muted mono id-text">{p.id}</span>
                </th>
                <td>
                  {formatExpectation(p.expectation)} <span className="muted">({STATISTIC_LABELS[p.expectation.statistic]})</span>
                </td>
                <td>{p.description ?? <span className="muted">—</span>}</td>
                <td className="actions-cell">
                  {confirmDelete === p.id ? (
                    <>
                      <span className="muted">Delete?</span>
                      <button type="button" className="danger small" onClick={() => remove(p)}>
                        Delete
                      </button>
                      <button type="button" className="secondary small" onClick={() => setConfirmDelete(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <>
                      <button type="button" className="secondary small" onClick={() => edit(p)} aria-label={`Edit “${p.name}”`}>
                        Edit
                      </button>
                      <button type="button" className="secondary small" onClick={() => setConfirmDelete(p.id)} aria-label={`Delete “${p.name}”`}>
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {message && (
        <p className="status-ok" role="status">
          {message}
        </p>
      )}

      <form className="profile-form" onSubmit={submit} noValidate aria-labelledby={`${ids}-form-heading`}>
        <h4 id={`${ids}-form-heading`}>{form.editingId === null ? 'New profile' : `Edit “${profiles.find((p) => p.id === form.editingId)?.name ?? ''}”`}</h4>
        <div className="form-grid">
          <div className="field field-wide">
            <label htmlFor={`${ids}-name`}>Name</label>
            <input ref={nameInput} id={`${ids}-name`} type="text" value={form.name} maxLength={200} onChange={(e) => update({ name: e.target.value })} {...invalid('name')} />
            {fieldErrors('name')}
          </div>
          <div className="field field-wide">
            <label htmlFor={`${ids}-description`}>Description (optional)</label>
            <textarea id={`${ids}-description`} rows={2} value={form.description} onChange={(e) => update({ description: e.target.value })} {...invalid('description')} />
            {fieldErrors('description')}
          </div>
          <fieldset className="field" {...invalid('type')}>
            <legend>Expectation</legend>
            <label className="inline-option">
              <input type="radio" name={`${ids}-type`} checked={form.type === 'up-to'} onChange={() => update({ type: 'up-to' })} />
              Up to a maximum
            </label>
            <label className="inline-option">
              <input type="radio" name={`${ids}-type`} checked={form.type === 'range'} onChange={() => update({ type: 'range' })} />
              A range (minimum–maximum)
            </label>
            {fieldErrors('type')}
          </fieldset>
          {form.type === 'range' && (
            <div className="field">
              <label htmlFor={`${ids}-min`}>Minimum (ms)</label>
              <input id={`${ids}-min`} type="number" inputMode="decimal" step="any" min={0} value={form.minMs} onChange={(e) => update({ minMs: e.target.value })} {...invalid('minMs')} />
              {fieldErrors('minMs')}
            </div>
          )}
          <div className="field">
            <label htmlFor={`${ids}-max`}>Maximum (ms)</label>
            <input id={`${ids}-max`} type="number" inputMode="decimal" step="any" min={0} value={form.maxMs} onChange={(e) => update({ maxMs: e.target.value })} {...invalid('maxMs')} />
            {fieldErrors('maxMs')}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-statistic`}>Compared with the measured</label>
            <select id={`${ids}-statistic`} value={form.statistic} onChange={(e) => update({ statistic: e.target.value as ClaimStatistic })} {...invalid('statistic')}>
              {STATISTICS.map((s) => (
                <option key={s} value={s}>
                  {STATISTIC_LABELS[s]}
                </option>
              ))}
            </select>
            {fieldErrors('statistic')}
          </div>
        </div>
        {fieldErrors('form')}
        <div className="button-row">
          <button type="submit" className="primary">
            {form.editingId === null ? 'Create profile' : 'Save changes'}
          </button>
          {form.editingId !== null && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setForm(EMPTY_FORM);
                setErrors({});
              }}
            >
              Cancel editing
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function BaselinesSection({ settings, onSettingsChange }: { settings: AppSettings; onSettingsChange(s: AppSettings): void }) {
  const ids = useId();
  const [message, setMessage] = useState<string | null>(null);
  const baselines = settings.baselines;
  const remove = (b: StoredBaseline) => {
    onSettingsChange({ ...settings, baselines: baselines.filter((x) => x !== b) });
    setMessage(`The baseline for ${b.outputDeviceLabel} → ${b.inputDeviceLabel} was deleted.`);
  };
  return (
    <section className="panel" aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`}>Baselines</h3>
      <p className="muted">
        The computer’s own round trip for a pair of devices, measured once on a wired path (Measure › baseline). Measurements with the same devices subtract it to report the latency
        the speaker adds. Each applies exactly only in the audio session it was measured in (the Measure page says when a run would use one from another session, and
        offers to re-measure it).
      </p>
      {baselines.length === 0 ? (
        <p className="muted">No baselines stored.</p>
      ) : (
        <table className="baselines-table">
          <thead>
            <tr>
              <th scope="col">Output</th>
              <th scope="col">Input</th>
              <th scope="col" className="num">
                Baseline
              </th>
              <th scope="col" className="num">
                Confidence
              </th>
              <th scope="col">Measured</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {baselines.map((b) => (
              <tr key={`${b.outputDeviceLabel}\u0000${b.inputDeviceLabel}\u0000${b.measuredAt}`}>
                <td>{b.outputDeviceLabel}</td>
                <td>{b.inputDeviceLabel}</td>
                <td className="num">{formatMs(b.baselineMs)}</td>
                <td className="num">{formatPercent(b.confidence)}</td>
                <td>
                  {formatDateTime(b.measuredAt)}
                  <span className="entry-sub muted">{b.sampleRate !== undefined ? `${b.sampleRate} Hz` : 'rate and audio session not recorded (an earlier version)'}</span>
                </td>
                <td className="actions-cell">
                  <button type="button" className="secondary small" onClick={() => remove(b)} aria-label={`Delete the baseline for ${b.outputDeviceLabel} → ${b.inputDeviceLabel}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {message && (
        <p className="status-ok" role="status">
          {message}
        </p>
      )}
    </section>
  );
}

export function SettingsPage(props: { settings: AppSettings; onSettingsChange(s: AppSettings): void }) {
  const { settings, onSettingsChange } = props;
  return (
    <div className="settings-page">
      <h2>Settings</h2>
      <VideoLatencySection settings={settings} onSettingsChange={onSettingsChange} />
      <ProfilesSection settings={settings} onSettingsChange={onSettingsChange} />
      <BaselinesSection settings={settings} onSettingsChange={onSettingsChange} />
      <MicCalibrationSection settings={settings} onSettingsChange={onSettingsChange} />
      <CameraOffsetsSection settings={settings} onSettingsChange={onSettingsChange} />
    </div>
  );
}
