'use client';
import { type KeyboardEvent, useRef, useState } from 'react';

interface EditableTextProps {
  value: string;
  label: string;
  readOnly: boolean;
  onCommit: (value: string) => void;
  placeholder?: string;
  className?: string;
  inputMode?: 'text' | 'numeric' | 'decimal';
  /** What the cell shows while nobody edits it (e.g. 12 eighths as "1 4/8"). */
  display?: string;
}

/**
 * An input that shows the record's current value and writes once, on Enter or blur, so a
 * remote change re-renders it unless this user is typing in it; Escape abandons the edit.
 */
export function EditableText({
  value,
  label,
  readOnly,
  onCommit,
  placeholder,
  className,
  inputMode,
  display,
}: EditableTextProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const cancelled = useRef(false);
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') event.currentTarget.blur();
    if (event.key === 'Escape') {
      cancelled.current = true;
      event.currentTarget.blur();
    }
  };
  return (
    <input
      className={`cell-input ${className ?? ''}`}
      aria-label={label}
      title={label}
      value={draft ?? display ?? value}
      placeholder={readOnly ? '' : placeholder}
      readOnly={readOnly}
      disabled={readOnly}
      inputMode={inputMode}
      spellCheck={false}
      onFocus={() => {
        cancelled.current = false;
        setDraft(value);
      }}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={() => {
        if (!cancelled.current && draft !== null && draft !== value) onCommit(draft);
        setDraft(null);
      }}
      onKeyDown={onKeyDown}
    />
  );
}

interface EditableNumberProps extends Omit<EditableTextProps, 'value' | 'onCommit' | 'display'> {
  value: number | null;
  onCommit: (value: number | null) => void;
  format?: (value: number | null) => string;
}

/** Numbers: empty clears the value; anything unparsable is ignored (the old value stays). */
export function EditableNumber({ value, onCommit, format, ...rest }: EditableNumberProps) {
  return (
    <EditableText
      {...rest}
      {...(format ? { display: format(value) } : {})}
      inputMode="decimal"
      value={value === null || value === undefined ? '' : String(value)}
      onCommit={(text) => {
        const trimmed = text.trim();
        if (trimmed === '') return onCommit(null);
        const parsed = Number(trimmed.replace(',', '.'));
        if (Number.isFinite(parsed) && parsed >= 0) onCommit(parsed);
      }}
    />
  );
}

interface EditableSelectProps {
  value: string;
  label: string;
  options: readonly string[];
  readOnly: boolean;
  onCommit: (value: string) => void;
  className?: string;
}

export function EditableSelect({ value, label, options, readOnly, onCommit, className }: EditableSelectProps) {
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <select
      className={`cell-select ${className ?? ''}`}
      aria-label={label}
      title={label}
      value={value}
      disabled={readOnly}
      onChange={(event) => onCommit(event.target.value)}
    >
      <option value="">—</option>
      {all.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </select>
  );
}
