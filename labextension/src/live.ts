/**
 * Live mode: while the shown execution runs, the tab reads `/lineage` again on its
 * own. Every few seconds at first; each read that brings nothing new waits longer
 * (up to `maxMs`), and a change brings the pace back. Pure: the view owns the timer.
 */
import type { ILineage, IPipelines } from './contract';
import { ACTIVE_STATUSES } from './elements';

export interface ILiveOptions {
  /** The first delay, and the delay after a read that changed something (ms). */
  baseMs: number;
  /** The longest delay (ms). */
  maxMs: number;
  /** How much longer each unchanged read waits. */
  factor: number;
}

export const LIVE_DEFAULTS: ILiveOptions = {
  baseMs: 3000,
  maxMs: 30000,
  factor: 1.5
};

/** The delays between live reads. */
export class LiveBackoff {
  constructor(readonly options: ILiveOptions = LIVE_DEFAULTS) {
    this._delay = options.baseMs;
  }

  /** The delay before the next read. */
  get delay(): number {
    return this._delay;
  }

  /** After a read: `changed` resets the delay, else it grows (up to `maxMs`). Returns it. */
  next(changed: boolean): number {
    const { baseMs, maxMs, factor } = this.options;
    this._delay = changed
      ? baseMs
      : Math.min(maxMs, Math.round(this._delay * factor));
    return this._delay;
  }

  reset(): void {
    this._delay = this.options.baseMs;
  }

  private _delay: number;
}

/** Whether a response shows an execution still under way (so live reads go on). */
export function isLive(response: ILineage): boolean {
  const status = response.execution?.status ?? response.summary?.overallStatus;
  return !!status && ACTIVE_STATUSES.has(status);
}

/**
 * What a live read compares: the execution's status and end, and each step's status,
 * end time and iteration statuses. Durations of running steps grow on every read and
 * are left out, so a read during one long step counts as "nothing changed".
 */
export function liveFingerprint(response: ILineage): string {
  const parts = [
    response.execution?.arn ?? '',
    response.execution?.status ?? '',
    response.execution?.endTime ?? ''
  ];
  for (const node of response.graph?.nodes ?? []) {
    const run = node.run;
    const iterations = (run?.iterations ?? []).map(i => i.status).join(',');
    parts.push(
      `${node.id}=${run?.status ?? ''}@${run?.endTime ?? ''}[${iterations}]`
    );
  }
  return parts.join('|');
}

/** How often the sidebar reads `/pipelines` again while a listed execution runs (ms). */
export const SIDEBAR_LIVE_MS = 10000;

/**
 * The pipelines of a `/pipelines` answer whose latest execution is still under way
 * (`latestExecution.status`, from ListPipelineExecutions: Executing or Stopping): while
 * there is one, the sidebar reads the list again on its own.
 */
export function runningPipelines(answer: IPipelines): string[] {
  return answer.pipelines
    .filter(p => {
      const status = p.latestExecution?.status;
      return !!status && ACTIVE_STATUSES.has(status);
    })
    .map(p => p.name);
}
