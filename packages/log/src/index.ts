export {
  type LogFields,
  type LogLevel,
  type LogLine,
  type Logger,
  type LoggerOptions,
  createLogger,
  createQuietLogger,
  createRecordingLogger,
  defaultLogger,
  logLevels,
} from './logger.ts';
