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
  }

  /** The last answer shown. */
  answer: IPipelines | null = null;

  /** The region asked for (null: the server's default). */
  get region(): string | null {
    return this._region.value || null;
  }

  async refresh(): Promise<void> {
    this._abort?.abort();
    const abort = new AbortController();
    this._abort = abort;
    this._setState('loading', 'Reading pipelines…');
    try {
      const answer = await fetchPipelines(
        {
          region: this._region.value || undefined,
          domain: this._domain.value.trim() || undefined
        },
        abort.signal
      );
      if (abort.signal.aborted) {
        return;
      }
      this.answer = answer;
      this._defaultOption.textContent = `${answer.region} (server default)`;
      this._render();
    } catch (error) {
      if ((error as Error).name === 'AbortError') {
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
      'aria-label': 'Domain filter'
    }) as HTMLInputElement;
    this._domain.addEventListener('change', () => void this.refresh());
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
    if (!answer.pipelines.length) {
      this._setState(
        'empty',
        `No pipelines in ${where}${this._domain.value.trim() ? ` for domain ${this._domain.value.trim()}` : ''}. Another region?`
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
}
