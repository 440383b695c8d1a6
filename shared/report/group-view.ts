/**
 * What the app, the HTML report and the CSV show of several speakers measured together (a report's
 * `group`): one table row per output or speaker, the spread, the sync and the verdicts, and the
 * refusals with their advice. Written once here so every view says the same.
 */
import type { MultiSpeakerRefusalReason } from '../analysis/multi-speaker';
import type { ReportGroup } from './report-schema';

export interface GroupRow {
  /** "Output 2 (Left speaker)", "Speaker heard 1st", "Speaker 3". */
  name: string;
  status: 'ok' | 'refused';
  latencyMs: number | null;
  levelDb: number | null;
  driftPpm: number | null;
  /** Latency less the first output's (several outputs) or the earliest speaker's, ms. */
  offsetMs: number | null;
  events: number | null;
  dropouts: number | null;
  /** A refused row: why, and what to do. */
  refusal: { message: string; advice: string } | null;
}

export interface GroupView {
  /** "Several outputs", "One stream on 2 speakers", "Guided: 3 speakers, one run next to each". */
  title: string;
  rows: GroupRow[];
  /** Largest spread between them, ms; null when there is none to give. */
  spreadMs: number | null;
  /** How the spread is defined for this kind of run. */
  spreadBasis: string;
  /** Several outputs: each output against the first, over the run. */
  pairs: Array<{ name: string; offsetStartMs: number; offsetEndMs: number; relativeDriftPpm: number | null; relativeDriftMsPerMinute: number | null }>;
  /** The whole run refused: why, and what to do. */
  refusal: { message: string; advice: string } | null;
  warnings: string[];
}

/**
 * What to do when one stream's speakers cannot be told apart, per refusal reason (typed by string:
 * the analysis may learn new reasons; those get GENERIC_SPEAKER_ADVICE).
 */
export const SPEAKER_REFUSAL_ADVICE: Readonly<Record<string, string>> = {
  NOT_CLICKS: 'Play the click train: only its clicks can be followed speaker by speaker.',
  TOO_FEW_EVENTS: 'Measure for longer (at least 20 s) so every speaker\'s clicks can be followed.',
  TOO_WEAK_OR_TOO_CLOSE: 'Put the microphone where every speaker is heard at a similar level, or use the guided mode (the microphone next to each speaker in turn).',
  TOO_CLOSE: 'The arrivals are closer than the clicks can separate: move the microphone so the distances to the speakers differ by a metre or more, or use the guided mode.',
  SAME_CLOCK: 'A second arrival keeps a fixed distance to the first: a reflection, or a speaker on the same clock. Use the guided mode, or several outputs (each its own clicks).',
  JUMP_OR_TAKEOVER: 'Run again; if it repeats, use the guided mode (the microphone next to each speaker in turn).',
};

export const GENERIC_SPEAKER_ADVICE = 'Run again, or use the guided mode (the microphone next to each speaker in turn).';

export const speakerRefusalAdvice = (reason: MultiSpeakerRefusalReason): string => (Object.hasOwn(SPEAKER_REFUSAL_ADVICE, reason) ? SPEAKER_REFUSAL_ADVICE[reason] : GENERIC_SPEAKER_ADVICE);

export const TOLERANCE_SOURCE_LABELS: Record<ReportGroup['tolerance']['source'], string> = {
  'stereo-pair': 'stereo pair default',
  rooms: 'across-rooms default',
  custom: 'chosen',
};

const ordinal = (n: number): string => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

export function groupView(group: ReportGroup): GroupView {
  switch (group.kind) {
    case 'outputs': {
      const r = group.result;
      const nameOf = (channel: number): string => {
        const device = group.outputs.find((o) => o.channel === channel)?.device;
        return `Output ${channel}${device ? ` (${device.label})` : ''}`;
      };
      const rows: GroupRow[] = r.outputs.map((o) => ({
        name: nameOf(o.channel),
        status: o.status,
        latencyMs: o.latency?.medianMs ?? null,
        levelDb: o.levelDb ?? null,
        driftPpm: o.drift?.ppm ?? null,
        offsetMs: o.offsetFromFirstMs ?? null,
        events: o.latency?.count ?? null,
        dropouts: o.latency?.dropouts ?? null,
        refusal: o.status === 'refused' ? { message: o.error?.message ?? 'No result.', advice: o.error?.advice ?? '' } : null,
      }));
      const pairs = (r.sync?.pairs ?? []).map((p) => ({ name: `${nameOf(p.channel)} vs ${nameOf(r.sync?.firstChannel ?? 1)}`, ...p }));
      const refusal = r.status === 'refused'
        ? { message: 'No output could be measured.', advice: 'Check that every chosen output plays and the microphone hears them; see each output\'s reason below.' }
        : null;
      const warnings = [...r.warnings.filter((w) => w.code !== 'OUTPUT_REFUSED').map((w) => w.message), ...r.outputs.flatMap((o) => o.warnings.map((w) => `${nameOf(o.channel)}: ${w.message}`))];
      return {
        title: `Several outputs (${group.outputs.length})`, rows, spreadMs: r.sync?.maxSpreadMs ?? null,
        spreadBasis: 'latest minus earliest output along their drift lines, the larger of the run\'s start and end', pairs, refusal, warnings,
      };
    }
    case 'speakers': {
      const r = group.result;
      const arrivals = r.status === 'ok' ? r.speakers : r.found;
      const first = arrivals[0]?.latencyMs ?? 0;
      const rows: GroupRow[] = arrivals.map((s, k) => ({
        name: `Speaker heard ${ordinal(k + 1)}`, status: 'ok', latencyMs: s.latencyMs, levelDb: s.levelDb, driftPpm: s.driftPpm, offsetMs: s.latencyMs - first, events: s.events, dropouts: s.dropouts, refusal: null,
      }));
      const refusal = r.status === 'refused' ? { message: r.message, advice: speakerRefusalAdvice(r.reason) } : null;
      return {
        title: `One stream on ${group.speakers} speakers`, rows, spreadMs: r.status === 'ok' ? r.syncSpreadMs : null,
        spreadBasis: 'last minus first arrival (medians over the run)', pairs: [], refusal, warnings: r.status === 'ok' ? r.warnings.map((w) => w.message) : [],
      };
    }
    case 'guided': {
      const r = group.result;
      const assigned = r.speakers;
      const first = assigned.length > 0 ? Math.min(...assigned.map((s) => s.latencyMs)) : 0;
      const rows: GroupRow[] = assigned.map((s) => ({
        name: `Speaker ${s.speaker}`, status: 'ok', latencyMs: s.latencyMs, levelDb: s.levelDb, driftPpm: s.driftPpm, offsetMs: s.latencyMs - first, events: null, dropouts: null, refusal: null,
      }));
      const refusal = r.status === 'refused' ? { message: r.message, advice: r.advice } : null;
      return {
        title: `Guided: ${group.speakers} speakers, one run next to each`, rows, spreadMs: r.status === 'ok' ? r.syncSpreadMs : null,
        spreadBasis: 'latest minus earliest speaker, each measured in its own run', pairs: [], refusal, warnings: r.status === 'ok' ? r.warnings.map((w) => w.message) : [],
      };
    }
  }
}
