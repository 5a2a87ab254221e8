/**
 * What a config reload did (`salon reload`, SIGHUP, `RunningServer.reload()`): every difference
 * found between the new config and what runs, and for each whether it now runs, waits for a
 * restart, or failed. One info line summarises it.
 */
import type { ConfigError } from '../config/index.js';
import type { Logger } from '../log/index.js';

/** What became of one change. */
export type ReloadOutcome = 'applied' | 'needs-restart' | 'failed';

export type ReloadChangeKind =
  | 'host-added' | 'host-removed' | 'option' | 'module-loaded' | 'module-unloaded'
  | 'module-reconfigured' | 'module-reloaded' | 'certificate';

export interface ReloadChange {
  /** The host the change is on; undefined for a global option. */
  readonly host: string | undefined;
  readonly kind: ReloadChangeKind;
  /** The option, module or host name. */
  readonly name: string;
  /** For a module: the option names that changed; for a certificate: the hosts it serves. */
  readonly details: readonly string[];
  readonly outcome: ReloadOutcome;
  /** Why a change needs a restart or failed. */
  readonly reason?: string;
}

export interface ReloadReport {
  /** False when the new config was invalid: nothing changed, `errors` say why. */
  readonly ok: boolean;
  readonly errors: readonly ConfigError[];
  readonly changes: readonly ReloadChange[];
  /** Every change, one short description each (`conference.localhost: muc options muc_rooms`). */
  readonly changed: readonly string[];
  readonly applied: readonly string[];
  readonly needsRestart: readonly string[];
  readonly failed: readonly string[];
}

const VERBS: Readonly<Record<ReloadChangeKind, string>> = {
  'host-added': 'host added',
  'host-removed': 'host removed',
  option: 'option',
  'module-loaded': 'module loaded',
  'module-unloaded': 'module unloaded',
  'module-reconfigured': 'module options',
  'module-reloaded': 'module options',
  certificate: 'certificate replaced',
};

/** One change as a short phrase for logs and reports. */
export function describeChange(change: ReloadChange): string {
  const place = change.host === undefined ? '' : `${change.host}: `;
  const details = change.details.length === 0 ? '' : ` (${change.details.join(', ')})`;
  if (change.kind === 'host-added' || change.kind === 'host-removed') return `${VERBS[change.kind]} ${change.name}`;
  if (change.kind === 'option') return `${place}${change.name}`;
  if (change.kind === 'certificate') return change.host === undefined ? 'certificates' : `certificate of ${change.name}`;
  const verb = change.kind === 'module-loaded' ? '+' : change.kind === 'module-unloaded' ? '-' : '';
  return `${place}${verb}${change.name}${change.kind.startsWith('module-re') ? details : ''}`;
}

/** The report of a reload that found an invalid config. */
export function rejectedReload(errors: readonly ConfigError[]): ReloadReport {
  return { ok: false, errors, changes: [], changed: [], applied: [], needsRestart: [], failed: [] };
}

/** The report of the given changes. */
export function reloadReport(changes: readonly ReloadChange[]): ReloadReport {
  const named = (outcome: ReloadOutcome): string[] => changes.filter((c) => c.outcome === outcome).map(describeChange);
  return {
    ok: true,
    errors: [],
    changes,
    changed: changes.map(describeChange),
    applied: named('applied'),
    needsRestart: named('needs-restart'),
    failed: named('failed'),
  };
}

/** The one line a reload logs (warn when something failed). */
export function logReload(logger: Logger, report: ReloadReport): void {
  const fields = { changed: report.changed, applied: report.applied, needsRestart: report.needsRestart, failed: report.failed };
  const counts = `${report.changed.length} changed, ${report.applied.length} applied, ${report.needsRestart.length} waiting for a restart`;
  const failures = report.failed.length === 0 ? '' : `, ${report.failed.length} failed`;
  const message = report.changed.length === 0 ? 'config reloaded: nothing changed' : `config reloaded: ${counts}${failures}`;
  if (report.failed.length === 0) logger.info(fields, message);
  else logger.warn(fields, message);
}
