// Issue #16 (phone first), the calendar part: the room's month, week and list views at 360×740
// and 390×844 (touch, ko-KR, light and dark) and once in English. A realistic December: 송년회
// and 점심 on the same day, a three-day trip, a workshop across a week boundary, a countdown
// across midnight, a Thursday with six events, and a yoga class every Tuesday. In the month view
// every event shows the first characters of its title, a multi-day event is one bar per week
// row, a full day offers "+N" that leads to all its events, and today's number is readable; the
// week view is a week (seven days, a span once, a title on one line) and the list names each
// multi-day event once. One server and one browser for the file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { PHONES, phoneContext, phoneProblems } from '../lib/phone.mjs';

const CAL = '[data-calendar]';
const FULL_DAY = ['아침 운동', '팀 회의', '점심 약속', '치과', '카페 작업', '스터디'];
let gachi;
let browser;
let roomId;
let storageState;

async function api(page, body) {
  const resp = await page.request.post(`${gachi.base}/api/v1/rooms/${roomId}/events`, {
    data: body,
    headers: { origin: gachi.base },
  });
  assert.equal(resp.status(), 201, await resp.text());
}

const timed = (title, day, from, to, extra = {}) => ({
  title,
  starts_at: `${day}T${from}:00+09:00`,
  ends_at: `${extra.endDay || day}T${to}:00+09:00`,
  ...(extra.location ? { location: extra.location } : {}),
  ...(extra.rrule ? { rrule: extra.rrule } : {}),
});

before(async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  gachi = await startServe([], { GACHI_DATABASE_URL: db });
  // Today is Sunday 2026-12-20 in Seoul: a red day, the case the issue found unreadable.
  const clock = await fetch(`${gachi.base}/_kakao/_admin/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ set: '2026-12-20T09:00:00+09:00' }),
  });
  assert.ok(clock.ok, `clock: ${clock.status}`);
  browser = await launchBrowser();
  const context = await phoneContext(browser, PHONES[1]);
  const page = await context.newPage();
  await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent('/')}`);
  await page.click('button:has-text("김민지")');
  await page.waitForURL(`${gachi.base}/`);
  await page.fill('#name', '연말 모임');
  await page.click('[data-create-room] button[type=submit]');
  await page.waitForSelector('[data-room-name]');
  roomId = new URL(page.url()).pathname.split('/')[2];

  await api(page, timed('송년회', '2026-12-24', '19:00', '21:00', { location: '홍대' }));
  await api(page, timed('점심', '2026-12-24', '12:00', '13:00'));
  await api(page, { title: '제주도 여행', all_day: true, start_date: '2026-12-16', end_date: '2026-12-18' });
  await api(page, { title: '워크숍', all_day: true, start_date: '2026-12-26', end_date: '2026-12-28' });
  await api(page, timed('새해 카운트다운', '2026-12-31', '22:00', '02:00', { endDay: '2027-01-01' }));
  const times = ['07:00', '10:00', '12:30', '15:00', '17:00', '19:30'];
  for (const [i, title] of FULL_DAY.entries()) {
    const [h, m] = times[i].split(':').map(Number);
    await api(page, timed(title, '2026-12-10', times[i], `${String(h + 1).padStart(2, '0')}:${String(m).padStart(2, '0')}`));
  }
  await api(page, timed('요가', '2026-12-01', '20:00', '21:00', { rrule: 'FREQ=WEEKLY;BYDAY=TU' }));
  storageState = await context.storageState();
  await context.close();
});

after(async () => {
  await browser?.close();
  gachi?.stop();
});

async function open(phone, path, options = {}) {
  const context = await phoneContext(browser, phone, { storageState, ...options });
  const page = await context.newPage();
  await page.goto(`${gachi.base}/rooms/${roomId}${path}`);
  await page.waitForSelector(CAL);
  return page;
}

/**
 * The phone checks: phoneProblems over the whole room page (no sideways scrolling, no serious
 * axe violation, targets), plus every link in the calendar at least 24×24 px, chips in cells
 * included (phone.mjs exempts links in a cell with more text, but a calendar cell is not
 * running text).
 */
async function calendarProblems(page) {
  const problems = await phoneProblems(page);
  const small = await page.$$eval(`${CAL} a[href]`, (links) => links
    .map((a) => ({ r: a.getBoundingClientRect(), t: a.textContent.trim().slice(0, 20) }))
    .filter(({ r }) => r.width > 0 && (r.width < 24 || r.height < 24))
    .map(({ r, t }) => `small link "${t}" ${Math.round(r.width)}x${Math.round(r.height)}`));
  return [...problems, ...small];
}

/**
 * For every event (and holiday name) in the month grid: the first two characters of its title,
 * measured with a DOM Range, lie inside the element's content box, inside the cells it covers
 * and on screen, and text-overflow has not replaced them with an ellipsis. Returns the failures.
 */
async function clippedTitles(page) {
  return page.$$eval('table.month [data-event-chip], table.month [data-holiday]', (chips) => {
    const out = [];
    const canvas = document.createElement('canvas').getContext('2d');
    for (const el of chips) {
      const tt = el.querySelector('.tt') || el;
      const text = tt.firstChild;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, Math.min(2, text.length));
      const r = range.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const content = {
        left: box.left + parseFloat(style.paddingLeft),
        right: box.right - parseFloat(style.paddingRight),
      };
      const td = el.closest('td').getBoundingClientRect();
      const cells = { left: td.left, right: td.left + td.width * Number(el.dataset.days || 1), top: td.top, bottom: td.bottom };
      const ttBox = tt.getBoundingClientRect();
      const ttStyle = getComputedStyle(tt);
      canvas.font = `${ttStyle.fontWeight} ${ttStyle.fontSize} ${ttStyle.fontFamily}`;
      const ellipsis = tt.scrollWidth > tt.clientWidth ? canvas.measureText('…').width : 0;
      const fine = r.width > 0
        && r.left >= content.left - 0.5 && r.right <= content.right + 0.5
        && r.left >= ttBox.left - 0.5 && r.right <= ttBox.right - ellipsis + 0.5
        && r.left >= cells.left - 0.5 && r.right <= cells.right + 0.5
        && r.top >= cells.top - 0.5 && r.bottom <= cells.bottom + 0.5
        && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5
        && r.left >= 0 && r.right <= window.innerWidth;
      if (!fine) out.push(`${el.closest('td').dataset.date} "${text.textContent}" first two at ${Math.round(r.left)}–${Math.round(r.right)}, content ${Math.round(content.left)}–${Math.round(content.right)}, title box ${Math.round(ttBox.left)}–${Math.round(ttBox.right)} (ellipsis ${ellipsis > 0})`);
    }
    return out;
  });
}

/** WCAG contrast of an element's text against the first opaque background behind it. */
async function contrast(page, selector) {
  return page.$eval(selector, (el) => {
    const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg = null;
    for (let n = el; n && !bg; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] === 1)) bg = c;
    }
    const fg = rgb(getComputedStyle(el).color);
    const [a, b] = [lum(fg), lum(bg || [255, 255, 255])].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
}

async function titlesIn(page, selector) {
  return page.$$eval(`${selector} [data-event-chip] .tt`, (els) => els.map((e) => e.textContent.trim()));
}

for (const phone of PHONES) {
  for (const colorScheme of ['light', 'dark']) {
    test(`month view at ${phone.name} (${colorScheme}): titles first, one bar per row, +N, readable today`, async () => {
      const page = await open(phone, '?view=month&date=2026-12-01', { colorScheme });
      try {
        assert.deepEqual(await calendarProblems(page), []);
        assert.deepEqual(await clippedTitles(page), []);

        // 송년회 and 점심 share a day and still read differently.
        const on24 = await titlesIn(page, 'td[data-date="2026-12-24"]');
        assert.deepEqual(on24.sort(), ['송년회', '점심']);

        // The trip is one bar three days wide; the workshop is one bar in each row it touches,
        // with the cue that it goes on (and came from the row before).
        const trip = await page.$$('table.month [data-event-chip]:has-text("제주도 여행")');
        assert.equal(trip.length, 1, 'one bar for the three-day trip');
        assert.equal(await trip[0].getAttribute('data-days'), '3');
        const tripBox = await trip[0].boundingBox();
        const cells = await Promise.all(['2026-12-16', '2026-12-18'].map((d) => page.locator(`td[data-date="${d}"]`).boundingBox()));
        assert.ok(tripBox.x <= cells[0].x + 2 && tripBox.x + tripBox.width >= cells[1].x + cells[1].width - 3, 'the bar reaches from Wednesday to Friday');
        const workshop = await page.$$eval('table.month [data-event-chip]', (els) => els
          .filter((e) => e.textContent.includes('워크숍'))
          .map((e) => ({ date: e.closest('td').dataset.date, days: e.dataset.days, cls: e.className })));
        assert.deepEqual(workshop.map((w) => [w.date, w.days]), [['2026-12-26', '1'], ['2026-12-27', '2']]);
        assert.match(workshop[0].cls, /to-next/);
        assert.match(workshop[1].cls, /from-prev/);
        // The countdown crosses midnight: one bar over Thursday and Friday.
        const countdown = await page.$$eval('table.month [data-event-chip]', (els) => els
          .filter((e) => e.textContent.includes('새해 카운트다운')).map((e) => [e.closest('td').dataset.date, e.dataset.days]));
        assert.deepEqual(countdown, [['2026-12-31', '2']]);
        // Bars and chips never overlap.
        const overlaps = await page.$$eval('table.month tr', (rows) => {
          const out = [];
          for (const row of rows) {
            const boxes = [...row.querySelectorAll('[data-event-chip], [data-more], [data-holiday]')].map((e) => [e.textContent.trim(), e.getBoundingClientRect()]);
            for (let i = 0; i < boxes.length; i += 1) {
              for (let j = i + 1; j < boxes.length; j += 1) {
                const [a, ra] = boxes[i];
                const [b, rb] = boxes[j];
                const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
                const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
                if (x > 1 && y > 1) out.push(`${a} / ${b}`);
              }
            }
          }
          return out;
        });
        assert.deepEqual(overlaps, []);
        // The weekly yoga class is on every Tuesday.
        for (const day of ['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29']) {
          assert.ok((await titlesIn(page, `td[data-date="${day}"]`)).includes('요가'), `요가 on ${day}`);
        }

        // Today (a Sunday) and its neighbours from other months are readable.
        assert.equal(await page.$eval('td.today [aria-current="date"]', (a) => a.firstChild.textContent), '20');
        for (const sel of ['td.today .num', 'td[data-date="2026-11-29"] .num', 'td[data-date="2026-12-25"] .num', 'td[data-date="2027-01-02"] .num', 'table.month th.sun']) {
          const ratio = await contrast(page, sel);
          assert.ok(ratio >= 4.5, `${sel}: contrast ${ratio.toFixed(2)}`);
        }

        // The full Thursday shows two events and "+4", which leads to all six.
        const more = page.locator('td[data-date="2026-12-10"] [data-more]');
        assert.equal(await more.evaluate((a) => a.firstChild.textContent), '+4');
        assert.match(await more.textContent(), /12월 10일 \(목\) 일정 4개 더 보기/, 'what a screen reader hears');
        assert.equal((await titlesIn(page, 'td[data-date="2026-12-10"]')).length, 2);
        await more.tap();
        await page.waitForSelector('[data-calendar="day"]');
        const all = await titlesIn(page, 'li[data-date="2026-12-10"]');
        assert.deepEqual(all.sort(), [...FULL_DAY].sort());
        assert.deepEqual(await calendarProblems(page), []);
      } finally {
        await page.context().close();
      }
    });
  }

  test(`week view at ${phone.name}: seven days, spans once, the title on one line`, async () => {
    const page = await open(phone, '?view=week&date=2026-12-24');
    try {
      assert.deepEqual(await calendarProblems(page), []);
      const days = await page.$$eval('[data-agenda] > li[data-date]', (lis) => lis.map((li) => li.dataset.date));
      assert.deepEqual(days, ['2026-12-20', '2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24', '2026-12-25', '2026-12-26']);
      assert.equal((await page.textContent('[data-cal-title]')).trim(), '12월 20일 – 26일');
      const title = await page.$eval('[data-cal-title]', (el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
      assert.equal(title, 1, 'the title never wraps');
      const tabs = await page.$$eval('nav.cal-tabs a', (as) => new Set(as.map((a) => Math.round(a.getBoundingClientRect().top))).size);
      assert.equal(tabs, 1, 'the tabs stay on one row');
      assert.deepEqual(await titlesIn(page, 'li[data-date="2026-12-24"]'), ['점심', '송년회']);
      const workshop = page.locator('[data-agenda] [data-event-chip]:has-text("워크숍")');
      assert.equal(await workshop.count(), 1, 'the workshop once');
      assert.equal(await workshop.locator('xpath=ancestor::li[@data-date]').getAttribute('data-date'), '2026-12-26');
      assert.match(await workshop.textContent(), /12월 26일 \(토\) – 28일 \(월\)/);
      assert.match(await workshop.textContent(), /다음 주까지/);
      assert.ok(await page.isVisible('li[data-date="2026-12-25"] [data-holiday]'));

      // The week of the trip: once, with its span.
      await page.goto(`${gachi.base}/rooms/${roomId}?view=week&date=2026-12-13`);
      const trip = page.locator('[data-agenda] [data-event-chip]:has-text("제주도 여행")');
      assert.equal(await trip.count(), 1);
      assert.match(await trip.textContent(), /12월 16일 \(수\) – 18일 \(금\)/);
      // The next week begins with the rest of the workshop, said to come from the week before.
      await page.goto(`${gachi.base}/rooms/${roomId}?view=week&date=2026-12-27`);
      assert.match(await page.textContent('li[data-date="2026-12-27"]'), /워크숍[\s\S]*지난주부터/);
      assert.deepEqual(await calendarProblems(page), []);
    } finally {
      await page.context().close();
    }
  });

  test(`list view at ${phone.name}: grouped by day, each multi-day event once`, async () => {
    const page = await open(phone, '?view=list&date=2026-12-01');
    try {
      assert.deepEqual(await calendarProblems(page), []);
      const days = await page.$$eval('[data-agenda] > li[data-date]', (lis) => lis.map((li) => li.dataset.date));
      assert.deepEqual(days, [...days].sort(), 'in order');
      assert.equal(new Set(days).size, days.length, 'one group per day');
      for (const [title, day, span] of [
        ['제주도 여행', '2026-12-16', /12월 16일 \(수\) – 18일 \(금\)/],
        ['워크숍', '2026-12-26', /12월 26일 \(토\) – 28일 \(월\)/],
        ['새해 카운트다운', '2026-12-31', /12월 31일 \(목\) 오후 10:00 – 1월 1일 \(금\) 오전 2:00/],
      ]) {
        const chips = page.locator(`[data-agenda] [data-event-chip]:has-text("${title}")`);
        assert.equal(await chips.count(), 1, `${title} once`);
        assert.equal(await chips.locator('xpath=ancestor::li[@data-date]').getAttribute('data-date'), day);
        assert.match(await chips.textContent(), span);
      }
      assert.equal((await titlesIn(page, 'li[data-date="2026-12-10"]')).length, 6);
    } finally {
      await page.context().close();
    }
  });
}

test('in English at 390×844: month, week and list pass the same checks', async () => {
  const phone = PHONES[1];
  const page = await open(phone, '?view=month&date=2026-12-01', { locale: 'en-US' });
  try {
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.deepEqual(await calendarProblems(page), []);
    assert.deepEqual(await clippedTitles(page), []);
    assert.match(await page.textContent('td[data-date="2026-12-10"] [data-more]'), /\+4 Thu, Dec 10 4 more events/);
    await page.goto(`${gachi.base}/rooms/${roomId}?view=week&date=2026-12-24`);
    assert.equal((await page.textContent('[data-cal-title]')).trim(), 'Dec 20 – 26, 2026');
    assert.deepEqual(await calendarProblems(page), []);
    assert.match(await page.textContent('li[data-date="2026-12-24"]'), /7:00 PM/);
    assert.match(await page.textContent('[data-agenda]'), /into next week/);
    await page.goto(`${gachi.base}/rooms/${roomId}?view=list&date=2026-12-01`);
    assert.deepEqual(await calendarProblems(page), []);
    assert.match(await page.textContent('[data-agenda]'), /Wed, Dec 16 – Fri, Dec 18/);
  } finally {
    await page.context().close();
  }
});
