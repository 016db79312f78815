/**
 * The graph's stylesheet, built from JupyterLab's theme variables.
 *
 * cytoscape draws on a canvas and cannot read CSS variables itself, so the view
 * resolves the `--jp-*` variables it needs (`readPalette`) and builds the
 * stylesheet from their values (`graphStyle`, pure); a theme change rebuilds it.
 * Fills are the status colour at low opacity over the theme's background, so the
 * same rule reads in the light and the dark theme.
 */
import type { Verdict } from './contract';
import { FONT_SIZE, type NodeStatus } from './elements';
import type { LabelLevel } from './lod';

/** The theme variables the graph uses, resolved to `rgb()`/`rgba()` colours. */
export const PALETTE_VARIABLES = {
  background: '--jp-layout-color1',
  surface: '--jp-layout-color2',
  text: '--jp-ui-font-color1',
  muted: '--jp-ui-font-color2',
  faint: '--jp-ui-font-color3',
  border: '--jp-border-color1',
  brand: '--jp-brand-color1',
  success: '--jp-success-color1',
  error: '--jp-error-color1',
  warn: '--jp-warn-color1',
  info: '--jp-info-color1',
  accent: '--jp-accent-color1',
  /** A violet that follows the theme (JupyterLab's editor operator colour), for "changed". */
  changed: '--jp-mirror-editor-operator-color',
  font: '--jp-ui-font-family'
} as const;

export type Palette = Record<keyof typeof PALETTE_VARIABLES, string>;

/** A colour as cytoscape takes it: an opaque `rgb()` plus its alpha. */
export function splitAlpha(colour: string): { rgb: string; alpha: number } {
  const match =
    /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,/\s]+([\d.]+%?))?\s*\)$/i.exec(
      colour.trim()
    );
  if (!match) {
    return { rgb: colour.trim() || 'rgb(128, 128, 128)', alpha: 1 };
  }
  const [, r, g, b, a] = match;
  let alpha = 1;
  if (a !== undefined) {
    alpha = a.endsWith('%') ? parseFloat(a) / 100 : parseFloat(a);
  }
  return {
    rgb: `rgb(${Math.round(+r)}, ${Math.round(+g)}, ${Math.round(+b)})`,
    alpha
  };
}

/** Resolve the palette's variables where `host` sits in the page (the theme in force). */
export function readPalette(host: HTMLElement): Palette {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  host.appendChild(probe);
  const palette = {} as Palette;
  try {
    for (const [key, variable] of Object.entries(PALETTE_VARIABLES)) {
      if (key === 'font') {
        palette.font =
          getComputedStyle(host).getPropertyValue(variable).trim() ||
          'sans-serif';
        continue;
      }
      probe.style.color = `var(${variable})`;
      palette[key as keyof Palette] = getComputedStyle(probe).color;
    }
  } finally {
    probe.remove();
  }
  return palette;
}

/** Border colour, fill opacity and border style per status. */
export function statusLook(
  palette: Palette
): Record<
  NodeStatus,
  { colour: string; fill: number; border: string; width: number }
> {
  return {
    Succeeded: {
      colour: palette.success,
      fill: 0.2,
      border: 'solid',
      width: 2
    },
    Executing: { colour: palette.brand, fill: 0.25, border: 'solid', width: 3 },
    Starting: { colour: palette.brand, fill: 0.1, border: 'dashed', width: 2 },
    Failed: { colour: palette.error, fill: 0.25, border: 'solid', width: 3 },
    Stopping: { colour: palette.warn, fill: 0.1, border: 'dashed', width: 2 },
    Stopped: { colour: palette.warn, fill: 0.22, border: 'solid', width: 2 },
    NotStarted: {
      colour: palette.faint,
      fill: 0.06,
      border: 'dashed',
      width: 2
    },
    Unknown: { colour: palette.muted, fill: 0.12, border: 'dotted', width: 2 },
    NoRun: { colour: palette.muted, fill: 0, border: 'solid', width: 1.5 }
  };
}

/**
 * The look of a compared step per verdict (`/compare`): failures red, recoveries green,
 * slower orange, faster cyan, other changes violet, an added step a double border, a
 * removed one dashed and faint, an unchanged one plain.
 */
export function verdictLook(palette: Palette): Record<
  Verdict,
  {
    colour: string;
    fill: number;
    border: 'solid' | 'dashed' | 'double';
    width: number;
  }
> {
  return {
    newlyFailing: {
      colour: palette.error,
      fill: 0.25,
      border: 'solid',
      width: 3
    },
    newlyPassing: {
      colour: palette.success,
      fill: 0.22,
      border: 'solid',
      width: 3
    },
    slower: { colour: palette.warn, fill: 0.22, border: 'solid', width: 3 },
    faster: { colour: palette.info, fill: 0.2, border: 'solid', width: 3 },
    changed: {
      colour: palette.changed,
      fill: 0.16,
      border: 'solid',
      width: 2.5
    },
    added: { colour: palette.brand, fill: 0.16, border: 'double', width: 5 },
    removed: { colour: palette.faint, fill: 0, border: 'dashed', width: 2 },
    unchanged: { colour: palette.muted, fill: 0, border: 'solid', width: 1.5 }
  };
}

/** Line colour and style per `via`. */
export function viaLook(
  palette: Palette
): Record<
  string,
  { colour: string; style: 'solid' | 'dashed' | 'dotted'; width: number }
> {
  return {
    'ref:Get': { colour: palette.muted, style: 'solid', width: 1.5 },
    dependsOn: { colour: palette.muted, style: 'dashed', width: 1.5 },
    'condition:if': { colour: palette.success, style: 'solid', width: 2 },
    'condition:else': { colour: palette.error, style: 'solid', width: 2 },
    forEach: { colour: palette.info, style: 'dotted', width: 2.5 },
    produces: { colour: palette.info, style: 'solid', width: 1.2 },
    consumes: { colour: palette.info, style: 'solid', width: 1.2 }
  };
}

/** The node `label` property for a level of detail. */
export function labelField(level: LabelLevel): string {
  return level === 'full'
    ? 'data(label)'
    : level === 'name'
      ? 'data(name)'
      : '';
}

type Rule = { selector: string; style: Record<string, unknown> };

/** The cytoscape stylesheet for `palette` at a label level of detail. */
export function graphStyle(
  palette: Palette,
  level: LabelLevel = 'full',
  curve: 'bezier' | 'straight' | 'haystack' = 'bezier'
): Rule[] {
  const text = splitAlpha(palette.text);
  const background = splitAlpha(palette.background);
  const rules: Rule[] = [
    {
      selector: 'node',
      style: {
        label: labelField(level),
        'text-wrap': 'wrap',
        'text-valign': 'center',
        'text-halign': 'center',
        'font-size': FONT_SIZE,
        'font-family': palette.font,
        color: text.rgb,
        'text-opacity': text.alpha,
        width: 'data(w)',
        height: 'data(h)',
        'text-max-width': '1000px',
        shape: 'round-rectangle',
        'background-color': background.rgb,
        'border-width': 2,
        // no text drawn where it would be smaller than 5 px on screen
        'min-zoomed-font-size': 5
      }
    },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'curve-style': curve,
        'target-arrow-shape': curve === 'haystack' ? 'none' : 'triangle',
        'arrow-scale': 0.9,
        label: level === 'full' ? 'data(label)' : '',
        'font-size': FONT_SIZE - 1,
        'font-family': palette.font,
        'text-background-color': background.rgb,
        'text-background-opacity': 1,
        'text-background-padding': '1px',
        'min-zoomed-font-size': 6
      }
    }
  ];
  // Zoomed far out (no labels), a node is a few pixels: colour it more strongly so
  // the status still reads, and draw no dashes (invisible there, and slow to draw).
  const far = level === 'none';
  for (const [status, look] of Object.entries(statusLook(palette))) {
    const { rgb, alpha } = splitAlpha(look.colour);
    const fill = far ? Math.max(look.fill * 2.5, 0.4) : look.fill;
    rules.push({
      selector: `node.status-${status}`,
      style: {
        'border-color': rgb,
        // a translucent theme colour (the faint grey of NotStarted) stays as light
        // as the legend's badge draws it, not its opaque (black) base
        'border-opacity': far ? Math.max(alpha, 0.6) : alpha,
        'border-style': far ? 'solid' : look.border,
        'border-width': far ? look.width * 2 : look.width,
        'background-color': fill > 0 ? rgb : background.rgb,
        'background-opacity': fill > 0 ? fill : 1
      }
    });
  }
  for (const [verdict, look] of Object.entries(verdictLook(palette))) {
    const { rgb, alpha } = splitAlpha(look.colour);
    const fill = far ? Math.max(look.fill * 2.5, 0.4) : look.fill;
    rules.push({
      selector: `node.verdict-${verdict}`,
      style: {
        'border-color': rgb,
        'border-opacity': far ? Math.max(alpha, 0.6) : alpha,
        'border-style': far && look.border === 'dashed' ? 'solid' : look.border,
        'border-width': look.width,
        'background-color': fill > 0 ? rgb : background.rgb,
        'background-opacity': fill > 0 ? fill : 1,
        ...(verdict === 'removed' ? { 'text-opacity': text.alpha * 0.6 } : {})
      }
    });
  }
  for (const [via, look] of Object.entries(viaLook(palette))) {
    const { rgb, alpha } = splitAlpha(look.colour);
    rules.push({
      selector: `edge.via-${via.replace(':', '-')}`,
      style: {
        'line-color': rgb,
        'line-opacity': Math.max(alpha, 0.7),
        'line-style': far ? 'solid' : look.style,
        width: look.width,
        'target-arrow-color': rgb,
        color: rgb,
        'font-weight': 'bold'
      }
    });
  }
  const posture: Record<string, string> = {
    ok: palette.info,
    warn: palette.warn,
    bad: palette.error,
    none: palette.faint
  };
  rules.push({
    selector: 'node.artifact',
    style: {
      shape: 'barrel',
      'font-size': FONT_SIZE - 1,
      'background-color': splitAlpha(palette.info).rgb,
      'background-opacity': 0.1
    }
  });
  for (const [level, colour] of Object.entries(posture)) {
    const { rgb, alpha } = splitAlpha(colour);
    rules.push({
      selector: `node.posture-${level}`,
      style:
        level === 'bad'
          ? {
              'border-color': rgb,
              'border-width': 3,
              'background-color': rgb,
              'background-opacity': 0.18
            }
          : { 'border-color': rgb, 'border-opacity': alpha, 'border-width': 2 }
    });
  }
  const accent = splitAlpha(palette.accent).rgb;
  const warn = splitAlpha(palette.warn).rgb;
  const error = splitAlpha(palette.error).rgb;
  rules.push(
    { selector: '.hidden', style: { display: 'none' } },
    { selector: '.dimmed', style: { opacity: 0.18 } },
    // the Risks view: the paths from flagged data to a model package, the rest faded
    { selector: '.faded', style: { opacity: 0.25 } },
    {
      selector: 'node.risk',
      style: {
        'underlay-color': error,
        'underlay-opacity': 0.35,
        'underlay-padding': 6
      }
    },
    {
      selector: 'edge.risk',
      style: {
        'line-color': error,
        'target-arrow-color': error,
        'line-opacity': 1,
        'line-style': 'solid',
        width: 3
      }
    },
    {
      selector: 'node.found',
      style: {
        'underlay-color': warn,
        'underlay-opacity': 0.45,
        'underlay-padding': 7
      }
    },
    {
      selector: 'node:selected',
      style: {
        'underlay-color': accent,
        'underlay-opacity': 0.4,
        'underlay-padding': 8
      }
    },
    {
      selector: 'node.keyboard',
      style: {
        'overlay-color': accent,
        'overlay-opacity': 0.18,
        'overlay-padding': 6
      }
    }
  );
  return rules;
}
