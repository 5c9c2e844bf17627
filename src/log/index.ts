export { createLogger, silentLogger } from './logger.ts';
export type { LogFields, LogFormat, Logger, LoggerOptions, LogLevel } from './logger.ts';
