/**
 * Progress on stderr: on a TTY one bar per step, redrawn in place, with rate and ETA; otherwise a
 * plain line per step every few seconds and when the step ends (logs stay readable).
 */
import type { ProgressEvent } from './types.js';

export interface ProgressSink {
  isTTY: boolean;
  write(text: string): void;
}

type Line = (
  step: string,
  done: number,
  total: number | undefined,
  rate: number,
  eta: number | undefined,
) => string;

export function progressReporter(sink: ProgressSink, line: Line, now: () => number = Date.now) {
  let step = '';
  let startedAt = 0;
  let lastPrint = 0;
  let last: ProgressEvent | undefined;
  const render = (e: ProgressEvent, final: boolean) => {
    const seconds = Math.max((now() - startedAt) / 1000, 0.001);
    const rate = e.done / seconds;
    const eta = e.total !== undefined && rate > 0 ? (e.total - e.done) / rate : undefined;
    const text = line(e.step, e.done, e.total, rate, eta);
    if (sink.isTTY) {
      const width = 24;
      const filled = e.total ? Math.min(width, Math.round((e.done / Math.max(e.total, 1)) * width)) : 0;
      const bar = e.total === undefined ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] `;
      sink.write(`\r\x1b[2K${bar}${text}${final ? '\n' : ''}`);
    } else {
      sink.write(`${text}\n`);
    }
  };
  return {
    update(e: ProgressEvent): void {
      if (e.step !== step) {
        if (last && last.step === step) render(last, true);
        step = e.step;
        startedAt = now();
        lastPrint = 0;
      }
      last = e;
      const t = now();
      if (sink.isTTY ? t - lastPrint >= 100 : t - lastPrint >= 5000) {
        lastPrint = t;
        render(e, false);
      }
    },
    /** Prints the last state of the current step. */
    end(): void {
      if (last) render(last, true);
      last = undefined;
    },
  };
}
