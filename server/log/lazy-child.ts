/**
 * A child logger made only when a line is actually written. Every client stream and every bound
 * session has its own child (so each line names the stream or the JID), but making a pino child
 * serialises its bindings and sets up redaction: ≈ 10 µs, two per login, for loggers that at the
 * default level mostly never write. Until the first enabled line, the stand-in answers level
 * checks and disabled levels from its parent; anything else makes the real child and forwards to it.
 */
import type { Logger } from './logger.js';

const LEVEL_METHODS: ReadonlySet<PropertyKey> = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);

function ignore(): void {}

/** A logger that behaves as `parent.child(bindings())`, made on first use. */
export function lazyChild(parent: Logger, bindings: () => Record<string, unknown>): Logger {
  let real: Logger | undefined;
  const materialise = (): Logger => (real ??= parent.child(bindings()));
  const isLevelEnabled = (level: string): boolean => (real ?? parent).isLevelEnabled(level);
  // The target is never used: every access goes to the parent (checks) or to the real child.
  return new Proxy({} as Logger, {
    get(_target, property) {
      if (real === undefined) {
        if (property === 'isLevelEnabled') return isLevelEnabled;
        if (LEVEL_METHODS.has(property) && !parent.isLevelEnabled(property as string)) return ignore;
      }
      const logger = materialise();
      const value: unknown = Reflect.get(logger, property, logger);
      return typeof value === 'function' ? value.bind(logger) : value;
    },
    set(_target, property, value: unknown) {
      return Reflect.set(materialise(), property, value);
    },
    has(_target, property) {
      return Reflect.has(materialise(), property);
    },
  });
}
