export { createLogger, silentLogger } from './logger.js';
export type { Logger, LogLevel, LoggerOptions } from './logger.js';
export { lazyChild } from './lazy-child.js';
export { formatLogLine } from './pretty-lines.js';
export { readyLine } from './ready-line.js';
export type { ReadyFacts } from './ready-line.js';
