import { Writable } from 'node:stream';
import { type DestinationStream, type Logger as PinoLogger, pino, stdSerializers } from 'pino';

/** Fields of one log line; `error` may be an Error (logged with its stack and cause). */
export type LogFields = Record<string, unknown>;

export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * Clapper's one logger: a JSON line per event (pino), `msg` plus fields you can filter on
 * (`project`, `user`, `doc`, `durationMs`…). Services get one passed in, already carrying
 * their context through `child`, so a line says where it came from without the call site
 * repeating it.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** The same logger with `context` on every line (e.g. `{ component: 'collab', doc }`). */
  child(context: LogFields): Logger;
  /** Whether lines at `level` are written: a hot path builds its fields only when they are. */
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

export interface LoggerOptions {
  /** Lines below this level cost one no-op call; default `info`. */
  level?: LogLevel;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
  /** Fields on every line. */
  context?: LogFields;
}

class JsonLogger implements Logger {
  constructor(private readonly pino: PinoLogger) {}

  debug(message: string, fields?: LogFields): void {
    if (fields) this.pino.debug(fields, message);
    else this.pino.debug(message);
  }
  info(message: string, fields?: LogFields): void {
    if (fields) this.pino.info(fields, message);
    else this.pino.info(message);
  }
  warn(message: string, fields?: LogFields): void {
    if (fields) this.pino.warn(fields, message);
    else this.pino.warn(message);
  }
  error(message: string, fields?: LogFields): void {
    if (fields) this.pino.error(fields, message);
    else this.pino.error(message);
  }
  child(context: LogFields): Logger {
    return new JsonLogger(this.pino.child(context));
  }
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return this.pino.isLevelEnabled(level);
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { ...options.context },
    // Call sites pass failures as `error` (an Error or a message); pino only knows `err`.
    serializers: { error: stdSerializers.errWithCause, err: stdSerializers.errWithCause },
  };
  // Synchronous writes, like console.log to a file or pipe: lines keep their order and
  // survive process.exit (pino's asynchronous default can reorder or drop the last ones).
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  return new JsonLogger(pino(settings, destination));
}

let processLogger: Logger | undefined;

/**
 * The process's stdout logger, made on first use: for code that was given no logger
 * (command-line tools, a pool made outside a server). Servers pass theirs in.
 */
export function defaultLogger(): Logger {
  processLogger ??= createLogger();
  return processLogger;
}

/** For tests: warnings and errors still show, the per-request info lines don't. */
export function createQuietLogger(): Logger {
  return createLogger({ level: 'warn' });
}

/** One parsed line of a recording logger. */
export interface LogLine extends LogFields {
  level: LogLevel;
  msg: string;
}

const levelNames: Record<number, LogLevel> = { 20: 'debug', 30: 'info', 40: 'warn', 50: 'error' };

/**
 * A real logger whose lines are kept in memory, parsed, instead of printed: tests assert
 * what a server reported ("an error was logged for project X") without reading stdout.
 */
export function createRecordingLogger(level: LogLevel = 'debug'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) {
        if (!text) continue;
        const parsed = JSON.parse(text) as LogFields & { level: number; msg: string };
        lines.push({ ...parsed, level: levelNames[parsed.level] ?? 'info', msg: parsed.msg });
      }
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}
