import type { Item, Part } from './statusText';

/** Text for HTML, in an element or in a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The start of both pages, to the end of its head: the title, style sheets, deferred scripts. */
export function pageHead(title: string, styles: string[], scripts: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    ...styles.map((href) => `<link rel="stylesheet" href="${href}">`),
    ...scripts.map((src) => `<script src="${src}" defer></script>`),
    '</head>',
  ].join('\n');
}

const attribute = (name: string, value: string | undefined) =>
  value ? ` ${name}="${escapeHtml(value)}"` : '';

/** An element the page's script updates by its id, as the server first writes it. */
export function partHtml(tag: string, id: string, part: Part, more = ''): string {
  return `<${tag} id="${id}"${attribute('class', part.cls)}${more}>${escapeHtml(part.text)}</${tag}>`;
}

/** An element of a list, as the page's script makes it (`STATUS_SHOW`), in HTML. */
export function itemHtml(item: Item): string {
  const attributes =
    attribute('class', item.cls) + attribute('href', item.href) + attribute('data-id', item.dataId);
  const inner = escapeHtml(item.text ?? '') + (item.kids ?? []).map(itemHtml).join('');
  return `<${item.tag}${attributes}>${inner}</${item.tag}>`;
}
