/** The dashboard's stylesheet (served inline: no build step, no external assets). */
export const STYLES = `
:root {
  --bg: #f5f6f8; --panel: #fff; --ink: #1f2328; --muted: #656d76; --line: #d8dee4;
  --accent: #4f46e5; --accent-soft: #c7d2fe; --ok: #1a7f37; --ok-bg: #dafbe1;
  --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: #24292f; color: #fff; }
header.top .topbar { max-width: 1240px; margin: 0 auto; padding: 10px 20px; display: flex; align-items: center; gap: 16px; }
header.top h1 { font-size: 16px; margin: 0; font-weight: 600; }
header.top .sub { color: #afb8c1; font-size: 12px; }
header.top .spacer { flex: 1; }
header.top form { margin: 0; }
header.top button { background: transparent; color: #fff; border: 1px solid #57606a; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
main { max-width: 1240px; margin: 0 auto; padding: 16px 20px 40px; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin-bottom: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 600; margin-top: 2px; }
.card .value.ok { color: var(--ok); } .card .value.bad { color: var(--bad); } .card .value.warn { color: var(--warn); }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 16px; overflow: hidden; }
section.panel > h2 { font-size: 14px; margin: 0; padding: 10px 14px; border-bottom: 1px solid var(--line); display: flex; align-items: baseline; gap: 10px; }
section.panel > h2 .hint { color: var(--muted); font-weight: 400; font-size: 12px; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; align-items: start; }
.grid2 > section.panel { margin-bottom: 16px; }
.scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 7px 12px; border-bottom: 1px solid #eaeef2; vertical-align: middle; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #f6f8fa; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.domain { font-weight: 600; white-space: nowrap; }
.group { display: block; font-weight: 400; color: var(--muted); font-size: 11px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.ok { color: var(--ok); background: var(--ok-bg); } .badge.bad { color: var(--bad); background: var(--bad-bg); }
.badge.warn { color: var(--warn); background: var(--warn-bg); } .badge.none { color: var(--muted); background: #eaeef2; }
.track { display: flex; align-items: center; gap: 3px; }
.track .step { width: 22px; height: 8px; border-radius: 4px; background: #d0d7de; }
.track .step.done { background: var(--accent-soft); }
.track .step.current { background: var(--accent); }
.stage-name { font-size: 12px; margin-top: 3px; color: var(--ink); white-space: nowrap; }
.stage-name .pending { color: var(--warn); }
.actions { white-space: nowrap; }
button.step-btn { font: inherit; font-size: 12px; padding: 3px 9px; border-radius: 6px; border: 1px solid var(--line); background: #f6f8fa; cursor: pointer; }
button.step-btn:hover:not([disabled]) { border-color: var(--accent); color: var(--accent); }
button.step-btn[disabled] { opacity: .4; cursor: default; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.ellipsis { max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar { height: 8px; background: #eaeef2; border-radius: 4px; overflow: hidden; min-width: 90px; }
.bar > span { display: block; height: 100%; background: var(--accent); }
.bar.done > span { background: var(--ok); } .bar.failed > span { background: var(--bad); }
.empty { padding: 12px 14px; color: var(--muted); }
.error-panel { padding: 12px 14px; color: var(--bad); background: var(--bad-bg); }
.diff { margin: 0; padding: 0; list-style: none; }
.diff li { margin: 2px 0; }
.diff .path { font-weight: 600; }
.diff .r { color: var(--bad); } .diff .p { color: var(--ok); }
#flash { display: none; margin-bottom: 16px; padding: 10px 14px; border-radius: 8px; border: 1px solid; }
#flash.bad { display: block; color: var(--bad); background: var(--bad-bg); border-color: #ffcecb; }
#flash.ok { display: block; color: var(--ok); background: var(--ok-bg); border-color: #aceebb; }
#flash ul { margin: 4px 0 0; padding-left: 20px; }
dialog { border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; max-width: 460px; box-shadow: 0 8px 30px rgba(0,0,0,.2); }
dialog::backdrop { background: rgba(31,35,40,.35); }
dialog h3 { margin: 0 0 8px; font-size: 16px; }
dialog .buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
dialog button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--line); background: #f6f8fa; cursor: pointer; }
dialog button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
.login { max-width: 380px; margin: 12vh auto; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 24px; }
.login h1 { font-size: 18px; margin: 0 0 4px; }
.login p { color: var(--muted); margin: 0 0 16px; }
.login input { width: 100%; font: inherit; padding: 8px 10px; border: 1px solid var(--line); border-radius: 6px; }
.login button { margin-top: 12px; width: 100%; font: inherit; padding: 8px; border-radius: 6px; border: 0; background: var(--accent); color: #fff; cursor: pointer; }
.login .error { color: var(--bad); background: var(--bad-bg); padding: 8px 10px; border-radius: 6px; margin-bottom: 12px; }
footer { color: var(--muted); font-size: 12px; text-align: right; }
`;
