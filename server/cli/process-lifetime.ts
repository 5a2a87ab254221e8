/** How a long-running command (`start`, `fixture`) waits for its end and stops within a bound. */

/** What the process offers to listen for signals on (the process itself, or a test double). */
export type SignalSource = Pick<NodeJS.EventEmitter, 'once' | 'off'>;

/** The first SIGINT or SIGTERM, listened for until it comes or `cancel` is called. */
export interface SignalWait {
  signal: Promise<string>;
  cancel(): void;
}

export function waitForSignal(signals: SignalSource): SignalWait {
  let cancel = (): void => undefined;
  const signal = new Promise<string>((resolve) => {
    const onInt = (): void => finish('SIGINT');
    const onTerm = (): void => finish('SIGTERM');
    cancel = (): void => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
    };
    const finish = (name: string): void => {
      cancel();
      resolve(name);
    };
    signals.once('SIGINT', onInt);
    signals.once('SIGTERM', onTerm);
  });
  return { signal, cancel };
}

/**
 * Runs `stop` with a deadline: true when it finished in time. A failing stop is reported to
 * `onError` and counts as not stopped.
 */
export async function stopWithin(stop: () => Promise<void>, ms: number, onError?: (error: unknown) => void): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([stop().then(() => true), deadline]);
  } catch (error) {
    onError?.(error);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Where SIGHUP arrives (the process itself, or a test double). */
export type ReloadSignalSource = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

/** Reloads on SIGHUP, once `enable` is called; `disable` stops them. */
export interface ReloadTrigger {
  enable(): void;
  disable(): void;
}

/**
 * Runs `reload` on each SIGHUP, one at a time: signals that arrive during a reload make one more
 * run after it (a config edited twice in a row is read in its last state), and signals that
 * arrive before `enable` (while the server starts) run once it is called. The listener is
 * installed at once and kept after `disable`: without one, SIGHUP would end the process.
 */
export function reloadOnHangup(signals: ReloadSignalSource, reload: () => Promise<void>): ReloadTrigger {
  let enabled = false;
  let disabled = false;
  let running = false;
  let queued = false;
  const run = (): void => {
    if (disabled) return;
    if (!enabled || running) {
      queued = true;
      return;
    }
    running = true;
    queued = false;
    void reload().finally(() => {
      running = false;
      if (queued) run();
    });
  };
  signals.on('SIGHUP', run);
  return {
    enable: () => {
      enabled = true;
      if (queued) run();
    },
    disable: () => {
      disabled = true;
    },
  };
}
