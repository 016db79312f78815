/**
 * A small DOM builder. Every value from AWS (names, tags, URIs, failure reasons)
 * becomes text, never markup: a tag value is as untrusted as any user input.
 */

type Child = Node | string | number | null | undefined | false;
/** A child, or (nested) lists of them: flattened in order. */
export type Children = Child | Children[];

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined | null> = {},
  ...children: Children[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      el.className = String(value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  for (const child of (children as unknown[]).flat(Infinity) as Child[]) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A status badge: `<span class="jp-SageMakerLineage-status" data-status="Failed">Failed</span>`. */
export function statusBadge(
  status: string | null | undefined,
  text?: string
): HTMLElement {
  const value = status || 'NoRun';
  return h(
    'span',
    { class: 'jp-SageMakerLineage-status', 'data-status': value },
    text ?? (value === 'NoRun' ? 'no run' : value)
  );
}

/** A small label; `level` colours it (ok, warn, bad, info). */
export function badge(
  text: string,
  level = 'info',
  title?: string
): HTMLElement {
  return h(
    'span',
    { class: 'jp-SageMakerLineage-badge', 'data-level': level, title },
    text
  );
}

/** A link that opens outside JupyterLab. */
export function externalLink(label: string, url: string): HTMLAnchorElement {
  return h(
    'a',
    { href: url, target: '_blank', rel: 'noopener noreferrer' },
    label
  );
}

/** A `<dl>` of label/value rows, skipping empty values. */
export function fields(rows: [string, Children][]): HTMLElement {
  const dl = h('dl', { class: 'jp-SageMakerLineage-fields' });
  for (const [label, value] of rows) {
    if (
      value === null ||
      value === undefined ||
      value === '' ||
      value === false
    ) {
      continue;
    }
    dl.append(h('dt', {}, label), h('dd', {}, value));
  }
  return dl;
}
