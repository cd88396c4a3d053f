/**
 * The router's log: one line per event, never a connection string (messages pass through
 * `redactText`). Defaults to JSON lines on stderr for warnings and errors; pass your own (pino fits).
 */
import { redactText } from '../../config.js';

export interface RouterLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function stderrLog(minLevel: 'info' | 'warn' | 'error' = 'warn'): RouterLog {
  const order = { info: 0, warn: 1, error: 2 } as const;
  const line = (level: keyof typeof order) => (message: string) => {
    if (order[level] < order[minLevel]) return;
    process.stderr.write(
      `${JSON.stringify({ level, at: new Date().toISOString(), src: 'migration-router', msg: redactText(message) })}\n`,
    );
  };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

export const silentLog: RouterLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
