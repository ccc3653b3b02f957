'use client';
import type { Parsed } from '@clapper/domain';
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { writeBeforeRender } from '../lib/use-records.ts';

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
  /** Why the cell can't take `text` (null: it can); the cell then shows it and writes nothing. */
  validate?: (text: string) => string | null;
  /** The id of a `<datalist>` of suggestions. */
  list?: string;
  /** The tooltip, when it says more than the label. */
  hint?: string;
}

/**
 * An input that shows the record's current value and writes once, on Enter or blur, so a
 * remote change re-renders it unless this user is typing in it; Escape abandons the edit.
 * Text the field can't take (`validate`) stays in the cell, marked invalid with the
 * reason under it, until it is corrected or abandoned with Escape: never dropped silently.
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
  validate,
  list,
  hint,
}: EditableTextProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cancelled = useRef(false);
  const errorId = useId();
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') event.currentTarget.blur();
    if (event.key === 'Escape') {
      cancelled.current = true;
      setError(null);
      event.currentTarget.blur();
    }
  };
  const input = (
    <input
      className={`cell-input ${className ?? ''}${error ? ' is-invalid' : ''}`}
      aria-label={label}
      title={error ?? hint ?? label}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
      value={draft ?? display ?? value}
      placeholder={readOnly ? '' : placeholder}
      readOnly={readOnly}
      disabled={readOnly}
      inputMode={inputMode}
      list={list}
      spellCheck={false}
      onFocus={() => {
        cancelled.current = false;
        // A rejected entry stays to be corrected; otherwise edit the current value (a text
        // just committed and not rendered yet is still the draft: it is the current value).
        if (error === null) setDraft((current) => current ?? display ?? value);
      }}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={() => {
        if (cancelled.current || draft === null || draft === (display ?? value)) {
          setDraft(null);
          setError(null);
          return;
        }
        const problem = validate ? validate(draft) : null;
        setError(problem);
        if (problem !== null) return;
        // The edit's push leaves before the board re-renders; until then the cell keeps
        // showing the text committed (its draft), cleared in the render of the new value.
        writeBeforeRender(
          () => onCommit(draft),
          () => setDraft(null),
        );
      }}
      onKeyDown={onKeyDown}
    />
  );
  if (!validate) return input;
  return (
    <span className={`cell-field ${className ?? ''}`}>
      {input}
      {error && (
        <span className="cell-error" id={errorId} role="alert" data-testid="field-error">
          {error}
        </span>
      )}
    </span>
  );
}

interface EditableParsedProps<T> extends Omit<EditableTextProps, 'value' | 'onCommit' | 'display' | 'validate'> {
  value: T | null;
  onCommit: (value: T | null) => void;
  /** How the value reads in the cell, and is edited: 11 eighths as `1 3/8`, 90 s as `1:30`. */
  format: (value: T | null) => string;
  /** Reads the typed text: a value, null (cleared) or why the field can't take it. */
  parse: (text: string) => Parsed<T>;
}

/** A cell holding a typed value (pages, a duration): edited as text, stored as the value. */
export function EditableParsed<T>({ value, onCommit, format, parse, ...rest }: EditableParsedProps<T>) {
  return (
    <EditableText
      {...rest}
      value={format(value)}
      validate={(text) => {
        const parsed = parse(text);
        return parsed.ok ? null : parsed.error;
      }}
      onCommit={(text) => {
        const parsed = parse(text);
        if (parsed.ok) onCommit(parsed.value);
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
