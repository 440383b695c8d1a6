/** The fractional-octave smoothing picker of a frequency-response chart (results and library compare). */
import { useId } from 'react';
import type { SmoothingFraction } from '../../../shared/analysis/frequency-response';
import { SMOOTHING_OPTIONS } from './frequency-data';

export function SmoothingSelect(props: { value: SmoothingFraction; onChange(value: SmoothingFraction): void }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id}>Smoothing</label>
      <select id={id} value={props.value === 48 ? 0 : props.value} onChange={(e) => props.onChange(Number(e.target.value) as SmoothingFraction)}>
        {SMOOTHING_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
