// The poll page's script (served from /static/polls.js; the CSP allows no inline script).
// It paints the time grid the way when2meet-style grids do: press and drag fills (or clears,
// decided by the first cell) the rectangle between the first cell and the one under the
// pointer, a tap toggles one cell, and the keyboard moves with arrows, toggles with space or
// enter and widens a rectangle with Shift+arrows. A mouse always paints; a touch paints only in
// paint mode (the toggle above the grid), so a swipe that starts on the grid scrolls the page
// like anywhere else. My answers are saved with PUT as I go, and every 2 s the poll's JSON
// (ETag, so an unchanged poll costs a 304) refreshes the heat-map, the ranked ranges, who
// answered and who has not, and the owner's nudge card, without a reload. A new candidate day,
// a confirmation or the deadline reload the page once (my answers are saved by then). User
// text only ever goes in through textContent.
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
  const fill = (pattern, values) => pattern.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

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
    const toggle = document.querySelector('[data-paint-toggle]');
    let paintMode = false;
    // Only where touch is the main pointer is there a mode to choose; a mouse always paints.
    if (toggle && window.matchMedia('(pointer: coarse)').matches) {
      toggle.hidden = false;
      toggle.addEventListener('click', () => {
        paintMode = !paintMode;
        toggle.setAttribute('aria-pressed', String(paintMode));
        grid.classList.toggle('painting', paintMode);
      });
    }
    const isOn = (cell) => cell.getAttribute('aria-selected') === 'true';
    const select = (cell, on) => cell.setAttribute('aria-selected', on ? 'true' : 'false');
    const pos = (cell) => ({ r: cell.parentElement.sectionRowIndex, c: cell.cellIndex });
    const allCells = () => grid.querySelectorAll('[data-slot]');
    let anchor = null; // where the rectangle started: {cell, r, c, mode, before}
    let tapCell = null;

    const begin = (cell) => {
      const before = new Map();
      for (const c of allCells()) before.set(c, isOn(c));
      anchor = { ...pos(cell), mode: !isOn(cell), before };
    };
    // Everything inside the rectangle anchor–cell takes the anchor's mode; everything outside
    // goes back to how it was when the drag began (so dragging back shrinks the rectangle).
    const paintTo = (cell) => {
      if (!anchor) return;
      const p = pos(cell);
      const [r0, r1] = [Math.min(anchor.r, p.r), Math.max(anchor.r, p.r)];
      const [c0, c1] = [Math.min(anchor.c, p.c), Math.max(anchor.c, p.c)];
      for (const c of allCells()) {
        const q = pos(c);
        const inside = q.r >= r0 && q.r <= r1 && q.c >= c0 && q.c <= c1;
        select(c, inside ? anchor.mode : anchor.before.get(c));
      }
    };
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
      tapCell = null;
      if (!cell || e.button > 0) return;
      if (e.pointerType !== 'mouse' && !paintMode) {
        // Maybe a tap (pointerup below toggles it), maybe the start of a scroll: the browser
        // decides, and a scroll cancels the pointer.
        tapCell = cell;
        return;
      }
      e.preventDefault();
      painting = true;
      begin(cell);
      paintTo(cell);
      focusCell(cell);
    });
    grid.addEventListener('pointermove', (e) => {
      if (!painting) return;
      const cell = cellAt(e.clientX, e.clientY);
      if (cell) paintTo(cell);
    });
    const end = () => {
      if (!painting) return;
      painting = false;
      anchor = null;
      save();
    };
    window.addEventListener('pointerup', end);
    window.addEventListener('pointercancel', end);
    // A touch that ends where it began, without the browser taking it for a scroll (which
    // cancels the pointer instead), is a tap: it toggles that one cell. (Read from pointerup
    // rather than click, which the browser may hold back after a recent gesture.)
    grid.addEventListener('pointerup', (e) => {
      const cell = tapCell;
      tapCell = null;
      if (!cell || e.pointerType === 'mouse' || cellAt(e.clientX, e.clientY) !== cell) return;
      select(cell, !isOn(cell));
      focusCell(cell);
      save();
    });
    grid.addEventListener('pointercancel', () => { tapCell = null; });
    let keyAnchor = null;
    grid.addEventListener('keydown', (e) => {
      const cell = e.target.closest('[data-slot]');
      if (!cell) return;
      const row = cell.parentElement;
      const col = cell.cellIndex;
      let next = null;
      switch (e.key) {
        case 'ArrowRight': next = cell.nextElementSibling; break;
        case 'ArrowLeft': next = cell.previousElementSibling; break;
        case 'ArrowDown': next = row.nextElementSibling?.children[col]; break;
        case 'ArrowUp': next = row.previousElementSibling?.children[col]; break;
        case ' ':
        case 'Enter':
          e.preventDefault();
          select(cell, !isOn(cell));
          keyAnchor = cell;
          save();
          return;
        default: return;
      }
      e.preventDefault();
      if (!next || !next.matches('[data-slot]')) return;
      if (e.shiftKey) {
        // Shift+arrows widen a rectangle from the last toggled cell, in that cell's state.
        const from = keyAnchor || cell;
        begin(from);
        anchor.mode = isOn(from);
        paintTo(next);
        anchor = null;
        save();
      }
      focusCell(next);
    });
  }

  // --- day polls: answer as I tap ------------------------------------------------------------
  if (dayForm && open) {
    dayForm.addEventListener('change', (e) => { if (e.target.matches('input[data-answer]')) save(); });
    dayForm.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  }

  // --- the owner's nudge into the group chat -------------------------------------------------
  const nudgeBox = document.querySelector('[data-nudge-box]');
  const nudgeButton = document.querySelector('[data-kakao-nudge]');
  nudgeButton?.addEventListener('click', () => {
    if (!window.Kakao) return;
    if (!window.Kakao.isInitialized()) window.Kakao.init(nudgeButton.dataset.jsKey);
    window.Kakao.Share.sendDefault(JSON.parse(nudgeButton.dataset.talkShare));
  });
  function renderNudge(data) {
    if (!nudgeBox || !nudgeButton) return;
    nudgeBox.hidden = !data.nudge;
    if (!data.nudge) return;
    const link = { webUrl: data.nudge.url, mobileWebUrl: data.nudge.url };
    nudgeButton.dataset.talkShare = JSON.stringify({
      objectType: 'text', text: data.nudge.text, link, buttons: [{ title: data.nudge.button, link }],
    });
  }

  // --- the live heat-map ---------------------------------------------------------------------
  const heatCells = new Map(Array.from(document.querySelectorAll('[data-heat]'), (c) => [c.dataset.heat, c]));
  const ranking = document.querySelector('[data-ranking]');
  const rankingNone = document.querySelector('[data-ranking-none]');
  const confirmTemplate = document.querySelector('[data-confirm-template]');
  const dateText = (date) => document.querySelector(`[data-date-label="${date}"]`)?.dataset.text || date;
  const when = (r) => (r.start_time ? `${dateText(r.date)} ${r.start_time}–${r.end_time}` : dateText(r.date));

  function names(data, o) {
    const nick = (i) => data.respondents[i]?.nickname || '';
    return o.yes.map(nick).concat(o.maybe.map((i) => `${nick(i)}?`)).join(', ');
  }

  function renderRanking(data) {
    if (!ranking) return;
    // An owner filling in the confirmation keeps the form as it is.
    if (ranking.querySelector('details[open]')) return;
    const canConfirm = ranking.dataset.canConfirm === '1' && data.can_confirm && confirmTemplate;
    const nick = (i) => data.respondents[i]?.nickname || '';
    const line = (text) => { const p = document.createElement('p'); p.className = 'muted'; p.textContent = text; return p; };
    const items = data.ranges.map((r) => {
      const li = document.createElement('li');
      li.dataset.rank = r.start;
      li.dataset.minutes = String(r.minutes || 0);
      const head = document.createElement('p');
      head.className = 'range-when';
      const strong = document.createElement('strong');
      strong.textContent = when(r);
      const count = document.createElement('span');
      count.className = 'range-count';
      count.textContent = fill(ranking.dataset.countText, { count: r.yes.length + r.maybe.length, total: data.respondents.length });
      head.append(strong, ' ', count);
      li.append(head);
      if (r.cannot.length) li.append(line(fill(ranking.dataset.cannotText, { names: r.cannot.map(nick).join(', ') })));
      if (r.maybe.length) li.append(line(fill(ranking.dataset.maybeText, { names: r.maybe.map(nick).join(', ') })));
      if (canConfirm) {
        const box = confirmTemplate.content.firstElementChild.cloneNode(true);
        box.querySelector('[data-confirm]').dataset.confirm = r.start;
        box.querySelector('input[name=key]').value = r.start;
        const length = box.querySelector('select[name=duration_minutes]');
        if (length && r.minutes) length.value = String(r.minutes);
        li.append(box);
      }
      return li;
    });
    const sig = (lis) => Array.from(lis, (li) => `${li.dataset.rank} ${li.dataset.minutes} ${li.querySelector('.range-when')?.textContent} ${li.textContent}`).join('|');
    if (sig(ranking.children) !== sig(items)) ranking.replaceChildren(...items);
    if (rankingNone) rankingNone.hidden = data.ranges.length > 0;
  }

  function renderPeople(data) {
    const who = document.querySelector('[data-respondents]');
    const line = document.querySelector('[data-respondents-line]');
    if (who && line) {
      who.dataset.respondents = String(data.respondents.length);
      who.textContent = data.respondents.length
        ? `${line.dataset.label}: ${data.respondents.map((r) => r.nickname).join(', ')}`
        : line.dataset.none;
    }
    const waiting = document.querySelector('[data-waiting]');
    const waitingLine = document.querySelector('[data-waiting-line]');
    if (waiting && waitingLine) {
      waiting.dataset.waiting = String(data.waiting.length);
      waiting.textContent = `${waitingLine.dataset.label}: ${data.waiting.map((r) => r.nickname).join('·')}`;
      waitingLine.hidden = data.waiting.length === 0 || !data.open;
    }
    const max = document.querySelector('[data-legend-max]');
    if (max) max.textContent = max.textContent.replace(/\d+/, String(data.respondents.length));
  }

  function apply(data, saved = false) {
    const structure = data.dates.join(',') !== root.dataset.dates || data.open !== open || (data.event_id && root.dataset.confirmed !== '1');
    if (structure) {
      if (!painting && !saving) location.reload();
      return;
    }
    for (const o of data.options) {
      const cell = heatCells.get(o.key);
      if (!cell) continue;
      const count = o.yes.length + o.maybe.length;
      cell.className = kind === 'grid' ? `heat-${o.level}` : `pday-heat heat-${o.level}`;
      cell.dataset.count = String(count);
      cell.textContent = kind === 'grid' ? (count === 0 ? '' : String(count)) : `${count}${cell.dataset.unit || ''}`;
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
    renderPeople(data);
    renderRanking(data);
    renderNudge(data);
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
