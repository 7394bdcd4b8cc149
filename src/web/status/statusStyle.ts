/** The status page's stylesheet, served as a file so the page's CSP needs no inline style. */
export const STATUS_STYLE = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
.sub { color: var(--muted); margin-bottom: .8rem; }
#problems { list-style: none; padding: 0; margin: 0 0 1rem; font-size: 1.05rem; font-weight: 600; }
#problems li { padding: .35rem .7rem; border-radius: 6px; margin-bottom: .3rem; border: 1px solid; }
#problems li.bad { color: var(--bad); background: #ffebe9; border-color: #ff8182; }
#problems li.warn { color: var(--warn); background: #fff8c5; border-color: #d4a72c; }
#problems li.ok { color: var(--ok); background: #dafbe1; border-color: #4ac26b; font-weight: 400; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .8rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.card h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .3rem; }
.big { font-size: 1.5rem; font-weight: 600; }
.ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
.stale { color: #8c959f; font-style: italic; }
figure { margin: 1rem 0 0; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
figcaption { color: var(--muted); margin-top: .3rem; }
#chart { min-height: 300px; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: .2rem .6rem; border-bottom: 1px solid var(--line); }
th:nth-child(2), td:nth-child(2), td:last-child, th:last-child { text-align: left; }
.state-received { color: var(--ok); } .state-lost, .state-failed, .state-overdue { color: var(--bad); }
.state-overdue { font-weight: 600; }
.state-posting, .state-posted { color: var(--muted); } .state-late { color: var(--warn); }
#error { color: var(--bad); }
/* Wire or file text inline among ours: right-to-left letters in it cannot reorder what follows. */
#app, .overview td a { unicode-bidi: isolate; }
.overview td, .overview th { text-align: left; vertical-align: top; }
.overview th { white-space: nowrap; }
.overview td:first-child a { white-space: nowrap; } /* an id reads as one word */
.overview tr { border-left: 6px solid var(--line); }
.overview thead tr { border-left-color: transparent; }
.overview tr.level-bad { border-left-color: var(--bad); background: #ffebe9; }
.overview tr.level-warn { border-left-color: var(--warn); background: #fff8c5; }
.overview tr.level-ok { border-left-color: var(--ok); }
.overview tr.level-starting { border-left-color: #8c959f; color: var(--muted); }
.overview td.level { font-weight: 600; text-transform: uppercase; font-size: .85rem; }
.level-bad td.level, .level-bad td.problem { color: var(--bad); }
.level-warn td.level, .level-warn td.problem { color: var(--warn); }
.level-ok td.level { color: var(--ok); }
.overview .labels { color: var(--muted); font-size: .85rem; }
`;
