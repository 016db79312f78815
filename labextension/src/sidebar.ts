/**
 * The "Pipeline lineage" sidebar: the pipelines of a region with their latest
 * execution's status and how long ago it ran; clicking one opens its Lineage tab.
 */
import { Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';

import { fetchPipelines, LineageApiError } from './api';
import type { IPipelines, IPipelineSummary } from './contract';
import { badge, h, statusBadge } from './dom';
import { formatAgo } from './format';
import { runningPipelines, SIDEBAR_LIVE_MS } from './live';

/** How long the Domain filter waits after the last key before it reads the list (ms). */
const DOMAIN_DEBOUNCE_MS = 400;

/** Regions offered in the picker (the SageMaker commercial regions); any other can be typed. */
export const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1',
  'eu-south-1', 'eu-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-south-1', 'ap-east-1',
  'me-south-1', 'me-central-1', 'af-south-1', 'il-central-1'
]; // prettier-ignore

export class LineageSidebar extends Widget {
  constructor(
    private _open: (pipeline: string, region: string | undefined) => void
  ) {
    super();
    this.id = 'sagemaker-lineage-sidebar';
    this.addClass('jp-SageMakerLineage-sidebar');
    this.title.caption = 'Pipeline lineage';
    this._build();
    document.addEventListener('visibilitychange', this._onVisibility);
  }

  /** The last answer shown. */
  answer: IPipelines | null = null;

  /** The region asked for (null: the server's default). */
  get region(): string | null {
    return this._region.value || null;
  }

  /**
   * Read the list again. `quiet`: a background read (an execution is running, or a tab
   * saw one end) that keeps the list and its status line on screen until it answers.
   */
  async refresh(options: { quiet?: boolean } = {}): Promise<void> {
    this._abort?.abort();
    this._stopWatch();
    const abort = new AbortController();
    this._abort = abort;
    if (!options.quiet || !this.answer) {
      this._setState('loading', 'Reading pipelines…');
    }
    try {
      this._askedDomain = this._domain.value.trim();
      const answer = await fetchPipelines(
        {
          region: this._region.value || undefined,
          domain: this._askedDomain || undefined
        },
        abort.signal
      );
      if (abort.signal.aborted) {
        return;
      }
      this.answer = answer;
      if (!this._region.value) {
        // only an answer to "no region" names the server's default
        this._defaultOption.textContent = `${answer.region} (server default)`;
      }
      this._render();
      this._watch();
    } catch (error) {
      if ((error as Error).name === 'AbortError') {
        return;
      }
      if (options.quiet && this.answer) {
        // a background read failed: keep the list, try again later
        this._watch();
        return;
      }
      const action = error instanceof LineageApiError ? error.action : null;
      this._list.replaceChildren();
      this._setState(
        'error',
        action
          ? `Access denied: this JupyterLab's role cannot call ${action}. Grant it to the execution role (README, "Install in SageMaker Studio").`
          : `Could not list pipelines: ${(error as Error).message}`
      );
    }
  }

  dispose(): void {
    this._stopWatch();
    clearTimeout(this._domainTimer);
    document.removeEventListener('visibilitychange', this._onVisibility);
    super.dispose();
  }

  /** While a listed pipeline's latest execution runs, read the list again in a while. */
  private _watch(): void {
    this._stopWatch();
    const running = this.answer ? runningPipelines(this.answer) : [];
    this.node.dataset.watching = running.length ? 'on' : 'off';
    if (!running.length) {
      return;
    }
    this._watchTimer = window.setTimeout(() => {
      this._watchTimer = 0;
      if (document.hidden) {
        this._watchDue = true; // read when the page is seen again
        return;
      }
      void this.refresh({ quiet: true });
    }, SIDEBAR_LIVE_MS);
  }

  private _stopWatch(): void {
    clearTimeout(this._watchTimer);
    this._watchTimer = 0;
    this._watchDue = false;
  }

  private _onVisibility = (): void => {
    if (!document.hidden && this._watchDue) {
      void this.refresh({ quiet: true });
    }
  };

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (!this._started) {
      this._started = true;
      void this.refresh();
    }
  }

  private _build(): void {
    this._defaultOption = h('option', { value: '' }, 'server default region');
    this._region = h(
      'select',
      { 'aria-label': 'Region', class: 'jp-SageMakerLineage-region' },
      this._defaultOption,
      ...REGIONS.map(r => h('option', { value: r }, r))
    ) as HTMLSelectElement;
    this._region.addEventListener('change', () => void this.refresh());
    this._domain = h('input', {
      type: 'search',
      placeholder: 'Domain (domain-name tag)',
      'aria-label': 'Domain filter',
      title:
        'Only the pipelines tagged domain-name with this value (read as you type)'
    }) as HTMLInputElement;
    // filters as you type, like Name (the server filters by the tag: after a pause)
    this._domain.addEventListener('input', () => {
      clearTimeout(this._domainTimer);
      this._domainTimer = window.setTimeout(
        () => void this.refresh(),
        DOMAIN_DEBOUNCE_MS
      );
    });
    this._domain.addEventListener('change', () => {
      clearTimeout(this._domainTimer);
      if (this._domain.value.trim() !== this._askedDomain) {
        void this.refresh();
      }
    });
    this._name = h('input', {
      type: 'search',
      placeholder: 'Filter by name',
      'aria-label': 'Name filter'
    }) as HTMLInputElement;
    this._name.addEventListener('input', () => this._render());
    this._demo = badge(
      'demo account',
      'demo',
      'These answers come from the embedded demo account, not AWS'
    );
    this._demo.hidden = true;
    this._status = h('div', {
      class: 'jp-SageMakerLineage-state',
      role: 'status',
      'aria-live': 'polite'
    });
    this._list = h('ul', {
      class: 'jp-SageMakerLineage-pipelines',
      role: 'listbox',
      'aria-label': 'Pipelines'
    });
    this._list.addEventListener('keydown', this._onKey);
    const refresh = h(
      'button',
      {
        type: 'button',
        class: 'jp-SageMakerLineage-button',
        title: 'List the pipelines again'
      },
      'Refresh'
    );
    refresh.addEventListener('click', () => void this.refresh());
    this.node.append(
      h(
        'header',
        { class: 'jp-SageMakerLineage-sidebarTitle' },
        h('h2', {}, 'Pipeline lineage'),
        this._demo
      ),
      h(
        'div',
        { class: 'jp-SageMakerLineage-filters' },
        h('label', {}, 'Region', this._region),
        h('label', {}, 'Domain', this._domain),
        h('label', {}, 'Name', this._name),
        refresh
      ),
      this._status,
      this._list
    );
  }

  private _render(): void {
    const answer = this.answer;
    if (!answer) {
      return;
    }
    this._demo.hidden = !answer.demo;
    const needle = this._name.value.trim().toLowerCase();
    const shown = answer.pipelines.filter(
      p => !needle || p.name.toLowerCase().includes(needle)
    );
    const now = Date.now();
    this._list.replaceChildren(...shown.map(p => this._item(p, now)));
    const where = answer.region;
    const domain = this._askedDomain;
    if (!answer.pipelines.length) {
      this._setState(
        'empty',
        domain
          ? `No pipeline in ${where} is tagged domain-name = "${domain}". Clear the Domain filter to list them all.`
          : `No pipelines in ${where}. Another region?`
      );
    } else if (!shown.length) {
      this._setState(
        'empty',
        `No pipeline name contains "${this._name.value.trim()}".`
      );
    } else {
      this._setState(
        'ready',
        `${shown.length} pipeline${shown.length > 1 ? 's' : ''} in ${where}` +
          (answer.warnings?.length
            ? ` · ${answer.warnings.length} warning(s)`
            : '')
      );
    }
  }

  private _item(p: IPipelineSummary, now: number): HTMLElement {
    const latest = p.latestExecution;
    const when = latest?.startTime ?? p.lastExecutionTime ?? null;
    const item = h(
      'li',
      {
        role: 'option',
        tabindex: 0,
        class: 'jp-SageMakerLineage-pipeline',
        'data-pipeline': p.name,
        title: p.description ?? p.name
      },
      h('span', { class: 'jp-SageMakerLineage-pipelineName' }, p.name),
      h(
        'span',
        { class: 'jp-SageMakerLineage-pipelineMeta' },
        latest ? statusBadge(latest.status) : statusBadge('NoRun', 'never run'),
        when
          ? h(
              'span',
              { class: 'jp-SageMakerLineage-ago', title: when },
              formatAgo(when, now)
            )
          : ''
      )
    );
    item.addEventListener('click', () =>
      // no region until one is picked: the tab reads the server's default, as the list did
      this._open(p.name, this._region.value || undefined)
    );
    return item;
  }

  private _setState(state: string, text: string): void {
    this.node.dataset.state = state;
    this._status.dataset.state = state;
    this._status.textContent = text;
  }

  /** Up/Down move between pipelines, Enter opens one. */
  private _onKey = (event: KeyboardEvent): void => {
    const items = [...this._list.querySelectorAll<HTMLElement>('li')];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next =
        items[
          Math.max(
            0,
            Math.min(
              items.length - 1,
              at + (event.key === 'ArrowDown' ? 1 : -1)
            )
          )
        ];
      next?.focus();
      event.preventDefault();
    } else if ((event.key === 'Enter' || event.key === ' ') && at >= 0) {
      items[at].click();
      event.preventDefault();
    }
  };

  private _region!: HTMLSelectElement;
  private _defaultOption!: HTMLOptionElement;
  private _domain!: HTMLInputElement;
  private _name!: HTMLInputElement;
  private _demo!: HTMLElement;
  private _status!: HTMLElement;
  private _list!: HTMLElement;
  private _abort: AbortController | null = null;
  private _started = false;
  /** The Domain filter of the last read (what the list shows). */
  private _askedDomain = '';
  private _domainTimer = 0;
  private _watchTimer = 0;
  private _watchDue = false;
}
