/** Decay times per octave band (EDT, T20, T30 by Schroeder integration, ISO 3382-1): a summary of the room. */
import type { DecayBand } from '../../../shared/analysis/room-decay';
import { formatHz } from '../../../shared/report/chart-math';
import { formatNumber } from '../../ui/format/format';

const seconds = (v: number | null): string => (v === null ? '—' : `${formatNumber(v, 2)} s`);

export function DecayTimesTable({ bands }: { bands: readonly DecayBand[] }) {
  if (bands.length === 0) return null;
  return (
    <div className="decay-times">
      <h4>Decay times per octave (the room)</h4>
      <table className="stats-table">
        <caption className="muted">
          EDT, T20 and T30 from the Schroeder integral of each octave band of the impulse response (ISO 3382-1), extrapolated to 60 dB of decay. A dash: the band's dynamic range is too small for that figure.
        </caption>
        <thead>
          <tr>
            <th scope="col">Octave</th>
            <th scope="col" className="num">EDT</th>
            <th scope="col" className="num">T20</th>
            <th scope="col" className="num">T30</th>
            <th scope="col" className="num">Dynamic range</th>
          </tr>
        </thead>
        <tbody>
          {bands.map((b) => (
            <tr key={b.hz}>
              <th scope="row">{formatHz(b.hz)} Hz</th>
              <td className="num">{seconds(b.edtS)}</td>
              <td className="num">{seconds(b.t20S)}</td>
              <td className="num">{seconds(b.t30S)}</td>
              <td className="num">{formatNumber(b.dynamicRangeDb, 0)} dB</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
