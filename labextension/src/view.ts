/**
 * The Lineage tab: one pipeline's lineage in the main area ("Lineage: NAME").
 *
 * Header (status, per-status counts, elapsed, last scanned, the failed step and
 * its reason, warnings folded), an execution picker, the graph with Find, Focus,
 * the Artifacts view and Export, a legend and a detail pane. While the shown
 * execution runs, the tab reads `/lineage` again on its own (live mode).
 */
import { Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';

import { fetchExecutions, fetchLineage, LineageApiError } from './api';
import type { IExecutionSummary, ILineage } from './contract';
import { renderDetail } from './detail';
import { badge, h, statusBadge } from './dom';
import { nodeStatus, searchSteps, STATUSES, VIAS } from './elements';
import { formatClock, formatElapsed, formatTime } from './format';
import { LineageGraph } from './graph';
import { isLive, LiveBackoff, liveFingerprint } from './live';
import type { Direction } from './neighbourhood';
import { readPalette } from './style';

const VIA_LEGEND: Record<string, string> = {
  'ref:Get': 'reads properties',
  dependsOn: 'depends on',
  'condition:if': 'if branch',
  'condition:else': 'else branch',
  forEach: 'for each item',
  produces: 'writes',
  consumes: 'reads'
};

export interface ILineageViewOptions {
  pipeline: string;
  /** The region the pipelines list named (undefined: the server's default). */
  region?: string;
}

export class LineageView extends Widget {
  constructor(options: ILineageViewOptions) {
    super();
    this.pipeline = options.pipeline;
    this.region = options.region;
    this.addClass('jp-SageMakerLineage-view');
    this.node.dataset.pipeline = options.pipeline;
    this.title.label = `Lineage: ${options.pipeline}`;
    this.title.caption = `SageMaker pipeline ${options.pipeline}${options.region ? ` (${options.region})` : ''}`;
    this.title.closable = true;
    this._build();
    document.addEventListener('visibilitychange', this._onVisibility);
  }

  readonly pipeline: string;
  readonly region: string | undefined;
  /** The last answer drawn. */
  response: ILineage | null = null;
  graph: LineageGraph | null = null;

  /** The execution shown: null follows the latest. */
  get executionArn(): string | null {
    return this._executionArn;
  }

  /** Read the lineage again (Refresh) and the executions list. */
  async refresh(): Promise<void> {
    void this._loadExecutions();
    await this._load({ user: true });
  }

  /** Show `arn` (null: the latest execution). */
  async showExecution(arn: string | null): Promise<void> {
    this._executionArn = arn;
    this._executionPicker.value = arn ?? '';
    await this._load({ user: true });
  }

  /** Called on a theme change: the graph's colours come from the theme's variables. */
  updateTheme(): void {
    if (this.graph) {
      this.graph.setPalette(readPalette(this.node));
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._stopLive();
    this._abort?.abort();
    document.removeEventListener('visibilitychange', this._onVisibility);
    this.graph?.dispose();
    super.dispose();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (!this.graph) {
      this.graph = new LineageGraph(this._graphHost, readPalette(this.node), {
        onSelect: id => this._showDetail(id)
      });
      void this.refresh();
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.graph?.cy.resize();
    if (this._liveDue) {
      this._liveDue = false;
      void this._liveTick();
    }
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.graph?.cy.resize();
  }

  // -- building the DOM ----------------------------------------------------------

  private _build(): void {
    this._header = h(
      'div',
      { class: 'jp-SageMakerLineage-header', 'aria-live': 'polite' },
      'Reading…'
    );
    this._executionPicker = h('select', {
      class: 'jp-SageMakerLineage-executions',
      'aria-label': 'Execution'
    }) as HTMLSelectElement;
    this._executionPicker.append(
      h('option', { value: '' }, 'Latest execution')
    );
    this._executionPicker.addEventListener('change', () => {
      void this.showExecution(this._executionPicker.value || null);
    });
    this._findInput = h('input', {
      type: 'search',
      class: 'jp-SageMakerLineage-find',
      placeholder: 'Find a step by name',
      'aria-label': 'Find a step by name',
      list: `${this.id || 'x'}-steps`
    }) as HTMLInputElement;
    this._stepList = h('datalist', {}) as HTMLDataListElement;
    this._findInput.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this._find();
      }
    });
    this._direction = h(
      'select',
      { 'aria-label': 'Focus direction' },
      h('option', { value: 'both' }, 'up & downstream'),
      h('option', { value: 'upstream' }, 'upstream'),
      h('option', { value: 'downstream' }, 'downstream')
    ) as HTMLSelectElement;
    this._hops = h(
      'select',
      { 'aria-label': 'Focus hops' },
      ...[1, 2, 3, 4, 5].map(n =>
        h(
          'option',
          { value: String(n), selected: n === 2 },
          `${n} hop${n > 1 ? 's' : ''}`
        )
      )
    ) as HTMLSelectElement;
    this._artifactsToggle = h('input', {
      type: 'checkbox',
      'aria-label': 'Artifacts'
    }) as HTMLInputElement;
    this._artifactsToggle.addEventListener('change', () => void this._redraw());
    this._live = h('span', { class: 'jp-SageMakerLineage-live', hidden: true });
    const toolbar = h(
      'div',
      { class: 'jp-SageMakerLineage-toolbar', role: 'toolbar' },
      this._executionPicker,
      h(
        'span',
        { class: 'jp-SageMakerLineage-group' },
        this._findInput,
        this._stepList,
        button('Find', () => this._find())
      ),
      h(
        'span',
        { class: 'jp-SageMakerLineage-group' },
        button(
          'Focus',
          () => void this._focus(),
          'Keep the selected step and its neighbours'
        ),
        this._direction,
        this._hops,
        button('Show all', () => this.graph?.showAll())
      ),
      h(
        'label',
        { class: 'jp-SageMakerLineage-group' },
        this._artifactsToggle,
        ' Artifacts'
      ),
      h(
        'span',
        { class: 'jp-SageMakerLineage-group' },
        button('PNG', () => this._exportPng(), 'Export the view as PNG'),
        button(
          'JSON',
          () => this._exportJson(),
          'Export the lineage answer as JSON'
        ),
        button('Refresh', () => void this.refresh(), 'Read the lineage again')
      ),
      this._live
    );
    this._graphHost = h('div', {
      class: 'jp-SageMakerLineage-graph',
      tabindex: 0,
      role: 'application',
      'aria-label':
        'Lineage graph: arrow keys move between steps, Enter picks, +/- zoom, 0 fits'
    });
    this._graphHost.addEventListener('keydown', event => {
      if (event.key === 'Enter' && this.graph?.selected) {
        this._showDetail(this.graph.selected);
      }
    });
    this._message = h('div', {
      class: 'jp-SageMakerLineage-message',
      hidden: true
    });
    this._detail = h('aside', {
      class: 'jp-SageMakerLineage-detail',
      'aria-label': 'Step details',
      hidden: true
    });
    this._legend = legend();
    this.node.append(
      this._header,
      toolbar,
      h(
        'div',
        { class: 'jp-SageMakerLineage-body' },
        h(
          'div',
          { class: 'jp-SageMakerLineage-canvas' },
          this._graphHost,
          this._message
        ),
        this._detail
      ),
      this._legend
    );
  }

  // -- reading -------------------------------------------------------------------

  private async _load(options: { user: boolean }): Promise<boolean> {
    this._abort?.abort();
    const abort = new AbortController();
    this._abort = abort;
    this.node.dataset.state = 'loading';
    if (options.user) {
      this._stopLive();
    }
    try {
      const response = await fetchLineage(
        {
          pipeline: this.pipeline,
          region: this.region,
          executionArn:
            this._executionArn ??
            (options.user ? undefined : this._liveArn) ??
            undefined
        },
        abort.signal
      );
      if (abort.signal.aborted || this.isDisposed) {
        return false;
      }
      const changed =
        !this.response ||
        liveFingerprint(response) !== liveFingerprint(this.response);
      await this._show(response);
      if (options.user) {
        this._backoff.reset();
      } else {
        this._backoff.next(changed);
      }
      this._scheduleLive();
      return changed;
    } catch (error) {
      if ((error as Error).name === 'AbortError' || this.isDisposed) {
        return false;
      }
      this._showError(error as Error);
      if (!options.user && this.response && isLive(this.response)) {
        this._backoff.next(false);
        this._scheduleLive();
      }
      return false;
    } finally {
      if (this._abort === abort) {
        this.node.dataset.state = 'idle';
      }
    }
  }

  private async _show(response: ILineage): Promise<void> {
    this.response = response;
    this._message.hidden = true;
    this._renderHeader(response);
    this._stepList.replaceChildren(
      ...response.graph.nodes.map(n => h('option', { value: n.id }))
    );
    this._findInput.setAttribute(
      'list',
      this._stepList.id || this._ensureListId()
    );
    const focused = this.graph?.focused;
    this.node.dataset.state = 'drawing';
    await this.graph!.draw(response, {
      artifacts: this._artifactsToggle.checked
    });
    if (
      focused &&
      this.graph!.focused === null &&
      this.graph!.lastTiming?.relayout
    ) {
      await this.graph!.focus(focused.id, focused.direction, focused.hops);
    }
    if (!response.graph.nodes.length) {
      this._showMessage('This pipeline has no steps.');
    }
    const selected = this.graph!.selected;
    if (selected) {
      this._showDetail(selected);
    }
    this.node.dataset.drawnSteps = String(response.graph.nodes.length);
    this.node.dataset.timing = JSON.stringify(this.graph!.lastTiming);
    this.node.dataset.overallStatus = response.summary.overallStatus;
  }

  private _ensureListId(): string {
    this._stepList.id = `jp-SageMakerLineage-steps-${Math.random().toString(36).slice(2)}`;
    return this._stepList.id;
  }

  private async _loadExecutions(): Promise<void> {
    try {
      const answer = await fetchExecutions({
        pipeline: this.pipeline,
        region: this.region,
        limit: 20
      });
      const current = this._executionArn ?? '';
      const latest = answer.executions[0];
      this._executionPicker.replaceChildren(
        h(
          'option',
          { value: '' },
          latest ? `Latest: ${executionLabel(latest)}` : 'Latest execution'
        ),
        ...answer.executions.map(e =>
          h(
            'option',
            { value: e.arn, title: e.failureReason ?? undefined },
            executionLabel(e)
          )
        )
      );
      this._executionPicker.value = current;
    } catch (error) {
      this._executionPicker.title = `Executions could not be listed: ${(error as Error).message}`;
    }
  }

  private _renderHeader(response: ILineage): void {
    const { summary, execution, pipeline } = response;
    const region = pipeline?.region ?? this.region;
    const counts = STATUSES.filter(s => summary.nodeStatus[s]).map(s =>
      h(
        'span',
        { class: 'jp-SageMakerLineage-count' },
        statusBadge(s),
        ` ${summary.nodeStatus[s]}`
      )
    );
    for (const [status, n] of Object.entries(summary.nodeStatus)) {
      if (!(STATUSES as readonly string[]).includes(status)) {
        counts.push(
          h(
            'span',
            { class: 'jp-SageMakerLineage-count' },
            statusBadge(status),
            ` ${n}`
          )
        );
      }
    }
    const failed = response.graph.nodes.filter(n => nodeStatus(n) === 'Failed');
    const rows: (HTMLElement | string)[] = [
      h(
        'div',
        { class: 'jp-SageMakerLineage-title' },
        h('b', {}, pipeline?.name ?? this.pipeline),
        region
          ? h('span', { class: 'jp-SageMakerLineage-muted' }, ` ${region} `)
          : '',
        response.demo
          ? badge(
              'demo account',
              'demo',
              'Read from the embedded demo account, not AWS'
            )
          : '',
        statusBadge(summary.overallStatus),
        execution
          ? h(
              'span',
              {},
              ' execution ',
              h(
                'code',
                { title: execution.arn },
                execution.displayName || execution.arn
              )
            )
          : h(
              'span',
              { class: 'jp-SageMakerLineage-muted' },
              ' no execution read'
            )
      ),
      h(
        'div',
        {},
        `${summary.stepCount ?? response.graph.nodes.length} steps `,
        ...counts,
        ` · elapsed `,
        h('b', {}, formatElapsed(summary.elapsedSec) || '–'),
        ' · last scanned ',
        h(
          'b',
          {
            title:
              'The latest step end time, else when the pipeline was last modified'
          },
          formatTime(summary.lastScanned)
        )
      )
    ];
    for (const step of failed) {
      rows.push(
        h(
          'div',
          { class: 'jp-SageMakerLineage-error' },
          `Failed at ${step.id}: `,
          step.run?.failureReason ||
            execution?.failureReason ||
            'no reason given'
        )
      );
    }
    if (!failed.length && execution?.failureReason) {
      rows.push(
        h(
          'div',
          { class: 'jp-SageMakerLineage-error' },
          execution.failureReason
        )
      );
    }
    if (response.warnings.length) {
      const targets = new Set(
        response.warnings.map(w => w.target).filter(t => t && t !== 'request')
      );
      rows.push(
        h(
          'details',
          { class: 'jp-SageMakerLineage-warnings' },
          h(
            'summary',
            {},
            `${response.warnings.length} warning${response.warnings.length > 1 ? 's' : ''}` +
              (targets.size === 1
                ? ` about ${[...targets][0]}`
                : targets.size
                  ? ` about ${targets.size} resources`
                  : '')
          ),
          h(
            'ul',
            {},
            response.warnings.map(w =>
              h('li', {}, h('code', {}, w.code), ` ${w.target}: ${w.message}`)
            )
          )
        )
      );
    }
    this._header.replaceChildren(...rows);
  }

  private _showError(error: Error): void {
    const denied = error instanceof LineageApiError ? error.action : null;
    const text = denied
      ? `Access denied: the role of this JupyterLab cannot call ${denied}. Add it to the execution role (README: "Install in SageMaker Studio").`
      : `Could not read the lineage: ${error.message}`;
    if (this.response) {
      // keep the last graph; say the refresh failed
      this._live.hidden = false;
      this._live.dataset.state = 'error';
      this._live.textContent = `update failed: ${error.message}`;
      this._live.title = text;
    } else {
      this._header.replaceChildren(
        h('div', { class: 'jp-SageMakerLineage-error' }, text)
      );
      this._showMessage(text);
    }
  }

  private _showMessage(text: string): void {
    this._message.hidden = false;
    this._message.textContent = text;
  }

  // -- the graph's tools -----------------------------------------------------------

  /** The detail pane shows the picked step; without one it is closed. */
  private _showDetail(id: string | null): void {
    if (!id || !this.response) {
      if (!this._detail.hidden) {
        this._detail.hidden = true;
        this._detail.replaceChildren();
        this.graph?.resized(null);
      }
      return;
    }
    const region = this.response.pipeline?.region ?? this.region ?? '';
    const close = h(
      'button',
      {
        type: 'button',
        class: 'jp-SageMakerLineage-close',
        title: 'Close (Escape)',
        'aria-label': 'Close the details'
      },
      '×'
    );
    close.addEventListener('click', () => this.graph?.select(null));
    const wasHidden = this._detail.hidden;
    const scroll = this._detail.scrollTop;
    this._detail.replaceChildren(
      close,
      renderDetail(this.response, id, region)
    );
    this._detail.hidden = false;
    if (wasHidden) {
      this.graph?.resized(id);
    } else {
      this._detail.scrollTop = scroll;
    }
  }

  private _find(): void {
    if (!this.response || !this.graph) {
      return;
    }
    const matches = searchSteps(this.response, this._findInput.value);
    if (!matches.length) {
      this._findInput.setCustomValidity('No step by that name');
      this._findInput.reportValidity();
      return;
    }
    this._findInput.setCustomValidity('');
    this.graph.find(matches[0]);
    this._graphHost.focus();
  }

  private async _focus(): Promise<void> {
    const id = this.graph?.selected;
    if (!id) {
      this._showMessage(
        'Pick a step first (click it, or Find it), then Focus.'
      );
      setTimeout(() => (this._message.hidden = true), 2500);
      return;
    }
    await this.graph!.focus(
      id,
      this._direction.value as Direction,
      Number(this._hops.value)
    );
  }

  private async _redraw(): Promise<void> {
    if (this.response && this.graph) {
      await this.graph.draw(this.response, {
        artifacts: this._artifactsToggle.checked
      });
    }
  }

  private _exportPng(): void {
    if (this.graph) {
      download(this.graph.png(), `${this.pipeline}-lineage.png`);
    }
  }

  private _exportJson(): void {
    if (this.response) {
      download(
        new Blob([JSON.stringify(this.response, null, 2)], {
          type: 'application/json'
        }),
        `${this.pipeline}-lineage.json`
      );
    }
  }

  // -- live mode -------------------------------------------------------------------

  private _scheduleLive(): void {
    this._stopLive();
    if (!this.response || !isLive(this.response)) {
      this._live.hidden = !this._wasLive;
      if (this._wasLive) {
        this._live.dataset.state = 'ended';
        this._live.textContent = `execution ended · updated ${formatClock(Date.now())}`;
        this._wasLive = false;
      }
      this.node.dataset.live = 'off';
      return;
    }
    // live reads follow the execution on screen, not whichever is latest by then
    this._liveArn = this.response.execution?.arn ?? null;
    this._wasLive = true;
    this._live.hidden = false;
    this._live.dataset.state = 'live';
    this._live.textContent = `● live · updated ${formatClock(Date.now())}`;
    this._live.title = `Reading again in ${Math.round(this._backoff.delay / 1000)} s while the execution runs`;
    this.node.dataset.live = 'on';
    this._timer = window.setTimeout(
      () => void this._liveTick(),
      this._backoff.delay
    );
  }

  private async _liveTick(): Promise<void> {
    this._timer = 0;
    if (document.hidden || !this.isVisible) {
      // paused while nobody can see it; read as soon as it is shown again
      this._liveDue = true;
      this._live.dataset.state = 'paused';
      this._live.textContent = `live (paused while hidden) · updated ${formatClock(Date.now())}`;
      return;
    }
    await this._load({ user: false });
  }

  private _stopLive(): void {
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = 0;
    }
    this._liveDue = false;
  }

  private _onVisibility = (): void => {
    if (!document.hidden && this._liveDue && this.isVisible) {
      this._liveDue = false;
      void this._liveTick();
    }
  };

  private _header!: HTMLElement;
  private _executionPicker!: HTMLSelectElement;
  private _findInput!: HTMLInputElement;
  private _stepList!: HTMLDataListElement;
  private _direction!: HTMLSelectElement;
  private _hops!: HTMLSelectElement;
  private _artifactsToggle!: HTMLInputElement;
  private _live!: HTMLElement;
  private _graphHost!: HTMLElement;
  private _message!: HTMLElement;
  private _detail!: HTMLElement;
  private _legend!: HTMLElement;
  private _executionArn: string | null = null;
  private _liveArn: string | null = null;
  private _abort: AbortController | null = null;
  private _backoff = new LiveBackoff();
  private _timer = 0;
  private _liveDue = false;
  private _wasLive = false;
}

function button(
  label: string,
  onClick: () => void,
  title?: string
): HTMLButtonElement {
  const b = h(
    'button',
    { type: 'button', class: 'jp-SageMakerLineage-button', title },
    label
  );
  b.addEventListener('click', onClick);
  return b;
}

function executionLabel(e: IExecutionSummary): string {
  const name = e.displayName || e.arn.split('/').pop() || e.arn;
  return `${name} · ${e.status ?? '?'} · ${formatTime(e.startTime)}`;
}

function legend(): HTMLElement {
  return h(
    'div',
    { class: 'jp-SageMakerLineage-legend', 'aria-label': 'Legend' },
    ...STATUSES.map(s => statusBadge(s)),
    ...VIAS.map(v =>
      h(
        'span',
        { class: 'jp-SageMakerLineage-via', 'data-via': v },
        h('span', { class: 'jp-SageMakerLineage-line' }),
        VIA_LEGEND[v]
      )
    ),
    badge(
      'artifact',
      'artifact',
      'Artifacts view: S3 locations, border by bucket posture'
    )
  );
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
