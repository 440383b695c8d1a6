/**
 * The `latency-lab` command. Built into out/cli/latency-lab.mjs by build-cli.mjs (the package's
 * `prepare` script), so it starts without transpiling.
 *
 * Exit codes: 0 a result, 1 the analysis refused the capture, 2 bad usage or an unreadable file,
 * 3 an internal error (a bug).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadClaimsCatalogue } from '../../shared/claims/claims-catalogue';
import { SOFTWARE_VERSION } from '../../shared/primitives/version';
import { analyzeCommand, type AnalyzeArgs, formatMultiOutput, formatMultiSpeaker } from './analyze-command';
import { runAvCommand } from './av-commands';
import { CliError, oneLine, printable, printableJson } from './cli-io';
import { formatAnalysis, formatMethods } from './format-text';
import { generateCommand, type GenerateArgs } from './generate-command';
import { reportCommand, type ReportArgs } from './report-command';
import { useWorkHelper } from './transform-thread';

const USAGE = `latency-lab ${SOFTWARE_VERSION}: measure a speaker setup's latency and frequency response

Usage:
  latency-lab generate --signal click|pink|sweep --out FILE.wav
                       [--duration S] [--rate HZ] [--seed N] [--level DBFS] [--format float32|pcm16|pcm24|pcm32] [--force]
                       [--outputs K]  (clicks: a K-channel reference, one channel per output, measured in one run)
  latency-lab analyze  --reference REF.wav --capture CAP.wav [options]
  latency-lab analyze  --capture STEREO.wav --reference-channel N [--capture-channel M] [options]
  latency-lab methods  [--json]
  latency-lab report   REPORT.json [--html OUT.html] [--csv-fr OUT.csv] [--csv-events OUT.csv] [--csv-group OUT.csv] [--ir-wav OUT.wav] [--force]
  latency-lab av-pattern --out FILE.mp4 [--duration S] [--fps N] [--force]
  latency-lab av-analyze --video FILE [--json] [--distance-m X] [--camera-offset-ms Y [--camera-offset-uncertainty-ms Z] [--camera-calibration-fps F]]
                       [--report R [--title T] [--setup S]] [--progress] [--force]
  latency-lab av-calibrate --video FILE [--reference-offset-ms X] [--reference-uncertainty-ms Y] [--distance-m D] [--json]
                       (the camera's own A/V offset, from the pattern filmed on a display and speaker of known offset)

Analyze options:
  --json                 print one JSON object (see README, "JSON output")
  --baseline-ms X        the computer's own round trip; adds "added" latency = measured − X
  --method ID            compare with a documented claim (ids: latency-lab methods)
  --profile FILE.json    compare with your own profile {"name", "minMs"?, "maxMs", "statistic"?}
  --video-latency-ms X   display's video latency for the lip-sync A/V offset (default 0)
  --mic-cal FILE         microphone calibration (freq dB [phase] lines, e.g. UMIK-1)
  --max-latency-ms X     longest latency searched for (default 2000)
  --weighting phat|none  correlation weighting (default phat)
  --smoothing N          frequency response smoothing 1/N octave: 0 1 2 3 6 12 24 48 (default 12)
  --capture-channel N    channel of the capture to analyse (1-based)
  --sync-tolerance-ms X  with a --outputs reference: largest spread between outputs that is in sync
                         (default 10, a stereo pair; 40 across rooms)
  --speakers N           one signal on N speakers: each one's latency, level and drift, and their spread
                         (a click reference; refused when the arrivals cannot be told apart)
  --report FILE.json     also write the full versioned report
  --title TEXT, --setup TEXT   report title and a description of the setup measured
  --force                replace an existing --report file

Report options (at least one output):
  --html FILE            a self-contained HTML report (no network, printable) for a review
  --csv-fr FILE          the frequency response as text Room EQ Wizard imports (freq, dB, phase)
  --smoothing N          re-smooth --csv-fr to 1/N octave: 0 1 2 3 6 12 24 48 (default: as stored)
  --coherence            add coherence as a 4th --csv-fr column (for spreadsheets, not REW)
  --csv-events FILE      every event: time_s, latency_ms, confidence, status, peak_to_noise_db
  --csv-group FILE       several outputs or speakers: one row each (latency, level, drift, offset), the spread, the verdicts
  --ir-wav FILE          the impulse response as a 32-bit float WAV Room EQ Wizard imports
  --window W             the response window of the --html magnitude and phase: room (default), speaker, fdw
  --force                replace existing output files

Exit codes: 0 result, 1 refused (the capture cannot support a number), 2 bad usage or unreadable file,
3 internal error (a bug: please report it).`;

function run(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${SOFTWARE_VERSION}\n`);
    return 0;
  }
  const parseWithPositionals = <T>(options: NonNullable<ParseArgsConfig['options']>, allowPositionals: boolean): { values: T; positionals: string[] } => {
    // parseArgs takes "-20" after an option for another option; levels and offsets are often
    // negative ("--level -20"), so a negative number after a string option becomes its value.
    const args: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const name = /^--([^=]+)$/.exec(rest[i])?.[1];
      if (name !== undefined && options?.[name]?.type === 'string' && /^-(\d|\.\d)/.test(rest[i + 1] ?? '')) {
        args.push(`${rest[i]}=${rest[i + 1]}`);
        i++;
      } else args.push(rest[i]);
    }
    try {
      const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
      if ((values as { help?: boolean }).help) {
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      }
      return { values: values as T, positionals };
    } catch (error) {
      // One line on stderr: Node's messages can span several lines.
      const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s*\n\s*/g, ' ');
      throw new CliError(`${message} (latency-lab --help for usage)`);
    }
  };
  const parse = <T>(options: NonNullable<ParseArgsConfig['options']>): T => parseWithPositionals<T>(options, false).values;
  switch (command) {
    case 'generate': {
      const args = parse<GenerateArgs>({
        signal: { type: 'string' }, duration: { type: 'string' }, rate: { type: 'string' }, seed: { type: 'string' },
        level: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, force: { type: 'boolean' },
        outputs: { type: 'string' },
      });
      process.stdout.write(`${printable(generateCommand(args))}\n`);
      return 0;
    }
    case 'analyze': {
      const args = parse<AnalyzeArgs>({
        reference: { type: 'string' }, capture: { type: 'string' }, 'reference-channel': { type: 'string' }, 'capture-channel': { type: 'string' },
        json: { type: 'boolean' }, 'baseline-ms': { type: 'string' }, method: { type: 'string' }, profile: { type: 'string' },
        'mic-cal': { type: 'string' }, 'video-latency-ms': { type: 'string' }, 'max-latency-ms': { type: 'string' },
        weighting: { type: 'string' }, smoothing: { type: 'string' }, report: { type: 'string' }, title: { type: 'string' },
        setup: { type: 'string' }, force: { type: 'boolean' }, 'sync-tolerance-ms': { type: 'string' },
        speakers: { type: 'string' },
      });
      // A second thread for the largest loops, started when the first whole-capture transform comes.
      useWorkHelper(new URL('./transform-helper.mjs', import.meta.url));
      const result = analyzeCommand(args);
      // A multi-output reference: one result per output and their sync, its own JSON shape.
      // Several outputs or speakers: each its own JSON shape; the result is printed even when the report could not be written.
      if ('multiOutput' in result || 'multiSpeaker' in result) {
        const ok = 'multiOutput' in result ? result.multiOutput.status === 'ok' : result.multiSpeaker.status === 'ok';
        if (args.json) process.stdout.write(`${printableJson('multiOutput' in result ? result.multiOutput : result.multiSpeaker)}\n`);
        else {
          const text = 'multiOutput' in result ? formatMultiOutput(result.multiOutput) : formatMultiSpeaker(result.multiSpeaker);
          process.stdout.write(printable(`${text}${result.reportPath ? `Report    written to ${result.reportPath}\n` : ''}`));
        }
        if (result.reportError) throw new CliError(result.reportError);
        return ok ? 0 : 1;
      }
      const { output, claim, reportPath, reportError } = result;
      // Everything printed is free of control characters: profile names, titles and file names are the user's text.
      if (args.json) process.stdout.write(`${printableJson(output)}\n`);
      else process.stdout.write(printable(`${formatAnalysis(output, claim)}\n${reportPath ? `Report    written to ${reportPath}\n` : ''}`));
      // The result is printed either way; a report that could not be written is still an error.
      if (reportError) throw new CliError(reportError);
      return output.status === 'ok' ? 0 : 1;
    }
    case 'methods': {
      const args = parse<{ json?: boolean }>({ json: { type: 'boolean' } });
      if (args.json) process.stdout.write(`${printableJson(loadClaimsCatalogue().claims)}\n`);
      else process.stdout.write(`${printable(formatMethods())}\n`);
      return 0;
    }
    case 'report': {
      const { values, positionals } = parseWithPositionals<ReportArgs>(
        {
          html: { type: 'string' }, 'csv-fr': { type: 'string' }, 'csv-events': { type: 'string' }, 'csv-group': { type: 'string' }, smoothing: { type: 'string' },
          coherence: { type: 'boolean' }, force: { type: 'boolean' }, 'ir-wav': { type: 'string' }, window: { type: 'string' },
        },
        true,
      );
      process.stdout.write(`${printable(reportCommand(positionals, values))}\n`);
      return 0;
    }
    case 'av-pattern':
    case 'av-analyze':
    case 'av-calibrate':
      return runAvCommand(command, rest);
    default:
      throw new CliError(`unknown command "${command}"; use generate, analyze or methods to measure, report to render a saved report (latency-lab --help)`);
  }
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`latency-lab: ${oneLine(error.message)}\n`);
    process.exitCode = 2;
  } else {
    // A bug, not a user error: still one line, with a pointer for the report.
    process.stderr.write(`latency-lab: internal error: ${oneLine((error as Error).message ?? String(error))} (please report this)\n`);
    process.exitCode = 3;
  }
}
