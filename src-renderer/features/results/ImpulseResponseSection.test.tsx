// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../shared/report/report-schema';
import { gatedSpeakerCurve } from '../../../shared/report/html/response-views';
import { impulseReport, okReport } from '../../test-support/test-fixtures';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';
import { ImpulseResponseSection } from './ImpulseResponseSection';

installChartLayout();

let report: Report;
beforeAll(() => {
  report = impulseReport();
}, 60_000);

const figureOf = async (title: RegExp): Promise<HTMLElement> => (await screen.findByText(title, { selector: 'figcaption' })).closest('figure') as HTMLElement;

describe('ImpulseResponseSection', () => {
  it('the fixture carries the engine output the views need', () => {
    const fr = report.analysis.frequencyResponse!;
    expect(fr.impulse?.length).toBeGreaterThan(1000);
    expect(fr.windows?.speaker).not.toBeNull();
    expect(fr.distortion?.length).toBeGreaterThan(0);
    expect(fr.decay?.length).toBeGreaterThan(0);
  });

  it('shows nothing for a report without an impulse response', () => {
    const { container } = render(<ImpulseResponseSection report={okReport({ frequencyResponse: true })} />);
    expect(container.innerHTML).toBe('');
  });

  it('draws magnitude, phase, IR, ETC, step and distortion charts, each naming what it shows, and the decay table', async () => {
    render(<ImpulseResponseSection report={report} />);
    expect(await figureOf(/^Magnitude: Room window/)).toBeTruthy();
    expect(await figureOf(/^Phase \(latency removed\): Room window/)).toBeTruthy();
    for (const title of [/^Impulse response$/, /^Energy-time curve/, /^Step response$/, /^Harmonic distortion$/]) {
      const figure = await figureOf(title);
      await within(figure).findByRole('img');
    }
    const ir = await figureOf(/^Impulse response$/);
    expect(within(ir).getByRole('img').getAttribute('aria-label')).toMatch(/Room window/);
    await waitForPath(ir);
    const table = screen.getByRole('table');
    expect(within(table).getByRole('columnheader', { name: 'T30' })).toBeTruthy();
    expect(within(table).getAllByRole('row').length).toBe(report.analysis.frequencyResponse!.decay!.length + 1);
  });

  it('switches to the speaker window: the charts say so, name its lowest valid frequency and grey the band below', async () => {
    render(<ImpulseResponseSection report={report} />);
    fireEvent.click(screen.getByRole('radio', { name: /Speaker/ }));
    const magnitude = await figureOf(/^Magnitude: Speaker window/);
    expect(magnitude.textContent).toMatch(/valid above \d+ Hz/);
    expect(within(magnitude).getByText(/too short for the response to be valid: that band is greyed/)).toBeTruthy();
    expect(within(magnitude).getByText('Low quality (greyed)')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: /Frequency-dependent/ }));
    expect(await figureOf(/^Magnitude: Frequency-dependent window \(15 cycles/)).toBeTruthy();
  });

  it('reads out the value under the cursor, zooms by dragging and resets; the fixed dB scale sets the axis', async () => {
    render(<ImpulseResponseSection report={report} />);
    const etc = await figureOf(/^Energy-time curve/);
    const pointer = await within(etc).findByTestId('chart-pointer');
    fireEvent.mouseMove(pointer, { clientX: 400 });
    expect(within(etc).getByText(/^At [−-]?[\d.]+ ms: Energy-time curve [−-]?[\d.]+ dB/)).toBeTruthy();
    const plot = within(etc).getByRole('img');
    expect(plot.getAttribute('aria-label')).not.toMatch(/zoomed/);
    fireEvent.mouseDown(pointer, { clientX: 100 });
    fireEvent.mouseMove(pointer, { clientX: 300 });
    fireEvent.mouseUp(pointer, { clientX: 300 });
    expect(plot.getAttribute('aria-label')).toMatch(/zoomed/);
    fireEvent.click(within(etc).getByRole('button', { name: 'Reset zoom' }));
    expect(plot.getAttribute('aria-label')).not.toMatch(/zoomed/);
    fireEvent.click(within(etc).getByRole('button', { name: 'Arrival ±2 ms' }));
    expect(plot.getAttribute('aria-label')).toMatch(/from [−-]2\.00 ms to 2\.00 ms \(zoomed\)/);
    fireEvent.click(within(etc).getByRole('checkbox', { name: /Fixed dB scale/ }));
    expect(plot.getAttribute('aria-label')).toMatch(/from -80 to 0\./);

    const magnitude = await figureOf(/^Magnitude: Room window/);
    const magPointer = await within(magnitude).findByTestId('chart-pointer');
    fireEvent.mouseMove(magPointer, { clientX: 500 });
    expect(within(magnitude).getByText(/^At [\d.]+k? Hz: Magnitude [−-]?[\d.]+ dB/)).toBeTruthy();
  });
});

describe('speaker gate set by hand', () => {
  it('recomputes the speaker response from the stored IR; at the engine gate it matches the engine (within 0.5 dB above its lowest valid frequency)', () => {
    const fr = report.analysis.frequencyResponse!;
    const speaker = fr.windows!.speaker!;
    const mine = gatedSpeakerCurve(fr, speaker.endMs)!;
    expect(mine.lowestValidHz).toBeCloseTo(speaker.lowestValidHz, 6);
    const engine = new Map(speaker.points.map((p) => [p.hz.toPrecision(9), p.db]));
    let compared = 0;
    for (const p of mine.points) {
      const db = engine.get(p.hz.toPrecision(9));
      if (db === undefined || p.hz < speaker.lowestValidHz || p.hz > 12000) continue;
      expect(Math.abs(p.db - db), `${p.hz.toFixed(0)} Hz`).toBeLessThan(0.5);
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
    expect(gatedSpeakerCurve(fr, 0.1)).toBeNull();
    expect(gatedSpeakerCurve(fr, 100000)).toBeNull();
  });

  it('the app applies a gate typed by the user, and says when it is out of range', async () => {
    render(<ImpulseResponseSection report={report} />);
    fireEvent.click(screen.getByRole('radio', { name: /Speaker/ }));
    const gate = screen.getByLabelText('Gate end (ms after the arrival)');
    fireEvent.change(gate, { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply gate' }));
    expect(await figureOf(/^Magnitude: Speaker window \(gated [−-]1 to 2 ms re the arrival, gate set by hand; valid above 500 Hz\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Gate at the first reflection' }));
    expect(await figureOf(/^Magnitude: Speaker window \(gated [^)]*first reflection at/)).toBeTruthy();
    fireEvent.change(gate, { target: { value: '9999' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply gate' }));
    expect(screen.getByRole('alert').textContent).toBe('The gate must be 0.5 to 500 ms after the arrival.');
  });
});

async function waitForPath(figure: HTMLElement): Promise<void> {
  await screen.findAllByText(/./, { selector: 'figcaption' });
  await within(figure).findByTestId('chart-pointer');
  expect(figure.querySelector('.recharts-line path, path.recharts-curve')).not.toBeNull();
}
