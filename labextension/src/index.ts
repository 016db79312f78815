/**
 * The JupyterLab 4 / SageMaker Studio side panel for SageMaker Pipelines lineage.
 *
 * - a sidebar, "Pipeline lineage" (left area): the pipelines of a region;
 * - a Lineage tab per pipeline (main area), restored after a reload;
 * - commands (also in the command palette and the launcher) to open both.
 *
 * Everything is read from the server extension under `{base_url}/sagemaker-lineage/`.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IThemeManager,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';

import { lineageIcon } from './icon';
// eslint-disable-next-line jupyter/prefer-lazy-imports -- the sidebar is added at activation
import { LineageSidebar } from './sidebar';
import type { LineageView } from './view';

export const PLUGIN_ID = 'sagemaker-lineage-ext:plugin';

export namespace CommandIDs {
  export const openPanel = 'sagemaker-lineage:open-panel';
  export const open = 'sagemaker-lineage:open';
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'SageMaker Pipelines lineage: a sidebar of pipelines and a lineage tab per pipeline.',
  autoStart: true,
  requires: [ILabShell],
  optional: [ILayoutRestorer, ICommandPalette, ILauncher, IThemeManager],
  activate: (
    app: JupyterFrontEnd,
    shell: ILabShell,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    themes: IThemeManager | null
  ) => {
    const tracker = new WidgetTracker<MainAreaWidget<LineageView>>({
      namespace: 'sagemaker-lineage'
    });

    const sidebar = new LineageSidebar((pipeline, region) => {
      void app.commands.execute(CommandIDs.open, {
        pipeline,
        region: region ?? ''
      });
    });
    sidebar.title.icon = lineageIcon;
    shell.add(sidebar, 'left', { rank: 900 });

    app.commands.addCommand(CommandIDs.openPanel, {
      label: 'Pipeline Lineage',
      caption: 'SageMaker Pipelines: pipelines, executions and their lineage',
      icon: args => (args['isLauncher'] ? lineageIcon : undefined),
      describedBy: { args: { type: 'object', properties: {} } },
      execute: () => {
        shell.activateById(sidebar.id);
      }
    });

    app.commands.addCommand(CommandIDs.open, {
      label: args =>
        args['pipeline']
          ? `${args['pipeline']} — lineage`
          : 'Open the lineage of a pipeline',
      icon: lineageIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            pipeline: {
              type: 'string',
              description: 'SageMaker pipeline name'
            },
            region: {
              type: 'string',
              description: "AWS region ('' for the server's default)"
            }
          }
        }
      },
      execute: async args => {
        const pipeline = String(args['pipeline'] ?? '');
        const region = args['region'] ? String(args['region']) : undefined;
        if (!pipeline) {
          shell.activateById(sidebar.id);
          return null;
        }
        const existing = tracker.find(
          w => w.content.pipeline === pipeline && w.content.region === region
        );
        if (existing) {
          shell.activateById(existing.id);
          return existing;
        }
        // the graph code (cytoscape) loads with the first Lineage tab, not at startup
        const { LineageView } = await import('./view');
        const content = new LineageView({
          pipeline,
          region,
          // another pipeline named by cross-pipeline lineage: in the same region
          openPipeline: other =>
            void app.commands.execute(CommandIDs.open, {
              pipeline: other,
              region: region ?? ''
            }),
          // an execution the tab watched ended: the sidebar's status of it is stale
          onExecutionEnded: () => void sidebar.refresh({ quiet: true })
        });
        const widget = new MainAreaWidget({ content });
        widget.id = `sagemaker-lineage-${region ?? 'default'}-${pipeline}`;
        widget.title.icon = lineageIcon;
        widget.title.label = content.title.label;
        widget.title.caption = content.title.caption;
        void tracker.add(widget);
        shell.add(widget, 'main');
        shell.activateById(widget.id);
        return widget;
      }
    });

    if (restorer) {
      restorer.add(sidebar, 'sagemaker-lineage-sidebar');
      void restorer.restore(tracker, {
        command: CommandIDs.open,
        args: w => ({
          pipeline: w.content.pipeline,
          region: w.content.region ?? ''
        }),
        name: w => `${w.content.region ?? 'default'}:${w.content.pipeline}`
      });
    }
    palette?.addItem({ command: CommandIDs.openPanel, category: 'SageMaker' });
    launcher?.add({
      command: CommandIDs.openPanel,
      category: 'Other',
      rank: 50
    });
    // the graph code loads while the page is idle, not with the first click
    // (the mark tells the browser tests and the benchmark that it has)
    void app.restored.then(() =>
      requestIdleCallback(
        () =>
          void import('./view').then(() =>
            performance.mark('sagemaker-lineage:graph-code-loaded')
          ),
        { timeout: 5000 }
      )
    );
    themes?.themeChanged.connect(() => {
      // the new theme's variables are in force once its stylesheet has loaded
      requestAnimationFrame(() =>
        tracker.forEach(w => w.content.updateTheme())
      );
    });
  }
};

export default plugin;
