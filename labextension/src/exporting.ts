/**
 * Getting things out of the Lineage tab: files the browser downloads, text put on the
 * clipboard, and the Export menu that offers them.
 */
import { h } from './dom';

/** Download `blob` as a file called `name`. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Download `text` as a file called `name`. */
export function downloadText(text: string, name: string, type: string): void {
  download(new Blob([text], { type }), name);
}

/**
 * Put the text `text` resolves to on the clipboard. The write starts at once (within
 * the click that asked for it, as Safari requires) with the text still on its way;
 * where the browser cannot wait for it, the text is written once it is there.
 * Rejects with `text`'s own error when the text could not be had, or with the
 * browser's when the clipboard refused it (an insecure context, no permission).
 */
export async function copyText(text: Promise<string>): Promise<string> {
  const clipboard = navigator.clipboard;
  if (clipboard?.write && typeof ClipboardItem !== 'undefined') {
    try {
      await clipboard.write([
        new ClipboardItem({
          'text/plain': text.then(t => new Blob([t], { type: 'text/plain' }))
        })
      ]);
      return await text;
    } catch {
      // the text's own error, if that was it; else try the plain way below
      await text;
    }
  }
  const value = await text;
  if (!clipboard?.writeText) {
    throw new Error('this browser gives no clipboard here');
  }
  await clipboard.writeText(value);
  return value;
}

/** One entry of the Export menu. */
export interface IExportItem {
  label: string;
  title: string;
  /** For the browser tests and the styles: `data-export`. */
  key: string;
  run(button: HTMLButtonElement): void;
}

/**
 * The Export menu: a disclosure button and a list of actions (keyboard: Tab to it,
 * Enter opens it, Tab walks the actions, Escape closes it).
 */
export function exportMenu(items: IExportItem[]): HTMLElement {
  const menu = h('details', { class: 'jp-SageMakerLineage-menu' });
  const list = h('div', {
    class: 'jp-SageMakerLineage-menuList',
    role: 'group',
    'aria-label': 'Export'
  });
  for (const item of items) {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'jp-SageMakerLineage-button',
        title: item.title,
        'data-export': item.key
      },
      item.label
    );
    button.addEventListener('click', () => {
      item.run(button);
      menu.open = false;
    });
    list.append(button);
  }
  menu.append(
    h(
      'summary',
      {
        class: 'jp-SageMakerLineage-button',
        title:
          'Export the view, the answer, or the lineage as Mermaid, DOT or OpenLineage'
      },
      'Export'
    ),
    list
  );
  menu.addEventListener('keydown', event => {
    if (event.key === 'Escape' && menu.open) {
      menu.open = false;
      (menu.querySelector('summary') as HTMLElement).focus();
      event.stopPropagation();
    }
  });
  // closed by a click elsewhere (listened to only while open), or Tab out of it
  const outside = (event: Event) => {
    if (!menu.contains(event.target as Node)) {
      menu.open = false;
    }
  };
  menu.addEventListener('toggle', () => {
    if (menu.open) {
      document.addEventListener('pointerdown', outside, true);
    } else {
      document.removeEventListener('pointerdown', outside, true);
    }
  });
  menu.addEventListener('focusout', event => {
    const next = event.relatedTarget as Node | null;
    if (next && !menu.contains(next)) {
      menu.open = false;
    }
  });
  return menu;
}
