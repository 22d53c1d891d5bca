import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env';

/**
 * The console's one script, served as a file (the console's Content-Security-Policy allows
 * scripts from this origin, never inline ones). Everything works without it; with it, Copy
 * buttons appear beside addresses and tokens, and the editor's preview follows the typing: the
 * form is posted (without its file) to /admin/posts/preview a moment after the last keystroke,
 * and the answer, sanitized HTML made by the server, replaces the preview. In the rules builder
 * (/admin/sources/builder) a click in the page's snapshot (a same-origin frame that runs no script
 * of its own) posts the clicked element's path, and the server's answer replaces the results;
 * the posts found are marked in the snapshot.
 */
export const CONSOLE_SCRIPT = `'use strict';
(() => {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const input = document.getElementById(button.dataset.copy);
    if (!input || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(input.value).then(
        () => { button.textContent = 'Copied'; },
        () => { input.select(); },
      );
    });
  }
  const frame = document.querySelector('iframe[data-builder-frame]');
  const results = document.getElementById('builder-results');
  if (frame && results) {
    let picked = 0;
    // The posts the rules find, marked in the snapshot.
    const mark = () => {
      const doc = frame.contentDocument;
      const found = document.getElementById('builder-found');
      if (!doc || !found) return;
      for (const old of doc.querySelectorAll('[data-found]')) old.removeAttribute('data-found');
      for (const path of (found.dataset.paths || '').split(' ')) {
        if (/^[0-9.]+$/.test(path)) doc.querySelector('[data-sp="' + path + '"]')?.setAttribute('data-found', '');
      }
    };
    const pick = async (path) => {
      const state = document.getElementById('builder-pick');
      if (!state) return;
      const body = new FormData(state);
      body.set('pick', path);
      body.set('fragment', '1');
      const asked = ++picked;
      results.setAttribute('aria-busy', 'true');
      try {
        const response = await fetch(state.action, { method: 'POST', body, credentials: 'same-origin' });
        if (asked === picked && response.headers.get('x-builder-results')) {
          results.innerHTML = await response.text();
          mark();
        }
      } catch {
        // The results stay as they were; the forms below them still work.
      } finally {
        if (asked === picked) results.removeAttribute('aria-busy');
      }
    };
    const attached = new WeakSet();
    const attach = () => {
      const doc = frame.contentDocument;
      if (!doc || attached.has(doc) || doc.location.href === 'about:blank') return;
      attached.add(doc);
      mark();
      doc.addEventListener('click', (event) => {
        const target = event.target;
        const el = target && typeof target.closest === 'function' ? target.closest('[data-sp]') : null;
        if (!el) return;
        event.preventDefault();
        for (const old of doc.querySelectorAll('[data-picked]')) old.removeAttribute('data-picked');
        el.setAttribute('data-picked', '');
        pick(el.getAttribute('data-sp'));
      });
    };
    frame.addEventListener('load', attach);
    if (frame.contentDocument && frame.contentDocument.readyState === 'complete') attach();
  }
  const form = document.querySelector('form[data-preview]');
  const target = document.getElementById('preview');
  if (!form || !target) return;
  let timer = 0;
  let latest = 0;
  const refresh = async () => {
    const body = new FormData(form);
    body.delete('file');
    const asked = ++latest;
    try {
      const response = await fetch(form.dataset.preview, { method: 'POST', body, credentials: 'same-origin' });
      if (response.ok && asked === latest) target.innerHTML = await response.text();
    } catch {
      // The preview stays as it was; the Preview button still works.
    }
  };
  form.addEventListener('input', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === 'file') return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
`;

export const assetRoutes = new Hono<AppEnv>();

assetRoutes.get('/console.js', (c) => c.body(CONSOLE_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
