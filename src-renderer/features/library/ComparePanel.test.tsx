// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { okReport } from '../../test-support/test-fixtures';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';
import { ComparePanel, MAX_EXTRA_CURVES } from './ComparePanel';

installChartLayout();

const curveFile = (name: string, offsetDb: number): File => new File([[20, 100, 1000, 10000, 20000].map((hz) => `${hz} ${offsetDb + (hz === 1000 ? 0 : 1)}`).join('\n')], name, { type: 'text/plain' });

describe('compare panel: more than two overlays', () => {
  it('overlays imported curves on A and B, reads every curve at the cursor, and removes one', async () => {
    const a = okReport({ title: 'A run', frequencyResponse: true });
    const b = okReport({ title: 'B run', frequencyResponse: true, bassDb: 0, id: 'report-0002' });
    render(<ComparePanel a={a} b={b} onClose={vi.fn()} />);
    const input = screen.getByLabelText('Overlay a curve file (freq dB [phase])');
    fireEvent.change(input, { target: { files: [curveFile('maker.txt', 0)] } });
    await screen.findByRole('button', { name: 'Remove overlay C: maker.txt' });
    fireEvent.change(input, { target: { files: [curveFile('rew.txt', -2)] } });
    await screen.findByRole('button', { name: 'Remove overlay D: rew.txt' });

    const figure = (await screen.findByText('Frequency response', { selector: 'figcaption' })).closest('figure') as HTMLElement;
    const legend = within(figure).getByRole('list', { name: 'Legend' });
    expect(within(legend).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['A: A run', 'B: B run', 'C: maker.txt', 'D: rew.txt']);
    fireEvent.mouseMove(await within(figure).findByTestId('chart-pointer'), { clientX: 430 });
    const readout = within(figure).getByText(/^At [\d.]+k? Hz:/).textContent ?? '';
    for (const label of ['A: A run', 'B: B run', 'C: maker.txt', 'D: rew.txt']) expect(readout).toContain(label);

    fireEvent.click(screen.getByRole('button', { name: 'Remove overlay C: maker.txt' }));
    expect(within(legend).queryByText('C: maker.txt')).toBeNull();
    expect(within(legend).getByText('C: rew.txt')).toBeTruthy();
    expect(MAX_EXTRA_CURVES).toBe(4);
  });

  it('says why a file is not a curve', async () => {
    render(<ComparePanel a={okReport({ frequencyResponse: true })} b={okReport({ frequencyResponse: true, id: 'report-0002' })} onClose={vi.fn()} />);
    fireEvent.change(screen.getByLabelText('Overlay a curve file (freq dB [phase])'), { target: { files: [new File(['20 1\n100 x\n'], 'bad.txt')] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/^"bad\.txt" is not a usable curve: line 2/);
  });

  it('without a response on one side, says which one lacks it and why', () => {
    render(<ComparePanel a={okReport({ frequencyResponse: true })} b={okReport({ id: 'report-0002' })} onClose={vi.fn()} />);
    expect(
      screen.getByText(
        'No frequency-response comparison: both measurements need one. B has none: a click train measured by a version of Latency Lab that gave click trains no response; analyse its capture again (latency-lab analyze) for one.',
      ),
    ).toBeTruthy();
  });
});
