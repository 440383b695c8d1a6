/** A labelled number input that lets the user type freely ("-", "1.") and reports NaN while invalid. */
import { useId, useState } from 'react';

export interface NumberFieldProps {
  label: string;
  value: number;
  onChange(value: number): void;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  hint?: string;
  disabled?: boolean;
}

export function NumberField({ label, value, onChange, min, max, step, unit, hint, disabled }: NumberFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const [text, setText] = useState(Number.isFinite(value) ? String(value) : '');
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    // Changed from outside (e.g. a new default): show it unless the text already means it.
    setShown(value);
    if (Number.isFinite(value) && Number(text) !== value) setText(String(value));
  }
  const invalid = !Number.isFinite(value) || (min !== undefined && value < min) || (max !== undefined && value > max);
  return (
    <div className="number-field">
      <label htmlFor={id}>
        {label}
        {unit ? <span className="muted"> ({unit})</span> : null}
      </label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={text}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={hint ? hintId : undefined}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          const n = t.trim() === '' ? Number.NaN : Number(t);
          setShown(n);
          onChange(n);
        }}
      />
      {hint && (
        <span id={hintId} className="field-hint muted">
          {hint}
        </span>
      )}
    </div>
  );
}
