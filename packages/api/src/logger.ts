/** Structured one-line logs: a message plus fields you can grep ("project=…", "durationMs=…"). */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = value instanceof Error ? value.stack ?? value.message : typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(`${key}=${/[\s"=]/.test(text ?? '') ? JSON.stringify(text) : text}`);
  }
  return parts.length > 0 ? ` ${parts.join(' ')}` : '';
}

export function createConsoleLogger(prefix = 'clapper'): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) =>
    `${new Date().toISOString()} ${level} [${prefix}] ${message}${formatFields(fields)}`;
  return {
    info: (message, fields) => console.log(line('info', message, fields)),
    warn: (message, fields) => console.warn(line('warn', message, fields)),
    error: (message, fields) => console.error(line('error', message, fields)),
  };
}

/** Drops info lines (tests), keeps warnings and errors visible. */
export function createQuietLogger(inner: Logger = createConsoleLogger()): Logger {
  return { info: () => undefined, warn: inner.warn, error: inner.error };
}
