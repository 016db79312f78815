/**
 * The Lineage tab: one pipeline's lineage in the main area ("NAME — lineage").
 *
 * Header (status, per-status counts, elapsed, last scanned, the failed step and
 * its reason, warnings folded), an execution picker, the graph with Find, Focus,
 * the Artifacts view and Export, a legend and a detail pane. While the shown
 * execution runs, the tab reads `/lineage` again on its own (live mode).
 *
 * What issue 11 added to every door, here too: Compare (`/compare`: the shown
 * execution coloured by what changed since a base), the Risks view (`graph.risks`),
 * the other pipelines of an artifact (`includeCrossPipeline`, `/artifact`), the
 * posture Check (`/check`), and Export as Mermaid, DOT (`/export`) and OpenLineage
 * events (`/openlineage`).
 */
import { Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';

import {
  fetchArtifact,
  fetchCheck,
  fetchCompare,
  fetchExecutions,
  fetchExport,
  fetchLineage,
  fetchOpenLineage,
  LineageApiError
} from './api';
import { comparisonElements } from './compare';
import { compareDetail, compareHeader, verdictLegend } from './compareView';
import type {
  ICheck,
  ICompare,
  IExecutionSummary,
  IExportFormat,
  ILineage
} from './contract';
import { answerCrossPipelines, ICrossPipelines } from './crossPipeline';
import { IDetailExtras, renderDetail } from './detail';
import { badge, h, statusBadge } from './dom';
import {
  artifactNodeId,
  lineageElements,
  searchIds,
  STATUSES,
  VIAS
} from './elements';
import { copyText, download, downloadText, exportMenu } from './exporting';
import { formatClock, formatTime } from './format';
import { LineageGraph } from './graph';
import { lineageHeader } from './header';
import { isLive, LiveBackoff, liveFingerprint } from './live';
import type { Direction } from './neighbourhood';
import { checkReport, riskList } from './reports';
import { riskHighlight, risksThrough } from './risks';
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
  /** Open another pipeline's Lineage tab (cross-pipeline lineage). */
  openPipeline?: (pipeline: string) => void;
  /**
   * The execution this tab watched live has ended (its ARN): whatever lists its status
   * (the sidebar) reads it again.
   */
  onExecutionEnded?: (arn: string) => void;
}

/** What the side pane lists when no step is picked: the risk paths or the check. */
type Sheet = 'risks' | 'check';

export class LineageView extends Widget {
  constructor(options: ILineageViewOptions) {
    super();
    this.pipeline = options.pipeline;
    this.region = options.region;
    this._openPipeline = options.openPipeline;
    this._onExecutionEnded = options.onExecutionEnded;
    this.addClass('jp-SageMakerLineage-view');
    this.node.dataset.pipeline = options.pipeline;
    // the name first: with many tabs open, a cut title still tells them apart
    this.title.label = `${options.pipeline} — lineage`;
    this.title.caption = `Lineage of the SageMaker pipeline ${options.pipeline}${options.region ? ` (${options.region})` : ''}`;
    this.title.closable = true;
    this._build();
    document.addEventListener('visibilitychange', this._onVisibility);
  }

  readonly pipeline: string;
  readonly region: string | undefined;
  /** The last lineage answer read (drawn unless a comparison is shown). */
  response: ILineage | null = null;
  /** The comparison shown (Compare on), else null. */
  comparison: ICompare | null = null;
  graph: LineageGraph | null = null;

  /** The execution shown: null follows the latest. */
  get executionArn(): string | null {
    return this._executionArn;
  }

  /** Read the lineage again (Refresh) and the executions list; compare again if on. */
  async refresh(): Promise<void> {
    void this._loadExecutions();
    await this._load({ user: true });
    if (this._compareOn) {
      await this._compareNow();
    }
  }

  /** Show `arn` (null: the latest execution); with Compare on, compared with its base. */
  async showExecution(arn: string | null): Promise<void> {
    this._executionArn = arn;
    this._executionPicker.value = arn ?? '';
    await this._load({ user: true });
    if (this._compareOn) {
      await this._compareNow();
    }
  }

  /**
   * Compare the shown execution with `base` (null: the one before it, as `/compare`
   * chooses), or (`on` false) go back to the plain view.
   */
  async setCompare(on: boolean, base: string | null = null): Promise<void> {
    this._baseArn = base;
    this._basePicker.value = base ?? '';
    if (!on) {
      this._leaveCompare();
      return;
    }
    this._compareOn = true;
    this._stopLive();
    this._updateModeControls();
    await this._compareNow();
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
    this._compareAbort?.abort();
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
    this._crossToggle = h('input', {
      type: 'checkbox',
      'aria-label': 'Other pipelines'
    }) as HTMLInputElement;
    this._crossToggle.addEventListener(
      'change',
      () => void this._load({ user: true })
    );
    this._compareButton = toggleButton(
      'Compare',
      () =>
        void this.setCompare(!this._compareOn, this._basePicker.value || null),
      'Colour the shown execution by what changed since a base execution'
    );
    this._compareButton.dataset.tool = 'compare';
    this._basePicker = h('select', {
      class: 'jp-SageMakerLineage-base',
      'aria-label': 'Base execution to compare with',
      hidden: true
    }) as HTMLSelectElement;
    this._basePicker.append(
      h('option', { value: '' }, 'with the execution before it')
    );
    this._basePicker.addEventListener('change', () => {
      void this.setCompare(true, this._basePicker.value || null);
    });
    this._risksButton = toggleButton(
      'Risks',
      () => this._toggleRisks(),
      'Paths from flagged S3 data to a registered model package'
    );
    this._risksButton.dataset.tool = 'risks';
    this._risksButton.hidden = true;
    this._checkButton = button(
      'Check',
      () => void this._runCheck(),
      'The posture gate (default policy): the S3 data that breaks it'
    );
    this._checkButton.dataset.tool = 'check';
    this._live = h('span', { class: 'jp-SageMakerLineage-live', hidden: true });
    this._status = h('span', {
      class: 'jp-SageMakerLineage-note',
      role: 'status',
      'aria-live': 'polite'
    });
    const toolbar = h(
      'div',
      { class: 'jp-SageMakerLineage-toolbar', role: 'toolbar' },
      this._executionPicker,
      h(
        'span',
        { class: 'jp-SageMakerLineage-group' },
        this._compareButton,
        this._basePicker
      ),
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
        'label',
        {
          class: 'jp-SageMakerLineage-group',
          title:
            'Read which other pipelines of the region write or read each artifact'
        },
        this._crossToggle,
        ' Other pipelines'
      ),
      h(
        'span',
        { class: 'jp-SageMakerLineage-group' },
        this._risksButton,
        this._checkButton
      ),
      h(
        'span',
        { class: 'jp-SageMakerLineage-group' },
        exportMenu([
          {
            label: 'PNG',
            key: 'png',
            title: 'The view as a PNG image',
            run: () => this._exportPng()
          },
          {
            label: 'JSON',
            key: 'json',
            title: 'The answer shown (lineage or comparison) as JSON',
            run: () => this._exportJson()
          },
          {
            label: 'Copy as Mermaid',
            key: 'mermaid',
            title:
              'The lineage as a Mermaid flowchart on the clipboard (for Markdown, READMEs, pull requests)',
            run: () => void this._copyMermaid()
          },
          {
            label: 'DOT',
            key: 'dot',
            title: 'The lineage as a Graphviz DOT file',
            run: () => void this._downloadDrawing('dot')
          },
          {
            label: 'OpenLineage events',
            key: 'openlineage',
            title:
              'The execution as OpenLineage RunEvents (JSON), for Marquez, DataZone or any OpenLineage backend',
            run: () => void this._downloadOpenLineage()
          }
        ]),
        button('Refresh', () => void this.refresh(), 'Read the lineage again')
      ),
      this._status,
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
      role: 'alert',
      title: 'Click to dismiss',
      hidden: true
    });
    this._message.addEventListener(
      'click',
      () => (this._message.hidden = true)
    );
    this._detail = h('aside', {
      class: 'jp-SageMakerLineage-detail',
      'aria-label': 'Step details',
      hidden: true
    });
    this._legend = legend();
    this._compareLegend = verdictLegend();
    this._compareLegend.hidden = true;
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
      this._legend,
      this._compareLegend
    );
    this.node.dataset.mode = 'lineage';
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
            undefined,
          includeCrossPipeline: this._crossToggle.checked
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
    this._updateRisksButton();
    if (this._compareOn) {
      // the comparison stays on screen; this answer is drawn when Compare is left
      return;
    }
    this._message.hidden = true;
    this._renderHeader(response);
    this._syncPicker(response);
    this._stepList.replaceChildren(
      ...response.graph.nodes.map(n => h('option', { value: n.id }))
    );
    this._findInput.setAttribute(
      'list',
      this._stepList.id || this._ensureListId()
    );
    const focused = this.graph?.focused;
    this.node.dataset.state = 'drawing';
    await this._drawLineage(response);
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
    if (selected || this._sheet) {
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
      const base = this._baseArn ?? '';
      this._basePicker.replaceChildren(
        h('option', { value: '' }, 'with the execution before it'),
        ...answer.executions.map(e =>
          h('option', { value: e.arn }, `with ${executionLabel(e)}`)
        )
      );
      this._basePicker.value = base;
    } catch (error) {
      this._executionPicker.title = `Executions could not be listed: ${(error as Error).message}`;
    }
  }

  /**
   * The picker's entries for the execution just read (and "Latest" while it follows the
   * latest) take its status from this answer, not from the list read when the tab opened.
   */
  private _syncPicker(response: ILineage): void {
    const execution = response.execution;
    if (!execution) {
      return;
    }
    const label = executionLabel(execution);
    for (const option of Array.from(this._executionPicker.options)) {
      if (option.value === execution.arn) {
        option.textContent = label;
      } else if (
        option.value === '' &&
        this._executionArn === null &&
        option.textContent?.startsWith('Latest: ')
      ) {
        option.textContent = `Latest: ${label}`;
      }
    }
  }

  private _renderHeader(response: ILineage): void {
    this._header.replaceChildren(
      ...lineageHeader(response, {
        pipeline: this.pipeline,
        region: this.region
      })
    );
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

  /**
   * The side pane shows the picked step (or artifact); without one, the list of the
   * Risks view or of the Check when one is open, else it is closed. A step picked from
   * a list gets a way back to it.
   */
  private _showDetail(id: string | null): void {
    if (!id && this._sheet) {
      this._openPane(this._sheetContent(), this._sheetTitle(), null);
      return;
    }
    if (!id || (!this.response && !this.comparison)) {
      this._closePane();
      return;
    }
    let content: HTMLElement;
    if (this._compareOn && this.comparison) {
      content = compareDetail(this.comparison, id);
    } else if (this.response) {
      const region = this.response.pipeline?.region ?? this.region ?? '';
      content = renderDetail(this.response, id, region, this._detailExtras(id));
    } else {
      return;
    }
    const back = this._sheet
      ? button(
          `← ${this._sheet === 'risks' ? 'Risk paths' : 'Posture check'}`,
          () => this.graph?.select(null),
          'Back to the list'
        )
      : null;
    this._openPane(content, 'Close (Escape)', id, back);
  }

  /** What the detail pane adds for node `id`: its risk paths, cross-pipeline lookups. */
  private _detailExtras(id: string): IDetailExtras {
    const risks = this.response?.graph.risks ?? [];
    return {
      risks: this._risksOn ? risksThrough(risks, id) : [],
      cross: {
        known: uri => this._crossKnown.get(uri),
        lookup: uri => void this._lookupCross(uri),
        open: pipeline => this._openPipeline?.(pipeline)
      }
    };
  }

  private _openPane(
    content: HTMLElement,
    closeTitle: string,
    keep: string | null,
    back: HTMLElement | null = null
  ): void {
    const close = h(
      'button',
      {
        type: 'button',
        class: 'jp-SageMakerLineage-close',
        title: closeTitle,
        'aria-label': keep ? 'Close the details' : 'Close the list'
      },
      '×'
    );
    close.addEventListener('click', () => {
      if (keep || !this._sheet) {
        this.graph?.select(null);
      } else {
        this._closeSheet();
      }
    });
    const wasHidden = this._detail.hidden;
    const sameNode =
      this._detail.dataset.node === (keep ?? `sheet:${this._sheet}`);
    const scroll = this._detail.scrollTop;
    this._detail.replaceChildren(close, ...(back ? [back] : []), content);
    this._detail.dataset.node = keep ?? `sheet:${this._sheet}`;
    this._detail.hidden = false;
    if (wasHidden) {
      this.graph?.resized(keep);
    }
    // the same step again (a live update) keeps its place; another one starts at its name
    this._detail.scrollTop = sameNode ? scroll : 0;
  }

  private _closePane(): void {
    if (!this._detail.hidden) {
      this._detail.hidden = true;
      this._detail.replaceChildren();
      delete this._detail.dataset.node;
      this.graph?.resized(null);
    }
  }

  private _sheetTitle(): string {
    return this._sheet === 'risks'
      ? 'Close the Risks view'
      : 'Close the posture check';
  }

  private _sheetContent(): HTMLElement {
    if (this._sheet === 'risks') {
      return riskList(this.response?.graph.risks ?? [], this._activeRisk, {
        onPick: index => {
          this._activeRisk = index;
          this._applyRisks();
          this._showDetail(null);
        }
      });
    }
    return checkReport(this._checkAnswer!, {
      onPick: artifactId => void this._pickArtifact(artifactId)
    });
  }

  private _closeSheet(): void {
    if (this._sheet === 'risks') {
      this._setRisks(false);
      return;
    }
    this._sheet = null;
    this._showDetail(this.graph?.selected ?? null);
  }

  private _find(): void {
    if (!this.response || !this.graph) {
      return;
    }
    const matches = searchIds(this.graph.stepIds(), this._findInput.value);
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
    if (this.response && this.graph && !this._compareOn) {
      await this._drawLineage(this.response);
    }
  }

  /** Draw a lineage answer (with artifacts when the Artifacts view is on), risks marked. */
  private async _drawLineage(response: ILineage): Promise<void> {
    const t0 = performance.now();
    const elements = lineageElements(response, {
      artifacts: this._artifactsToggle.checked
    });
    await this.graph!.draw(elements, {
      steps: response.graph.nodes.length,
      elementsMs: performance.now() - t0,
      variant: 'lineage'
    });
    this._applyRisks();
  }

  // -- Compare ---------------------------------------------------------------------

  /** Read `/compare` for the shown execution (head) and the chosen base; draw it. */
  private async _compareNow(): Promise<void> {
    this._compareAbort?.abort();
    const abort = new AbortController();
    this._compareAbort = abort;
    this.node.dataset.state = 'loading';
    try {
      const comparison = await fetchCompare(
        {
          pipeline: this.pipeline,
          region: this.region,
          head: this._executionArn ?? undefined,
          base: this._baseArn ?? undefined
        },
        abort.signal
      );
      if (abort.signal.aborted || this.isDisposed || !this._compareOn) {
        return;
      }
      this.comparison = comparison;
      this._message.hidden = true;
      this._header.replaceChildren(
        ...compareHeader(comparison, comparison.pipeline.region ?? this.region)
      );
      this.node.dataset.state = 'drawing';
      const t0 = performance.now();
      const elements = comparisonElements(comparison);
      await this.graph!.draw(elements, {
        steps: comparison.steps.length,
        elementsMs: performance.now() - t0,
        variant: 'compare'
      });
      if (abort.signal.aborted || !this._compareOn) {
        return;
      }
      this.graph!.highlight(null);
      this.node.dataset.mode = 'compare';
      this.node.dataset.comparedBase = comparison.base.arn;
      this.node.dataset.comparedHead = comparison.head.arn;
      this.node.dataset.drawnSteps = String(comparison.steps.length);
      this.node.dataset.timing = JSON.stringify(this.graph!.lastTiming);
      this._showDetail(this.graph!.selected);
    } catch (error) {
      if ((error as Error).name === 'AbortError' || this.isDisposed) {
        return;
      }
      this._leaveCompare();
      this._showMessage(`Could not compare: ${(error as Error).message}`);
    } finally {
      if (this._compareAbort === abort) {
        this.node.dataset.state = 'idle';
      }
    }
  }

  /** Back to the plain view of the lineage answer (and live updates, if it runs). */
  private _leaveCompare(): void {
    const was = this._compareOn;
    this._compareOn = false;
    this._compareAbort?.abort();
    this.comparison = null;
    delete this.node.dataset.comparedBase;
    delete this.node.dataset.comparedHead;
    this._updateModeControls();
    if (was && this.response) {
      this.node.dataset.mode = 'lineage';
      void this._show(this.response).then(() => {
        this.node.dataset.state = 'idle';
        this._scheduleLive();
      });
    }
  }

  /** The toolbar and legend as the mode (lineage or comparison) wants them. */
  private _updateModeControls(): void {
    const on = this._compareOn;
    this._compareButton.setAttribute('aria-pressed', String(on));
    this._basePicker.hidden = !on;
    this._artifactsToggle.disabled = on;
    this._crossToggle.disabled = on;
    this._checkButton.disabled = on;
    this._legend.hidden = on;
    this._compareLegend.hidden = !on;
    if (on) {
      this._sheet = null;
      this.graph?.select(null);
    }
    this._updateRisksButton();
  }

  // -- Risks -----------------------------------------------------------------------

  /** "Risks (N)": shown only when the answer has risk paths, and not in a comparison. */
  private _updateRisksButton(): void {
    const count = this.response?.graph.risks?.length ?? 0;
    this._risksButton.textContent = `Risks (${count})`;
    this._risksButton.hidden = count === 0 || this._compareOn;
    if (this._risksOn && (count === 0 || this._compareOn)) {
      this._setRisks(false);
    }
  }

  private _toggleRisks(): void {
    this._setRisks(!this._risksOn);
  }

  private _setRisks(on: boolean): void {
    this._risksOn = on;
    this._activeRisk = null;
    this._risksButton.setAttribute('aria-pressed', String(on));
    this.node.dataset.risks = on ? 'on' : 'off';
    if (on) {
      this._sheet = 'risks';
    } else if (this._sheet === 'risks') {
      this._sheet = null;
    }
    this._applyRisks();
    this._showDetail(this.graph?.selected ?? null);
  }

  /** Mark the risk paths (every one, or the one picked in the list) on the graph. */
  private _applyRisks(): void {
    const risks = this.response?.graph.risks ?? [];
    const elements = this.graph?.elements;
    if (!this.graph || !elements) {
      return;
    }
    if (!this._risksOn || this._compareOn || !risks.length) {
      this.graph.highlight(null);
      return;
    }
    const shown =
      this._activeRisk !== null && risks[this._activeRisk]
        ? [risks[this._activeRisk]]
        : risks;
    const { nodes, edges } = riskHighlight(elements, shown);
    this.graph.highlight(nodes, edges);
  }

  // -- Check -------------------------------------------------------------------------

  /** Run the posture gate (default policy) on the shown execution; list its findings. */
  private async _runCheck(): Promise<void> {
    if (!this.response) {
      return;
    }
    this._checkButton.disabled = true;
    this._note('Checking the posture of the execution’s S3 data…');
    try {
      this._checkAnswer = await fetchCheck({
        pipeline: this.pipeline,
        region: this.region,
        executionArn: this.response.execution?.arn
      });
      this._sheet = 'check';
      this.node.dataset.check = this._checkAnswer.passed ? 'passed' : 'failed';
      this._note('');
      this.graph?.select(null);
      this._showDetail(null);
    } catch (error) {
      this._note('');
      this._showMessage(
        `Could not check the posture: ${(error as Error).message}`
      );
    } finally {
      this._checkButton.disabled = this._compareOn;
    }
  }

  /** Show artifact `artifactId` in the graph (the Artifacts view) and pick it. */
  private async _pickArtifact(artifactId: number): Promise<void> {
    if (!this._artifactsToggle.checked) {
      this._artifactsToggle.checked = true;
      await this._redraw();
    }
    if (!this.graph?.find(artifactNodeId(artifactId))) {
      this._showMessage(
        `Artifact ${artifactId} is not in the graph drawn: Refresh, then Check again.`
      );
    }
  }

  // -- Other pipelines -----------------------------------------------------------------

  /** Which other pipelines write or read `uri` (`/artifact`); the pane follows. */
  private async _lookupCross(uri: string): Promise<void> {
    this._crossKnown.set(uri, 'loading');
    this._showDetail(this.graph?.selected ?? null);
    let known: ICrossPipelines | Error;
    try {
      const answer = await fetchArtifact({
        uri,
        region: this.response?.pipeline?.region ?? this.region
      });
      known = answerCrossPipelines(answer, this.pipeline);
    } catch (error) {
      known = error as Error;
    }
    this._crossKnown.set(uri, known);
    if (!this.isDisposed) {
      this._showDetail(this.graph?.selected ?? null);
    }
  }

  // -- Export ----------------------------------------------------------------------------

  private _exportPng(): void {
    if (this.graph) {
      download(
        this.graph.png(),
        `${this.pipeline}-${this._compareOn ? 'comparison' : 'lineage'}.png`
      );
    }
  }

  private _exportJson(): void {
    const answer = this._compareOn ? this.comparison : this.response;
    if (answer) {
      downloadText(
        JSON.stringify(answer, null, 2),
        `${this.pipeline}-${this._compareOn ? 'comparison' : 'lineage'}.json`,
        'application/json'
      );
    }
  }

  /** The shown execution's lineage drawn as `format` (`/export`), artifacts as shown. */
  private async _drawing(format: IExportFormat): Promise<string> {
    const answer = await fetchExport({
      pipeline: this.pipeline,
      region: this.region,
      executionArn:
        (this._compareOn
          ? this.comparison?.head.arn
          : this.response?.execution?.arn) ?? undefined,
      format,
      artifacts: this._artifactsToggle.checked && !this._compareOn
    });
    return answer.text;
  }

  private async _copyMermaid(): Promise<void> {
    this._note('Copying the lineage as Mermaid…');
    const text = this._drawing('mermaid');
    try {
      const copied = await copyText(text);
      const lines = copied.split('\n').length - 1;
      this.node.dataset.copied = 'mermaid';
      this._note(
        `Copied a Mermaid flowchart (${lines} lines): paste it into a \`\`\`mermaid block`
      );
    } catch (error) {
      this._note('');
      this._showMessage(
        `Could not copy as Mermaid: ${(error as Error).message}`
      );
    }
  }

  private async _downloadDrawing(format: IExportFormat): Promise<void> {
    try {
      const text = await this._drawing(format);
      downloadText(
        text,
        `${this.pipeline}-lineage.${format === 'dot' ? 'dot' : 'mmd'}`,
        'text/plain'
      );
      this._note(
        `Downloaded ${this.pipeline}-lineage.${format === 'dot' ? 'dot' : 'mmd'}`
      );
    } catch (error) {
      this._showMessage(
        `Could not export as ${format === 'dot' ? 'DOT' : 'Mermaid'}: ${(error as Error).message}`
      );
    }
  }

  private async _downloadOpenLineage(): Promise<void> {
    try {
      const answer = await fetchOpenLineage({
        pipeline: this.pipeline,
        region: this.region,
        executionArn:
          (this._compareOn
            ? this.comparison?.head.arn
            : this.response?.execution?.arn) ?? undefined
      });
      downloadText(
        JSON.stringify(answer.events, null, 2),
        `${this.pipeline}-openlineage.json`,
        'application/json'
      );
      this._note(
        `Downloaded ${answer.events.length} OpenLineage events` +
          (answer.warnings.length
            ? ` (${answer.warnings.length} warnings: ${answer.warnings.map(w => w.message).join('; ')})`
            : '')
      );
    } catch (error) {
      this._showMessage(
        `Could not read the OpenLineage events: ${(error as Error).message}`
      );
    }
  }

  /** A short note beside the toolbar (what an action did); empty clears it. */
  private _note(text: string): void {
    this._status.textContent = text;
  }

  // -- live mode -------------------------------------------------------------------

  private _scheduleLive(): void {
    this._stopLive();
    if (this._compareOn) {
      return;
    }
    if (!this.response || !isLive(this.response)) {
      this._live.hidden = !this._wasLive;
      if (this._wasLive) {
        this._live.dataset.state = 'ended';
        this._live.textContent = `execution ended · updated ${formatClock(Date.now())}`;
        this._wasLive = false;
        // the picker's list (newest first, with statuses) and the sidebar are now stale
        void this._loadExecutions();
        this._onExecutionEnded?.(this.response?.execution?.arn ?? '');
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

  private _onExecutionEnded: ((arn: string) => void) | undefined;
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
  private _compareLegend!: HTMLElement;
  private _crossToggle!: HTMLInputElement;
  private _compareButton!: HTMLButtonElement;
  private _basePicker!: HTMLSelectElement;
  private _risksButton!: HTMLButtonElement;
  private _checkButton!: HTMLButtonElement;
  private _status!: HTMLElement;
  private _openPipeline: ((pipeline: string) => void) | undefined;
  private _compareOn = false;
  private _baseArn: string | null = null;
  private _compareAbort: AbortController | null = null;
  private _risksOn = false;
  private _activeRisk: number | null = null;
  private _sheet: Sheet | null = null;
  private _checkAnswer: ICheck | null = null;
  private _crossKnown = new Map<string, ICrossPipelines | Error | 'loading'>();
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

/** A button that stays pressed while its view is on (`aria-pressed`). */
function toggleButton(
  label: string,
  onClick: () => void,
  title?: string
): HTMLButtonElement {
  const b = button(label, onClick, title);
  b.setAttribute('aria-pressed', 'false');
  return b;
}

function executionLabel(
  e: Pick<IExecutionSummary, 'arn' | 'displayName' | 'status' | 'startTime'>
): string {
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
