export { createLogger, silentLogger } from './logger.js';
export type { Logger, LogFn, LogLevel } from './logger.js';
export { lazyChild } from './lazy-child.js';
export { readyLine } from './ready-line.js';
