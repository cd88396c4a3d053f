/**
 * Plumbing shared by the thin CLI wrappers: the exit-code contract (an error that escapes `main` is
 * printed redacted and exits 2) and argument helpers. Kept free of client imports so that a
 * command's start-up only loads what the command uses (see `sync-stores.ts` for verify/repair).
 */
import { redactText } from '../config.js';
import { messages } from './messages.js';

/** A bad option value found after parsing; the command prints it as its `badArgs` message, exit 2. */
export class UsageError extends Error {}

/**
 * Runs a command's `main` and exits with the code it returns. `onError` may print an escaped error
 * itself and return the exit code; otherwise (or when it returns `undefined`) the error is printed
 * as `error: …` with connection strings redacted, and the exit code is 2.
 */
export function runCli(main: () => Promise<number>, onError?: (err: unknown) => number | undefined): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const code = onError?.(err);
      if (code !== undefined) process.exit(code);
      console.error(messages.fatal(redactText(err instanceof Error ? err.message : String(err))));
      process.exit(2);
    },
  );
}

/** True for the errors `node:util` parseArgs throws (unknown option, missing value, stray argument). */
export function isParseArgsError(err: unknown): err is TypeError {
  return err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * An `onError` for {@link runCli}: a {@link UsageError}, a parseArgs error or an instance of one of
 * `also` is a bad argument, printed with the command's `badArgs` message (exit 2).
 */
export function reportBadArgs(
  badArgs: (detail: string) => string,
  ...also: ErrorClass[]
): (err: unknown) => number | undefined {
  return (err) => {
    if (!(err instanceof UsageError || isParseArgsError(err) || also.some((c) => err instanceof c))) {
      return undefined;
    }
    console.error(badArgs((err as Error).message));
    return 2;
  };
}

/** A comma-separated option (`--only a, b,,c` → `['a', 'b', 'c']`); `undefined` when not given. */
export function listOption(raw: string | undefined): string[] | undefined {
  return raw
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
