/** What the docs tests read of a Markdown file: its headings, their anchors, its links, a section. */

/** The lines of a Markdown text outside fenced code blocks (a `# comment` in a fence is no heading). */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    return !fenced && !line.startsWith('```');
  });
}

/** Every heading: its level and its text. */
export const headingsOf = (markdown: string) =>
  prose(markdown).flatMap((line) => {
    const m = /^(#{1,6}) (.+)$/.exec(line);
    return m ? [{ level: m[1].length, text: m[2] }] : [];
  });

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
export const slugOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');

/** Every anchor a file has; a repeated heading's gets -1, -2 … as on GitHub. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const { text } of headingsOf(markdown)) {
    const slug = slugOf(text);
    let anchor = slug;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${slug}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** Every link and image target of the prose, as written (`docs/x.md#y`, `#y`, `https://…`). */
export const linksOf = (markdown: string) =>
  [
    ...prose(markdown)
      .join('\n')
      .replace(/`[^`\n]*`/g, '')
      .matchAll(/\]\(([^)\s]+)\)/g),
  ].map((m) => m[1]);

/** The text of a section: from its heading to the next heading of the same level or higher. */
export function sectionOf(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const level = heading.indexOf(' ');
  let fenced = false;
  const end = lines.findIndex((line, i) => {
    if (line.startsWith('```')) fenced = !fenced;
    return i > start && !fenced && /^#+ /.test(line) && line.indexOf(' ') <= level;
  });
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}
