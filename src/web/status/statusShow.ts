/**
 * Browser code shared by both pages' scripts: `showText(text)` puts a page's texts (from
 * `statusText.ts`) into the page as `statusHtml.ts` writes them on the server, setting text
 * (`textContent`) and properties only, never markup; `follow(url, render)` fetches the page's
 * data now and every two seconds, and says so on the page when a fetch fails.
 */
export const STATUS_SHOW = `"use strict";
const { showText, follow } = (() => {
  function build(item) {
    const el = document.createElement(item.tag);
    if (item.cls) el.className = item.cls;
    if (item.href) el.setAttribute("href", item.href);
    if (item.dataId) el.dataset.id = item.dataId;
    if (item.text) el.textContent = item.text;
    for (const kid of item.kids || []) el.appendChild(build(kid));
    return el;
  }

  function showText(text) {
    for (const [id, part] of Object.entries(text.parts)) {
      const el = document.getElementById(id);
      el.textContent = part.text;
      if (part.cls !== undefined) el.className = part.cls;
    }
    for (const [id, items] of Object.entries(text.lists)) {
      document.getElementById(id).replaceChildren(...items.map(build));
    }
  }

  function follow(url, render) {
    async function refresh() {
      try {
        const response = await fetch(url, { cache: "no-store" });
        if (!response.ok) throw new Error("HTTP " + response.status);
        render(await response.json());
      } catch (error) {
        document.getElementById("error").textContent = "(update failed: " + error.message + ")";
      }
    }
    refresh();
    setInterval(refresh, 2000);
  }
  return { showText, follow };
})();
`;
