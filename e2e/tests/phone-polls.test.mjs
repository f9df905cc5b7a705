// Issue #16's phone checks on the polls pages a member reaches from the room: the room's poll
// list (empty and with polls) and the new-poll form, at 360×740 and 390×844 (touch), Korean light
// and dark and English — no sideways scroll, no serious axe violation, thumb-sized targets, a
// tall primary action. (The poll page's painting grid is issue #18's redesign.) One server and
// one browser for the file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { PHONES, phoneContext, phoneProblems } from '../lib/phone.mjs';

let gachi;
let browser;

before(async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  gachi = await startServe([], { GACHI_DATABASE_URL: db });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  gachi?.stop();
});

async function loggedIn(phone, options) {
  const context = await phoneContext(browser, phone, options);
  const page = await context.newPage();
  await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent('/')}`);
  await page.click('button:has-text("김민지")');
  await page.waitForURL(`${gachi.base}/`);
  return { context, page };
}

async function api(page, path, body) {
  const resp = await page.request.post(`${gachi.base}/api/v1${path}`, { data: body, headers: { origin: gachi.base } });
  assert.ok(resp.ok(), `${path}: ${resp.status()} ${await resp.text()}`);
  return resp.json();
}

test('the poll list and the new-poll form pass the phone checks, empty and full, ko and en, light and dark', async () => {
  const variants = [
    ...PHONES.map((phone) => ({ phone, options: { colorScheme: 'light' } })),
    ...PHONES.map((phone) => ({ phone, options: { colorScheme: 'dark' } })),
    { phone: PHONES[1], options: { locale: 'en-US' } },
  ];
  for (const { phone, options } of variants) {
    const { context, page } = await loggedIn(phone, options);
    const label = `${phone.name} ${options.locale || 'ko-KR'} ${options.colorScheme || 'light'}`;
    if (options.locale === 'en-US') await page.goto(`${gachi.base}/lang/en?next=/`);
    const room = await api(page, '/rooms', { name: '대학 동기 연말 모임' });

    await page.goto(`${gachi.base}/rooms/${room.id}/polls`);
    assert.deepEqual(await phoneProblems(page), [], `empty poll list, ${label}`);

    await api(page, `/rooms/${room.id}/polls`, {
      title: '송년회 2차 날짜를 정해요 — 다들 되는 날을 골라 주세요, 길어도 화면 밖으로 나가면 안 돼요',
      kind: 'days', dates: ['2026-12-26', '2026-12-27', '2026-12-31'],
    });
    await api(page, `/rooms/${room.id}/polls`, { title: '1월 스터디 시간', kind: 'grid', dates: ['2027-01-08', '2027-01-09'] });
    await page.goto(`${gachi.base}/rooms/${room.id}/polls`);
    const titles = await page.locator('main').innerText();
    assert.match(titles, /1월 스터디 시간/, `the list shows the polls, ${label}`);
    assert.deepEqual(await phoneProblems(page), [], `poll list with polls, ${label}`);

    await page.goto(`${gachi.base}/rooms/${room.id}/polls/new`);
    assert.deepEqual(await phoneProblems(page), [], `new-poll form, ${label}`);
    await context.close();
  }
});
