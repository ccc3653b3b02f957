'use client';
import { type KeyboardEvent, useRef, useState } from 'react';

interface EditableAreaProps {
  value: string;
  label: string;
  readOnly: boolean;
  onCommit: (value: string) => void;
  placeholder?: string;
  rows?: number;
}

/**
 * Multi-line text (addresses, notes) with the board's editing rule: it writes once, when
 * the field is left (or Ctrl/⌘+Enter), so a remote change shows unless this user is typing
 * here; Escape abandons the edit. Enter is a new line.
 */
export function EditableArea({ value, label, readOnly, onCommit, placeholder, rows = 3 }: EditableAreaProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const cancelled = useRef(false);
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) event.currentTarget.blur();
    if (event.key === 'Escape') {
      cancelled.current = true;
      event.currentTarget.blur();
    }
  };
  return (
    <textarea
      className="area-input"
      aria-label={label}
      title={label}
      rows={rows}
      value={draft ?? value}
      placeholder={readOnly ? '' : placeholder}
      readOnly={readOnly}
      disabled={readOnly}
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
