/**
 * Environment variables that override options of the loaded config (DESIGN.md §2), applied
 * before validation so that their values are checked like any other.
 */
import type { ConfigError } from './config-error.js';

/** Variable → option. Port variables take a port, a comma-separated list, or `off`. */
const STRING_VARIABLES = { SALON_DATA_PATH: 'data_path', SALON_LOG_LEVEL: 'log_level' } as const;
const PORT_VARIABLES = {
  SALON_C2S_PORT: 'c2s_ports',
  SALON_C2S_DIRECT_TLS_PORT: 'c2s_direct_tls_ports',
  SALON_HTTP_PORT: 'http_ports',
  SALON_HTTPS_PORT: 'https_ports',
} as const;

export interface EnvOverrides {
  /** Option → value, to be laid over the config's global section. */
  values: Record<string, unknown>;
  /** Option → the variable that set it, to name it in validation errors. */
  origins: Map<string, string>;
  errors: ConfigError[];
}

function parsePorts(text: string): number[] | undefined {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'off') return [];
  const ports = trimmed.split(',').map((part) => part.trim());
  if (!ports.every((port) => /^\d{1,5}$/.test(port) && Number(port) <= 65535)) return undefined;
  return ports.map(Number);
}

export function readEnvOverrides(env: NodeJS.ProcessEnv): EnvOverrides {
  const overrides: EnvOverrides = { values: {}, origins: new Map(), errors: [] };
  for (const [variable, option] of Object.entries(STRING_VARIABLES)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    overrides.values[option] = value;
    overrides.origins.set(option, variable);
  }
  for (const [variable, option] of Object.entries(PORT_VARIABLES)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const ports = parsePorts(value);
    if (ports === undefined) {
      const message = `environment variable ${variable}: ${JSON.stringify(value)} is not a port number, a comma-separated list of ports, or "off"`;
      overrides.errors.push({ option, message });
      continue;
    }
    overrides.values[option] = ports;
    overrides.origins.set(option, variable);
  }
  return overrides;
}

/** Names the variable in errors about an option it set (global section only). */
export function attributeToEnv(errors: readonly ConfigError[], origins: ReadonlyMap<string, string>): ConfigError[] {
  return errors.map((error) => {
    const variable = error.option === undefined || error.host !== undefined ? undefined : origins.get(error.option);
    return variable === undefined ? error : { ...error, message: `${error.message} (set by ${variable})` };
  });
}
