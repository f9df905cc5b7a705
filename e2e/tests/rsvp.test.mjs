// Issue #19's browser test, on a phone (390×844, touch, ko-KR): a member answers 참석 on the
// event page and sees the counts and their own answer pressed; then, from a KakaoTalk card's
// second button ("참석 여부 알려주기") opened in a browser with no Gachi session (KakaoTalk's
// in-app browser), the member goes through Kakao login straight to the RSVP buttons and changes
// to 불참, and the owner's page shows it; someone outside the room lands on the invitation. The
// month grid shows "✓1" beside the day's number without narrowing the event's title.
// One server and one browser for the file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { phoneContext, phoneProblems, PHONES } from '../lib/phone.mjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PHONE = PHONES[1]; // 390x844
let gachi;
let browser;
let owner;
let friend;
let roomId;
let eventId;

async function loginAs(page, nickname, next = '/') {
  await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent(next)}`);
  await page.tap(`button:has-text("${nickname}")`);
}

before(async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  gachi = await startServe([], { GACHI_DATABASE_URL: db });
  browser = await launchBrowser();
  owner = await (await phoneContext(browser, PHONE)).newPage();
  await loginAs(owner, '김민지');
  await owner.waitForURL(`${gachi.base}/`);
  await owner.fill('#name', '송년회방');
  await owner.tap('[data-create-room] button[type=submit]');
  await owner.waitForSelector('[data-room-name]');
  roomId = new URL(owner.url()).pathname.split('/')[2];
  await owner.tap('[data-new-invite]');
  const link = (await owner.textContent('[data-invite-link]')).trim();

  friend = await (await phoneContext(browser, PHONE)).newPage();
  await loginAs(friend, '이서준', new URL(link).pathname);
  await friend.waitForURL(`${gachi.base}${new URL(link).pathname}`);
  await friend.tap('[data-accept-invite]');
  await friend.waitForSelector('[data-room-name]');

  await owner.goto(`${gachi.base}/rooms/${roomId}/events/new?date=2026-12-24`);
  await owner.fill('#title', '송년회 1차');
  await owner.fill('#start_time', '19:00');
  await owner.fill('#end_time', '21:00');
  await owner.fill('#location', '홍대입구역');
  await owner.tap('[data-save-event]');
  await owner.waitForSelector('[data-calendar]');
  await owner.goto(`${gachi.base}/rooms/${roomId}?view=list&date=2026-12-01`);
  await owner.tap('li[data-date="2026-12-24"] [data-event-chip]');
  await owner.waitForSelector('[data-rsvp]');
  eventId = new URL(owner.url()).pathname.split('/')[4];
});

after(async () => {
  await browser?.close();
  gachi?.stop();
});

test('a member answers 참석 on the event page', async () => {
  await friend.goto(`${gachi.base}/rooms/${roomId}/events/${eventId}`);
  assert.match(await friend.textContent('[data-rsvp-summary]'), /아직 아무도/);
  await friend.tap('[data-rsvp-answer="yes"]');
  await friend.waitForURL(/#rsvp$/);
  assert.equal((await friend.textContent('[data-rsvp-summary]')).trim(), '1명 참석');
  assert.equal(await friend.getAttribute('[data-rsvp-answer="yes"]', 'aria-pressed'), 'true');
  assert.equal(await friend.getAttribute('[data-rsvp-answer="no"]', 'aria-pressed'), 'false');
  assert.match(await friend.textContent('[data-rsvp-group="yes"]'), /이서준/);
  assert.deepEqual(await phoneProblems(friend), []);

  // The owner sees the answer, who has not answered, and the count in the room's list.
  await owner.goto(`${gachi.base}/rooms/${roomId}/events/${eventId}`);
  assert.match(await owner.textContent('[data-rsvp-unanswered]'), /김민지/);
  await owner.tap('[data-rsvp-answer="maybe"]');
  await owner.waitForURL(/#rsvp$/);
  assert.equal((await owner.textContent('[data-rsvp-summary]')).trim(), '1명 참석 · 1명 미정');
  assert.equal(await owner.$('[data-rsvp-unanswered]'), null, 'everyone answered');
  await owner.goto(`${gachi.base}/rooms/${roomId}?view=list&date=2026-12-01`);
  assert.match(await owner.textContent('li[data-date="2026-12-24"] [data-rsvp-count]'), /1명 참석 · 1명 미정/);

  // The month grid: "✓1" beside the day's number, and the chip's title as wide as before.
  await owner.goto(`${gachi.base}/rooms/${roomId}?view=month&date=2026-12-01`);
  const cell = 'td[data-date="2026-12-24"]';
  assert.equal((await owner.textContent(`${cell} [data-rsvp-going] [aria-hidden]`)).trim(), '✓1');
  const badge = await owner.$eval(`${cell} [data-rsvp-going]`, (el) => [el.scrollWidth, el.clientWidth]);
  assert.ok(badge[0] <= badge[1], `the count is not cut: ${badge}`);
  const [chip, title, going] = await Promise.all(
    [`${cell} [data-event-chip]`, `${cell} [data-event-chip] .tt`, `${cell} [data-rsvp-going]`]
      .map(async (sel) => (await owner.$(sel)).boundingBox()),
  );
  assert.ok(title.width > 20, `the title keeps its room: ${JSON.stringify(title)}`);
  assert.ok(going.y + going.height <= chip.y + 1, 'the count sits above the chip, not over its title');
  assert.deepEqual(await phoneProblems(owner), []);
});

test('a shared card\'s second button leads a member through login to the answers, and others to the invitation', async () => {
  // The owner shares the event's card (Talk Share needs no Kakao call from the server).
  const share = await owner.evaluate(async ([room, event]) => {
    const resp = await fetch(`/api/v1/rooms/${room}/shares`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': document.querySelector('meta[name=csrf-token]').content },
      body: JSON.stringify({ layout: 'card', event_id: event, channel: 'talk_share', receiver_uuids: [] }),
    });
    return resp.json();
  }, [roomId, eventId]);
  const button = `${new URL(share.public_url).pathname}/rsvp`;

  // KakaoTalk's in-app browser: no Gachi session yet.
  const inApp = await (await phoneContext(browser, PHONE)).newPage();
  await inApp.goto(`${gachi.base}${button}`);
  await inApp.tap('button:has-text("이서준")');
  await inApp.waitForSelector('[data-rsvp-form]');
  assert.equal(new URL(inApp.url()).pathname, `/rooms/${roomId}/events/${eventId}`);
  assert.equal(await inApp.getAttribute('[data-rsvp-answer="yes"]', 'aria-pressed'), 'true');
  await inApp.tap('[data-rsvp-answer="no"]');
  // The address already ends in #rsvp: wait for the page the answer comes back to.
  await inApp.waitForSelector('[data-rsvp-answer="no"][aria-pressed="true"]');
  assert.equal((await inApp.textContent('[data-rsvp-summary]')).trim(), '1명 불참 · 1명 미정');
  assert.deepEqual(await phoneProblems(inApp), []);

  await owner.goto(`${gachi.base}/rooms/${roomId}/events/${eventId}`);
  assert.match(await owner.textContent('[data-rsvp-group="no"]'), /이서준/);

  // Someone outside the room is invited, never shown the room.
  const outsider = await (await phoneContext(browser, PHONE)).newPage();
  await outsider.goto(`${gachi.base}${button}`);
  await outsider.tap('button:has-text("박지우")');
  await outsider.waitForURL(/\/i\//);
  assert.ok(await outsider.isVisible('[data-accept-invite]'));
});
