/** The page shell: head, header bar, the confirmation dialog and the script. */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CLIENT_SCRIPT } from '../client-script.js';
import { STYLES } from '../styles.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export function page(opts: {
  title: string;
  base: string;
  body: Html;
  loggedIn: boolean;
  nonce?: string;
}): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${opts.title}</title>
<style>${raw(STYLES)}</style>
</head>
<body data-base="${opts.base}">
${
  opts.loggedIn
    ? html`<header class="top"><div class="topbar">
  <h1>Desert Candle Works · Redis → Postgres</h1>
  <span class="sub">migration dashboard</span>
  <span class="spacer"></span>
  <form method="post" action="${opts.base}/logout"><button type="submit">Log out</button></form>
</div></header>`
    : ''
}
${opts.body}
${
  opts.loggedIn
    ? html`<dialog id="confirm" aria-labelledby="confirm-title">
  <h3 id="confirm-title">Change stage</h3>
  <p data-text></p>
  <p class="muted small">Domains in one group move together. Stepping back is always safe; forward steps past shadow-read need a clean verify, an empty journal and a low mismatch rate.</p>
  <div class="buttons"><button type="button" data-cancel>Cancel</button><button type="button" class="primary" data-ok>Change stage</button></div>
</dialog>
<script nonce="${opts.nonce ?? ''}">${raw(CLIENT_SCRIPT)}</script>`
    : ''
}
</body>
</html>`;
}

export function loginPage(base: string, error: string | null): Html {
  return page({
    title: 'Log in · migration dashboard',
    base,
    loggedIn: false,
    body: html`<form class="login" method="post" action="${base}/login">
  <h1>Migration dashboard</h1>
  <p>Desert Candle Works · Redis → Postgres</p>
  ${error ? html`<div class="error" role="alert">${error}</div>` : ''}
  <label for="token" class="small muted">Admin token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
  <button type="submit">Log in</button>
</form>`,
  });
}
