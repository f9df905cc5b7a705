// Issue #16 part A, the phone-first shell, in a real browser on phones (360×740 and 390×844,
// touch, ko-KR, and once in English): the shell's pages pass the phone checks (no sideways
// scroll, no serious axe violation, thumb-sized targets, a tall primary action); every
// destructive action does nothing until confirmed in the dialog and then says what it did; a
// save is announced (role=status); a failed event form survives a reload and a language
// switch; the event form hides the times for 종일 and moves the end with the start; the event
// page's title is clean. One server and one browser for the file; screenshots go to
// /tmp/shots-shell/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { PHONES, phoneContext, phoneProblems } from '../lib/phone.mjs';

const SHOTS = process.env.SHOTS_DIR || '/tmp/shots-shell';
mkdirSync(SHOTS, { recursive: true });

let gachi;
let browser;
const contexts = [];

before(async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  gachi = await startServe([], { GACHI_DATABASE_URL: db });
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  gachi?.stop();
});

async function phonePage(phone, options = {}) {
  const context = await phoneContext(browser, phone, options);
  contexts.push(context);
  return context.newPage();
}

async function loginAs(page, nickname, next = '/') {
  await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent(next)}`);
  await page.click(`button:has-text("${nickname}")`);
  await page.waitForURL(`${gachi.base}${next}`);
}

async function createRoom(page, name) {
  await page.goto(`${gachi.base}/`);
  await page.fill('#name', name);
  await page.click('[data-create-room] button[type=submit]');
  await page.waitForSelector('[data-room-name]');
  return new URL(page.url()).pathname.split('/')[2];
}

/** The announced message: the role=status element's text, once it is there. */
async function toastText(page, expected) {
  await page.waitForFunction(
    (text) => document.querySelector('[role=status]')?.textContent.trim() === text,
    expected,
  );
  return page.textContent('[role=status]');
}

/** Taps `selector`, dismisses the dialog, then taps again and confirms. */
async function dismissThenConfirm(page, selector, { unchanged, title }) {
  await page.tap(selector);
  await page.waitForSelector('#confirm-dialog[open]');
  if (title) assert.equal((await page.textContent('#confirm-dialog [data-confirm-title]')).trim(), title);
  await page.tap('#confirm-dialog [data-confirm-cancel]');
  await page.waitForSelector('#confirm-dialog:not([open])', { state: 'attached' });
  await unchanged();
  await page.tap(selector);
  await page.waitForSelector('#confirm-dialog[open]');
  await Promise.all([page.waitForNavigation(), page.tap('#confirm-dialog [data-confirm-ok]')]);
}

async function shoot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function checkPage(page, label) {
  assert.deepEqual(await phoneProblems(page), [], label);
}

test('the shell pages pass the phone checks at 360 and 390 px, in Korean and in English', async () => {
  const runs = [
    ...PHONES.map((phone) => ({ phone, locale: 'ko-KR', colorScheme: 'light' })),
    { phone: PHONES[1], locale: 'ko-KR', colorScheme: 'dark' },
    { phone: PHONES[1], locale: 'en-US', colorScheme: 'light' },
  ];
  for (const { phone, locale, colorScheme } of runs) {
    const tag = `${phone.name}-${locale}-${colorScheme}`;
    const page = await phonePage(phone, { locale, colorScheme });
    await page.goto(`${gachi.base}/`);
    await checkPage(page, `home logged out ${tag}`);
    await shoot(page, `home-out-${tag}`);
    await page.goto(`${gachi.base}/no/such/page`);
    await checkPage(page, `404 logged out ${tag}`);

    await loginAs(page, '김민지');
    await checkPage(page, `home logged in ${tag}`);
    await shoot(page, `home-in-${tag}`);
    const roomId = await createRoom(page, `폰 확인 ${tag}`);
    await page.goto(`${gachi.base}/rooms/${roomId}/events/new?date=2026-12-19`);
    await checkPage(page, `event form ${tag}`);
    await shoot(page, `event-form-${tag}`);
    await page.fill('#title', '송년회');
    await page.fill('#start_time', '19:00');
    await page.fill('#end_time', '21:30');
    await page.fill('#location', '홍대');
    await page.tap('[data-save-event]');
    await page.waitForSelector('[data-calendar]');
    await page.tap('[data-event-chip]');
    await page.waitForSelector('[data-event-title]');
    await checkPage(page, `event page ${tag}`);
    await shoot(page, `event-page-${tag}`);
    await page.goto(`${gachi.base}/account`);
    await page.waitForSelector('[data-account]');
    await checkPage(page, `account ${tag}`);
    await shoot(page, `account-${tag}`);
    await page.goto(`${gachi.base}/rooms/${roomId}?date=9999-12-15`);
    assert.ok(await page.isVisible('[data-error]'));
    assert.ok(await page.isVisible('[data-me]'), 'the error page keeps the session');
    await checkPage(page, `error page ${tag}`);
    await shoot(page, `error-${tag}`);
    await page.goto(`${gachi.base}/no/such/page`);
    assert.equal(await page.textContent('[data-me]'), '김민지', 'the 404 page keeps the session');
    await checkPage(page, `404 ${tag}`);
    await shoot(page, `404-${tag}`);
    await page.context().close();
  }
});

test('a save is announced, and the event page speaks like the rest of the app', async () => {
  const page = await phonePage(PHONES[1]);
  await loginAs(page, '김민지');
  const roomId = await createRoom(page, '송년회 준비');
  assert.equal((await toastText(page, '공유방을 만들었어요')).trim(), '공유방을 만들었어요');
  await page.goto(`${gachi.base}/rooms/${roomId}/events/new?date=2026-12-19`);

  // 종일 hides the times and shows the last day; the end follows the start.
  assert.ok(await page.isVisible('#start_time'));
  assert.ok(!(await page.isVisible('#end_date')), 'no end date for a timed event');
  assert.ok(!(await page.isVisible('#time_zone')), 'the time zone waits under 더보기');
  await page.fill('#start_time', '19:00');
  await page.fill('#end_time', '21:30');
  await page.fill('#start_time', '18:00');
  assert.equal(await page.inputValue('#end_time'), '20:30', 'the end keeps the duration');
  await page.check('#all_day');
  assert.ok(!(await page.isVisible('#start_time')) && !(await page.isVisible('#end_time')));
  assert.ok(await page.isVisible('#end_date'));
  await page.uncheck('#all_day');
  assert.ok(await page.isVisible('#start_time'));
  await page.tap('[data-more] summary');
  assert.equal(await page.inputValue('#time_zone'), 'Asia/Seoul', "the room's zone");

  await page.fill('#title', '송년회');
  await page.fill('#start_time', '19:00');
  await page.fill('#end_time', '21:30');
  await page.tap('[data-save-event]');
  await page.waitForSelector('[data-calendar]');
  assert.equal((await toastText(page, '일정을 저장했어요')).trim(), '일정을 저장했어요');
  assert.equal(await page.getAttribute('[role=status]', 'aria-live'), 'polite');
  await page.tap('[data-event-chip]');
  await page.waitForSelector('[data-event-when]');
  assert.equal((await page.textContent('[data-event-when]')).trim(), '12월 19일 (토) 오후 7:00 – 9:30');
  assert.equal(await page.title(), '송년회 · 송년회 준비', 'a clean title');

  await page.fill('#location', '합정');
  await page.tap('[data-save-event]');
  await page.waitForSelector('[data-event-when]');
  assert.equal((await toastText(page, '일정을 수정했어요')).trim(), '일정을 수정했어요');
});

test('a failed event form comes back after a reload and a language switch, never 405', async () => {
  const page = await phonePage(PHONES[0]);
  await loginAs(page, '김민지');
  const roomId = await createRoom(page, '폼 확인');
  const formUrl = `${gachi.base}/rooms/${roomId}/events/new`;
  await page.goto(`${formUrl}?date=2026-12-24`);
  await page.fill('#title', '늦은 저녁');
  await page.fill('#memo', '아무도 모르게');
  await page.fill('#start_time', '21:00');
  await page.fill('#end_time', '20:00');
  await page.tap('[data-save-event]');
  await page.waitForURL(formUrl);
  const check = async (errorPattern) => {
    assert.equal(await page.inputValue('#title'), '늦은 저녁');
    assert.equal(await page.inputValue('#memo'), '아무도 모르게');
    assert.equal(await page.getAttribute('#end_time', 'aria-invalid'), 'true');
    const described = await page.getAttribute('#end_time', 'aria-describedby');
    assert.match(await page.textContent(`#${described}`), errorPattern);
    await page.waitForFunction(() => document.activeElement?.id === 'end_time');
  };
  await check(/끝이 시작보다 앞설 수 없어요/);
  await shoot(page, 'event-form-error-360');
  assert.deepEqual(await phoneProblems(page), []);
  const reloaded = await page.reload();
  assert.equal(reloaded.status(), 200, 'a reload shows the form, not 405');
  await check(/끝이 시작보다 앞설 수 없어요/);
  await page.tap('[data-lang-toggle]');
  await page.waitForURL(formUrl);
  await check(/end/i);
  assert.doesNotMatch(await page.textContent('main'), /405/);
  await page.tap('[data-lang-toggle]');
  await page.waitForURL(formUrl);
});

test('every destructive action does nothing until confirmed, then says what it did', async () => {
  const owner = await phonePage(PHONES[1]);
  const friend = await phonePage(PHONES[0]);
  const third = await phonePage(PHONES[1]);
  await loginAs(owner, '김민지');
  const roomId = await createRoom(owner, '정리할 방');
  const roomUrl = `${gachi.base}/rooms/${roomId}`;
  await owner.tap('[data-new-invite]');
  const link = (await owner.textContent('[data-invite-link]')).trim();
  for (const [page, name] of [[friend, '이서준'], [third, '박지우']]) {
    await loginAs(page, name);
    await page.goto(link);
    await page.tap('[data-accept-invite]');
    await page.waitForSelector('[data-room-name]');
    assert.equal((await toastText(page, '공유방에 들어왔어요')).trim(), '공유방에 들어왔어요');
  }
  await owner.goto(roomUrl);
  const memberCount = () => owner.$$eval('[data-members] li', (lis) => lis.length);
  assert.equal(await memberCount(), 3);

  // 내보내기
  await dismissThenConfirm(owner, '[data-members] li:has-text("이서준") [data-remove]', {
    title: '이 멤버를 내보낼까요?',
    unchanged: async () => assert.equal(await memberCount(), 3),
  });
  await toastText(owner, '멤버를 내보냈어요');
  assert.equal(await memberCount(), 2);

  // 캘린더 주소 새로 만들기
  const feed = (await owner.textContent('[data-feed-url]')).trim();
  await dismissThenConfirm(owner, '[data-feed-rotate]', {
    unchanged: async () => assert.equal((await owner.textContent('[data-feed-url]')).trim(), feed),
  });
  await toastText(owner, '캘린더 주소를 새로 만들었어요');
  assert.notEqual((await owner.textContent('[data-feed-url]')).trim(), feed);

  // 일정 삭제: back on the event's month.
  await owner.goto(`${roomUrl}/events/new?date=2027-02-10`);
  await owner.fill('#title', '지울 일정');
  await owner.tap('[data-save-event]');
  await owner.waitForSelector('[data-calendar]');
  await owner.tap('[data-event-chip]');
  await owner.waitForSelector('[data-delete-event]');
  const eventUrl = owner.url();
  await dismissThenConfirm(owner, '[data-delete-event]', {
    title: '이 일정을 삭제할까요?',
    unchanged: async () => assert.equal(owner.url(), eventUrl),
  });
  await toastText(owner, '일정을 삭제했어요');
  assert.equal(owner.url(), `${roomUrl}?date=2027-02-10`, "the event's month");
  assert.doesNotMatch(await owner.textContent('[data-calendar]'), /지울 일정/);

  // 방장 넘기기
  await dismissThenConfirm(owner, '[data-members] li:has-text("박지우") [data-transfer]', {
    unchanged: async () => assert.ok(await owner.isVisible('[data-delete-room]'), 'still the owner'),
  });
  await toastText(owner, '방장을 넘겼어요');
  assert.ok(await owner.isVisible('[data-leave]'), 'now a member, who can leave');

  // 방 나가기
  await dismissThenConfirm(owner, '[data-leave]', {
    unchanged: async () => assert.equal(owner.url(), roomUrl),
  });
  await toastText(owner, '공유방에서 나왔어요');
  assert.equal(new URL(owner.url()).pathname, '/');
  assert.equal(await owner.$(`[data-room-link][href="/rooms/${roomId}"]`), null);

  // 공유방 삭제 (the new owner)
  await third.goto(roomUrl);
  await dismissThenConfirm(third, '[data-delete-room-button]', {
    title: '공유방을 삭제할까요?',
    unchanged: async () => assert.ok(await third.isVisible('[data-room-name]')),
  });
  await toastText(third, '공유방을 삭제했어요');
  assert.equal(new URL(third.url()).pathname, '/');
  assert.equal((await third.goto(roomUrl)).status(), 404);

  // 동의 철회
  await owner.goto(`${gachi.base}/account`);
  const scope = await owner.getAttribute('[data-revoke]', 'data-revoke');
  const agreed = () => owner.getAttribute(`[data-consent="${scope}"]`, 'data-agreed');
  await dismissThenConfirm(owner, `[data-revoke="${scope}"]`, {
    title: '동의를 철회할까요?',
    unchanged: async () => assert.equal(await agreed(), 'true'),
  });
  await toastText(owner, '동의를 철회했어요');
  assert.equal(await agreed(), 'false');

  // 계정 삭제 (the removed friend)
  await friend.goto(`${gachi.base}/account`);
  await dismissThenConfirm(friend, '[data-delete-button]', {
    title: '계정을 삭제할까요?',
    unchanged: async () => assert.ok(await friend.isVisible('[data-account]')),
  });
  await toastText(friend, '계정을 삭제했어요. 그동안 고마웠어요');
  assert.equal(await friend.$('[data-me]'), null, 'logged out');
  await shoot(friend, 'after-account-delete-360');
});

test('without the script, a destructive post answers with a confirmation page', async () => {
  const context = await browser.newContext({
    viewport: PHONES[1].viewport, isMobile: true, hasTouch: true, locale: 'ko-KR', javaScriptEnabled: false,
  });
  contexts.push(context);
  const page = await context.newPage();
  await loginAs(page, '김민지');
  const roomId = await createRoom(page, '스크립트 없는 방');
  await page.tap('[data-delete-room-button]');
  await page.waitForSelector('[data-confirm-page]');
  assert.match(await page.textContent('h1'), /공유방을 삭제할까요/);
  await shoot(page, 'confirm-page-390');
  await page.tap('[data-confirm-no]');
  await page.waitForSelector('[data-room-name]');
  await page.tap('[data-delete-room-button]');
  await page.tap('[data-confirm-yes]');
  await page.waitForURL(`${gachi.base}/`);
  assert.match(await page.textContent('[role=status]'), /공유방을 삭제했어요/);
  assert.equal((await page.goto(`${gachi.base}/rooms/${roomId}`)).status(), 404);
});
