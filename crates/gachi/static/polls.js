// The poll page's script (served from /static/polls.js; the CSP allows no inline script).
// It paints the time grid (mouse and touch drag through Pointer Events; keyboard: arrows move,
// space or enter toggles), saves my answers with PUT as I go, and every 2 s reads the poll's
// JSON (ETag, so an unchanged poll costs a 304) to refresh the heat-map, the ranking and who
// answered, without a reload. A new candidate day, a confirmation or the deadline reload the
// page once (my answers are saved by then). User text only ever goes in through textContent.
(() => {
  'use strict';
  const root = document.querySelector('[data-poll]');
  if (!root) return;
  const api = `/api/v1/rooms/${root.dataset.room}/polls/${root.dataset.poll}`;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
  const open = root.dataset.open === '1';
  const kind = root.dataset.kind;
  const grid = document.querySelector('[data-my-grid]');
  const dayForm = document.querySelector('[data-answer-form]');
  const statusEl = document.querySelector('[data-save-status]');
  let etag = null;
  let painting = false;
  let saving = false;
  let dirty = false;

  const say = (text) => { if (statusEl) statusEl.textContent = text; };

  function myAnswers() {
    const answers = {};
    if (grid) {
      for (const cell of grid.querySelectorAll('[data-slot][aria-selected="true"]')) answers[cell.dataset.slot] = 'yes';
    } else if (dayForm) {
      for (const input of dayForm.querySelectorAll('input[data-answer]:checked')) answers[input.dataset.answer] = input.value;
    }
    return answers;
  }

  // One save in flight at a time; changes made meanwhile go in the next one.
  async function save() {
    if (saving) { dirty = true; return; }
    saving = true;
    dirty = false;
    say(statusEl?.dataset.saving || '…');
    try {
      const resp = await fetch(`${api}/answers`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ answers: myAnswers() }),
      });
      const body = await resp.json().catch(() => ({}));
      saving = false;
      if (!resp.ok) {
        say(body.message || String(resp.status));
        etag = null;
        await refresh(true);
        return;
      }
      if (dirty) return save();
      say(statusEl?.dataset.saved || '✓');
      apply(body, true);
    } catch (e) {
      saving = false;
      say(String(e));
    }
  }

  // --- painting the grid -------------------------------------------------------------------
  if (grid && open) {
    let mode = true;
    const select = (cell, on) => cell.setAttribute('aria-selected', on ? 'true' : 'false');
    const focusCell = (cell) => {
      for (const c of grid.querySelectorAll('[data-slot][tabindex="0"]')) c.tabIndex = -1;
      cell.tabIndex = 0;
      cell.focus({ preventScroll: true });
    };
    const cellAt = (x, y) => {
      const el = document.elementFromPoint(x, y);
      return el && grid.contains(el) ? el.closest('[data-slot]') : null;
    };
    grid.addEventListener('pointerdown', (e) => {
      const cell = e.target.closest('[data-slot]');
      if (!cell || e.button > 0) return;
      e.preventDefault();
      painting = true;
      mode = cell.getAttribute('aria-selected') !== 'true';
      select(cell, mode);
      focusCell(cell);
    });
    grid.addEventListener('pointermove', (e) => {
      if (!painting) return;
      const cell = cellAt(e.clientX, e.clientY);
      if (cell) select(cell, mode);
    });
    const end = () => {
      if (!painting) return;
      painting = false;
      save();
    };
    window.addEventListener('pointerup', end);
    window.addEventListener('pointercancel', end);
    grid.addEventListener('keydown', (e) => {
      const cell = e.target.closest('[data-slot]');
      if (!cell) return;
      const row = cell.parentElement;
      const col = Array.prototype.indexOf.call(row.children, cell);
      let next = null;
      switch (e.key) {
        case 'ArrowRight': next = cell.nextElementSibling; break;
        case 'ArrowLeft': next = cell.previousElementSibling; break;
        case 'ArrowDown': next = row.nextElementSibling?.children[col]; break;
        case 'ArrowUp': next = row.previousElementSibling?.children[col]; break;
        case ' ':
        case 'Enter':
          e.preventDefault();
          select(cell, cell.getAttribute('aria-selected') !== 'true');
          save();
          return;
        default: return;
      }
      e.preventDefault();
      if (next && next.matches('[data-slot]')) focusCell(next);
    });
  }

  // --- day polls: answer as I click ----------------------------------------------------------
  if (dayForm && open) {
    dayForm.addEventListener('change', (e) => { if (e.target.matches('input[data-answer]')) save(); });
    dayForm.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  }

  // --- the live heat-map ---------------------------------------------------------------------
  const heatCells = new Map(Array.from(document.querySelectorAll('[data-heat]'), (c) => [c.dataset.heat, c]));
  const ranking = document.querySelector('[data-ranking]');
  const rankingNone = document.querySelector('[data-ranking-none]');
  const durationTemplate = document.querySelector('[data-duration-template]');
  const dateLabel = (date) => document.querySelector(`[data-date-label="${date}"]`)?.textContent.trim() || date;
  const keyLabel = (o) => (o.time ? `${dateLabel(o.date)} ${o.time}` : dateLabel(o.date));

  function names(data, o) {
    const nick = (i) => data.respondents[i]?.nickname || '';
    return o.yes.map(nick).concat(o.maybe.map((i) => `${nick(i)}?`)).join(', ');
  }

  function renderRanking(data, byKey) {
    if (!ranking) return;
    const canConfirm = ranking.dataset.canConfirm === '1' && data.can_confirm;
    const items = data.ranking.map((key) => {
      const o = byKey.get(key);
      const li = document.createElement('li');
      li.dataset.rank = key;
      const text = document.createElement('span');
      const strong = document.createElement('strong');
      strong.textContent = keyLabel(o);
      const muted = document.createElement('span');
      muted.className = 'muted';
      muted.textContent = ` ${o.score}${ranking.dataset.points} · ${names(data, o)}`;
      text.append(strong, muted);
      li.append(text);
      if (canConfirm) {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = `/rooms/${root.dataset.room}/polls/${root.dataset.poll}/confirm`;
        form.className = 'row';
        const hidden = document.createElement('input');
        hidden.type = 'hidden';
        hidden.name = 'key';
        hidden.value = key;
        form.append(hidden);
        if (durationTemplate) {
          const select = durationTemplate.cloneNode(true);
          select.hidden = false;
          select.removeAttribute('data-duration-template');
          select.name = 'duration_minutes';
          form.append(select);
        }
        const button = document.createElement('button');
        button.type = 'submit';
        button.dataset.confirm = key;
        button.textContent = ranking.dataset.confirmLabel;
        form.append(button);
        li.append(form);
      }
      return li;
    });
    // Leave an owner's open duration choice alone when nothing moved.
    const before = Array.from(ranking.children, (li) => `${li.dataset.rank} ${li.textContent}`).join('|');
    const scratch = document.createElement('ol');
    scratch.append(...items);
    const after = Array.from(scratch.children, (li) => `${li.dataset.rank} ${li.textContent}`).join('|');
    if (before !== after) ranking.replaceChildren(...items);
    if (rankingNone) rankingNone.hidden = data.ranking.length > 0;
  }

  function apply(data, saved = false) {
    const structure = data.dates.join(',') !== root.dataset.dates || data.open !== open || (data.event_id && root.dataset.confirmed !== '1');
    if (structure) {
      if (!painting && !saving) location.reload();
      return;
    }
    const byKey = new Map(data.options.map((o) => [o.key, o]));
    for (const o of data.options) {
      const cell = heatCells.get(o.key);
      if (!cell) continue;
      const count = o.yes.length + o.maybe.length;
      cell.className = `heat-${o.level}`;
      cell.dataset.count = String(count);
      cell.textContent = kind === 'grid' && count === 0 ? '' : String(count);
      cell.title = names(data, o);
    }
    // My own answers follow the server (another tab, a refused save) unless I am mid-change.
    if (!painting && !saving && !dirty && (saved || !document.activeElement?.matches?.('input[data-answer]'))) {
      if (grid) {
        for (const cell of grid.querySelectorAll('[data-slot]')) {
          const mine = data.mine[cell.dataset.slot];
          cell.setAttribute('aria-selected', mine === 'yes' || mine === 'maybe' ? 'true' : 'false');
        }
      } else if (dayForm) {
        for (const input of dayForm.querySelectorAll('input[data-answer]')) input.checked = data.mine[input.dataset.answer] === input.value;
      }
    }
    const who = document.querySelector('[data-respondents]');
    if (who) {
      who.dataset.respondents = String(data.respondents.length);
      who.textContent = data.respondents.map((r) => r.nickname).join(', ');
    }
    renderRanking(data, byKey);
  }

  async function refresh(force = false) {
    try {
      const headers = etag && !force ? { 'if-none-match': etag } : {};
      const resp = await fetch(api, { headers, cache: 'no-store' });
      if (resp.status === 304 || !resp.ok) return;
      etag = resp.headers.get('etag');
      apply(await resp.json());
    } catch (_) {
      // Offline for a moment: the next tick tries again.
    }
  }

  setInterval(refresh, 2000);
})();
