/**
 * The dashboard's only JavaScript: confirm a stage step in a dialog, POST it, and show the result
 * (a refusal lists the guard-rail reasons; a success reloads the page with a note).
 */
export const CLIENT_SCRIPT = `
(() => {
  const base = document.body.dataset.base || '';
  const flash = document.getElementById('flash');
  const dialog = document.getElementById('confirm');
  const show = (kind, title, reasons) => {
    flash.className = kind;
    flash.replaceChildren();
    const strong = document.createElement('strong');
    strong.textContent = title;
    flash.append(strong);
    if (reasons && reasons.length) {
      const ul = document.createElement('ul');
      for (const r of reasons) { const li = document.createElement('li'); li.textContent = r; ul.append(li); }
      flash.append(ul);
    }
    flash.scrollIntoView({ block: 'nearest' });
  };
  const note = sessionStorage.getItem('dcw-flash');
  if (note) { sessionStorage.removeItem('dcw-flash'); show('ok', note); }

  let pending = null;
  document.querySelectorAll('button.step-btn').forEach((btn) => {
    btn.addEventListener('click', () => {
      const { domain, from, to, group } = btn.dataset;
      pending = { domain, from, to };
      const others = (group || '').split(',').filter((d) => d && d !== domain);
      dialog.querySelector('[data-text]').textContent =
        'Move ' + domain + (others.length ? ' (with ' + others.join(', ') + ')' : '') + ' from ' + from + ' to ' + to + '?';
      dialog.showModal();
    });
  });
  dialog.querySelector('[data-cancel]').addEventListener('click', () => { pending = null; dialog.close(); });
  dialog.querySelector('[data-ok]').addEventListener('click', async () => {
    const req = pending; pending = null; dialog.close();
    if (!req) return;
    let res, body;
    try {
      res = await fetch(base + '/stage', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(req),
      });
      body = await res.json();
    } catch (e) {
      show('bad', 'The stage change could not be sent: ' + e.message);
      return;
    }
    if (res.ok && body.ok) {
      sessionStorage.setItem('dcw-flash', req.domain + ' moved to ' + body.stage + '.');
      location.reload();
    } else if (body && Array.isArray(body.reasons)) {
      show('bad', 'Refused: ' + req.domain + ' stays at ' + body.stage + '.', body.reasons);
    } else {
      show('bad', (body && body.error && body.error.message) || ('The server answered ' + res.status));
    }
  });
})();
`;
