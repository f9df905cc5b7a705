// Issue #16 (part C), on phones: the logged-out home explains what Gachi does with a real
// rendered example, the first login leads to creating a room, the invite screen keeps one link
// (copy, KakaoTalk, the share sheet, QR), the invitee sees who invites them into which room and
// joins with one tap (also from logged out, through Kakao's login), an ended invitation says so,
// and the room's calendar feed offers subscribe links instead of a raw URL. One server and one
// browser for the whole file; every page is checked at 360×740 and 390×844 (touch, ko-KR) and
// once in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { PHONES, phoneContext, phoneProblems } from '../lib/phone.mjs';

const SHOTS = process.env.SCREENSHOT_DIR;
const MINJI = 4000000001;
const SEOJUN = 4000000002;
const ROOM = '연말 모임 <b>방</b>';
const [SMALL, COMMON] = PHONES;

let gachi;
let browser;

before(async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  gachi = await startServe([], {
    GACHI_DATABASE_URL: db,
    // Every case here opens invitation pages; the per-IP lookup budget is not under test.
    GACHI_INVITE_RATE_BURST: '1000',
    GACHI_INVITE_RATE_PER_MINUTE: '1000',
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  gachi?.stop();
});

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function loginAs(page, nickname, next = '/') {
  await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent(next)}`);
  await page.click(`button:has-text("${nickname}")`);
  await page.waitForURL(`${gachi.base}${next}`);
}

/** Every phone check (phone.mjs), on the whole page: the shell and the calendar pass them too. */
const pageProblems = (page) => phoneProblems(page);

/** The page's phone problems, each context once per size and colour scheme. */
async function everyPhone(name, open, storageState) {
  for (const phone of PHONES) {
    for (const colorScheme of ['light', 'dark']) {
      const context = await phoneContext(browser, phone, { colorScheme, storageState });
      try {
        const page = await open(context);
        assert.deepEqual(await pageProblems(page), [], `${name} at ${phone.name} ${colorScheme}`);
        await shot(page, `${name}-${phone.name}-${colorScheme}`);
      } finally {
        await context.close();
      }
    }
  }
}

/** Waits until an <img> has loaded; resolves with its natural width. */
async function loaded(page, selector) {
  await page.waitForFunction((sel) => {
    const img = document.querySelector(sel);
    return img && img.complete && img.naturalWidth > 0;
  }, selector);
  return page.$eval(selector, (img) => img.naturalWidth);
}

// Set up by the cases below, in order: the owner's room and its invitation.
const shared = { roomId: null, link: null, code: null, ownerState: null };

test('logged out, the home page says what Gachi does and shows a real example', async () => {
  await everyPhone('home', async (context) => {
    const page = await context.newPage();
    await page.goto(gachi.base);
    const steps = await page.$$eval('[data-steps] li strong', (els) => els.map((e) => e.textContent.trim()));
    assert.deepEqual(steps, ['공유방 만들기', '친구 초대', '일정 넣기 · 시간 투표', '카카오톡으로 공유']);
    assert.equal(await loaded(page, '[data-example-image]'), 800, 'the example is drawn by the render crate');
    assert.equal(await page.textContent('[data-login]'), '카카오로 시작하기');
    return page;
  });
  // The example is a real PNG in the visitor's language (cached, so the second ask is the same bytes).
  const ko = await fetch(`${gachi.base}/example.png?lang=ko`);
  assert.equal(ko.headers.get('content-type'), 'image/png');
  const en = Buffer.from(await (await fetch(`${gachi.base}/example.png?lang=en`)).arrayBuffer());
  const koBytes = Buffer.from(await ko.arrayBuffer());
  assert.notDeepEqual(koBytes, en, 'each language has its own picture');

  const context = await phoneContext(browser, COMMON, { locale: 'en-US' });
  try {
    const page = await context.newPage();
    await page.goto(gachi.base);
    assert.equal(await page.textContent('[data-steps] li:last-child strong'), 'Share on KakaoTalk');
    assert.match(await page.getAttribute('[data-example-image]', 'src'), /lang=en$/);
    await loaded(page, '[data-example-image]');
    assert.deepEqual(await pageProblems(page), [], 'home in English');
    await shot(page, 'home-en');
  } finally {
    await context.close();
  }
});

test('after the first login, the empty home leads to creating the first room', async () => {
  await everyPhone('first-run', async (context) => {
    const page = await context.newPage();
    await loginAs(page, '최하윤');
    assert.ok(await page.isVisible('[data-first-run]'));
    assert.equal(await page.$('[data-rooms]'), null, 'no empty list');
    const form = await page.$eval('[data-create-room]', (f) => f.getBoundingClientRect().top);
    assert.ok(form < page.viewportSize().height - 100, `the room form starts on the first screen (${form}px)`);
    return page;
  });

  // The owner of the rest of this file creates her first room from that empty state.
  const context = await phoneContext(browser, COMMON);
  try {
    const page = await context.newPage();
    await loginAs(page, '김민지');
    await page.fill('#name', ROOM);
    await page.click('[data-create-room] button[type=submit]');
    await page.waitForSelector('[data-room-name]');
    shared.roomId = new URL(page.url()).pathname.split('/')[2];
    shared.ownerState = await context.storageState();
    // Back home, the room is a row as tall as a thumb.
    await page.goto(gachi.base);
    const row = await page.$eval('[data-room-link]', (a) => a.getBoundingClientRect().height);
    assert.ok(row >= 44, `room row ${row}px`);
    assert.deepEqual(await pageProblems(page), [], 'home with a room');
    await shot(page, 'home-rooms');
  } finally {
    await context.close();
  }
});

test('the invite screen keeps one link with its expiry, copies it and survives reloads', async () => {
  const context = await phoneContext(browser, COMMON, { storageState: shared.ownerState });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gachi.base });
  try {
    const page = await context.newPage();
    await page.goto(`${gachi.base}/rooms/${shared.roomId}`);
    await page.click('[data-new-invite]');
    await page.waitForURL(`${gachi.base}/rooms/${shared.roomId}/invite`);
    const code = (await page.textContent('[data-invite-code]')).trim();
    const link = (await page.textContent('[data-invite-link]')).trim();
    assert.match(code, /^[2-9A-HJ-NP-Z]{8}$/);
    assert.equal(link, `${gachi.base}/i/${code}`);
    // A week from now, in the room's zone (Asia/Seoul).
    const inAWeek = new Date(Date.now() + 7 * 86400e3);
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Seoul', month: 'numeric', day: 'numeric' })
      .formatToParts(inAWeek).map((p) => [p.type, p.value]));
    const expiry = (await page.textContent('[data-invite-expiry]')).trim();
    assert.match(expiry, new RegExp(`^${parts.month}월 ${parts.day}일 \\d\\d:\\d\\d까지 쓸 수 있어요$`));
    assert.ok(await loaded(page, '[data-invite-qr]') > 0, 'the QR code loads');

    await page.reload();
    assert.equal((await page.textContent('[data-invite-code]')).trim(), code, 'a reload shows the same code');
    assert.equal((await page.textContent('[data-invite-expiry]')).trim(), expiry);
    // Pressing 초대하기 again shows the current link instead of minting another.
    await page.goto(`${gachi.base}/rooms/${shared.roomId}`);
    await page.click('[data-new-invite]');
    await page.waitForURL(`${gachi.base}/rooms/${shared.roomId}/invite`);
    assert.equal((await page.textContent('[data-invite-code]')).trim(), code);
    const listed = await (await page.request.get(`${gachi.base}/api/v1/rooms/${shared.roomId}/invites`)).json();
    assert.deepEqual(listed.invites.map((i) => i.code), [code], 'still one code');

    assert.equal(await page.isVisible('[data-system-share]'), false, 'no share sheet here (headless Chromium), so no button for it');
    await page.click('[data-copy-invite]');
    await page.waitForFunction(() => document.querySelector('[data-toast]').textContent === '링크를 복사했어요');
    assert.equal(await page.getAttribute('[data-toast]', 'role'), 'status');
    assert.ok(await page.isVisible('[data-toast]'), 'the toast shows it');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    shared.code = code;
    shared.link = link;
  } finally {
    await context.close();
  }
  await everyPhone('invite-screen', async (ctx) => {
    const page = await ctx.newPage();
    await page.goto(`${gachi.base}/rooms/${shared.roomId}/invite`);
    assert.equal((await page.textContent('[data-invite-code]')).trim(), shared.code);
    await loaded(page, '[data-invite-qr]');
    return page;
  }, shared.ownerState);
});

test('카카오톡으로 초대하기 sends the invitation card; the share sheet gets the link', async () => {
  const context = await phoneContext(browser, COMMON, { storageState: shared.ownerState });
  try {
    // A phone's share sheet, recorded (headless Chromium on Linux has none).
    await context.addInitScript(() => {
      window.__shared = [];
      navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };
    });
    const page = await context.newPage();
    await page.goto(`${gachi.base}/rooms/${shared.roomId}/invite`);
    await page.click('[data-system-share]');
    const sheet = await page.evaluate(() => window.__shared);
    assert.equal(sheet.length, 1);
    assert.equal(sheet[0].url, shared.link);
    assert.match(sheet[0].text, /김민지님이 '연말 모임 <b>방<\/b>' 공유방에 초대했어요/);

    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('[data-kakao-invite]')]);
    await popup.click(`[data-sharer="${MINJI}"]`);
    await popup.click(`[data-chat="${SEOJUN}"]`);
    await popup.waitForSelector('[data-share-done]');
    const inbox = await (await fetch(`${gachi.base}/_kakao/_admin/inbox/${SEOJUN}`)).json();
    const card = inbox.messages.at(-1);
    assert.equal(card.from, MINJI);
    assert.equal(card.template.object_type, 'feed');
    assert.equal(card.template.content.title, `김민지님이 '${ROOM}'에 초대했어요`);
    assert.equal(card.template.content.description, '멤버 1명 · 김민지');
    assert.equal(card.template.content.link.web_url, shared.link);
    assert.equal(card.template.buttons[0].title, '참여하기');
    assert.equal(card.template.buttons[0].link.web_url, shared.link);
    assert.equal(card.template.content.image_url, `${gachi.base}/example.png?lang=ko`);
  } finally {
    await context.close();
  }
});

test('a logged-in invitee sees who invites, the room and its members, and joins with one tap', async () => {
  await everyPhone('join-logged-in', async (context) => {
    const page = await context.newPage();
    await loginAs(page, '정도윤');
    await page.goto(shared.link);
    assert.equal(await page.textContent('[data-inviter]'), '김민지님이 초대했어요');
    assert.equal(await page.textContent('[data-invite-room]'), ROOM);
    assert.equal(await page.textContent('[data-member-count]'), '멤버 1명');
    assert.deepEqual(await page.$$eval('[data-member-name]', (els) => els.map((e) => e.textContent)), ['김민지']);
    assert.equal((await page.textContent('[data-accept-invite]')).trim(), '참여하기');
    return page;
  });
  const context = await phoneContext(browser, SMALL);
  try {
    const page = await context.newPage();
    await loginAs(page, '이서준');
    await page.goto(shared.link);
    await page.click('[data-accept-invite]');
    await page.waitForURL(`${gachi.base}/rooms/${shared.roomId}`);
    assert.equal(await page.textContent('[data-room-name]'), ROOM);
    // A member back on the link goes straight to the room.
    await page.goto(shared.link);
    await page.waitForURL(`${gachi.base}/rooms/${shared.roomId}`);
  } finally {
    await context.close();
  }
});

test('a logged-out invitee sees the room before Kakao login and ends in the room after it', async () => {
  await everyPhone('join-logged-out', async (context) => {
    const page = await context.newPage();
    await page.goto(shared.link);
    assert.equal(await page.textContent('[data-invite-room]'), ROOM);
    assert.equal(await page.textContent('[data-inviter]'), '김민지님이 초대했어요');
    assert.equal((await page.textContent('[data-accept-invite]')).trim(), '카카오로 로그인하고 참여하기');
    assert.equal(await page.textContent('[data-member-count]'), '멤버 2명');
    return page;
  });
  const english = await phoneContext(browser, COMMON, { locale: 'en-US' });
  try {
    const page = await english.newPage();
    await page.goto(shared.link);
    assert.equal(await page.textContent('[data-inviter]'), '김민지 invited you');
    assert.equal(await page.textContent('[data-member-count]'), '2 in this room');
    assert.equal((await page.textContent('[data-accept-invite]')).trim(), 'Log in with Kakao to join');
    assert.deepEqual(await pageProblems(page), [], 'invitation in English');
    await shot(page, 'join-logged-out-en');
  } finally {
    await english.close();
  }

  const context = await phoneContext(browser, SMALL);
  try {
    const page = await context.newPage();
    await page.goto(shared.link);
    await page.click('[data-accept-invite]');
    // Kakao's (sandbox) login picker, then straight into the room: no second tap.
    await page.click('button:has-text("박지우")');
    await page.waitForURL(`${gachi.base}/rooms/${shared.roomId}`);
    assert.equal(await page.textContent('[data-room-name]'), ROOM);
    const members = await page.$$eval('[data-members] li', (lis) => lis.map((li) => li.textContent.trim()));
    assert.ok(members.some((m) => m.startsWith('박지우')), members.join(','));
  } finally {
    await context.close();
  }
});

test('the feed offers subscribe, Google Calendar and copy instead of a raw URL', async () => {
  const context = await phoneContext(browser, SMALL, { storageState: shared.ownerState });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gachi.base });
  try {
    const page = await context.newPage();
    const room = await (await page.request.get(`${gachi.base}/api/v1/rooms/${shared.roomId}`)).json();
    const feed = room.feed_url;
    assert.match(feed, /^http:\/\/127\.0\.0\.1:\d+\/feeds\/.+\.ics$/);
    const webcal = feed.replace(/^http:/, 'webcal:');
    await page.goto(`${gachi.base}/rooms/${shared.roomId}`);
    assert.equal(await page.getAttribute('[data-feed-webcal]', 'href'), webcal);
    assert.equal(await page.textContent('[data-feed-webcal]'), '캘린더 앱에서 구독하기');
    assert.equal(await page.getAttribute('[data-feed-google]', 'href'),
      `https://calendar.google.com/calendar/render?cid=${encodeURIComponent(webcal)}`);
    assert.equal(await page.isVisible('[data-feed-url]'), false, 'the raw address waits behind "주소 보기"');
    await page.click('[data-feed-copy]');
    await page.waitForFunction(() => document.querySelector('[data-toast]').textContent === '주소를 복사했어요');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), feed);
    // The feed link really is the room's calendar.
    const ics = await fetch(feed);
    assert.equal(ics.status, 200);
    assert.match(await ics.text(), /BEGIN:VCALENDAR/);
    await page.$eval('[data-feed]', (el) => el.scrollIntoView());
    await shot(page, 'room-feed');
  } finally {
    await context.close();
  }
  for (const phone of PHONES) {
    for (const colorScheme of ['light', 'dark']) {
      const ctx = await phoneContext(browser, phone, { colorScheme, storageState: shared.ownerState });
      try {
        const page = await ctx.newPage();
        await page.goto(`${gachi.base}/rooms/${shared.roomId}`);
        assert.deepEqual(await phoneProblems(page), [], `room page with its invite and feed at ${phone.name} ${colorScheme}`);
        await page.$eval('[data-invite-section]', (el) => el.scrollIntoView());
        await shot(page, `room-sections-${phone.name}-${colorScheme}`);
      } finally {
        await ctx.close();
      }
    }
  }
});

test('a new link replaces the old one, and an ended invitation says so clearly', async () => {
  const context = await phoneContext(browser, COMMON, { storageState: shared.ownerState });
  try {
    const page = await context.newPage();
    await page.goto(`${gachi.base}/rooms/${shared.roomId}/invite`);
    await page.click('[data-invite-manage] summary');
    await page.click('[data-renew-invite]');
    // Asked first, in the design system's dialog.
    await page.waitForSelector('#confirm-dialog[open]');
    assert.equal(await page.textContent('[data-confirm-title]'), '새 초대 링크로 바꿀까요?');
    await page.click('#confirm-dialog [data-confirm-ok]');
    await page.waitForFunction((old) => document.querySelector('[data-invite-code]')?.textContent.trim() !== old, shared.code);
    const renewed = (await page.textContent('[data-invite-code]')).trim();
    assert.notEqual(renewed, shared.code);
    const old = await fetch(shared.link);
    assert.equal(old.status, 410, 'the old link stopped working');

    await page.click('[data-invite-manage] summary');
    await page.click('[data-revoke-invite]');
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-dialog [data-confirm-ok]');
    await page.waitForSelector('[data-no-invite]');
    // And says so (the toast's text is set just after load, so screen readers announce it).
    await page.waitForFunction(() => document.querySelector('[data-toast]').textContent.trim() === '초대 링크를 없앴어요');
    assert.equal((await fetch(`${gachi.base}/i/${renewed}`)).status, 410);
  } finally {
    await context.close();
  }
  await everyPhone('invite-ended', async (ctx) => {
    const page = await ctx.newPage();
    const resp = await page.goto(shared.link);
    assert.equal(resp.status(), 410);
    assert.equal(await page.getAttribute('[data-invite-gone]', 'data-invite-gone'), 'expired');
    assert.equal(await page.textContent('h1'), '이 초대는 끝났어요');
    return page;
  });
  const context2 = await phoneContext(browser, SMALL);
  try {
    const page = await context2.newPage();
    const resp = await page.goto(`${gachi.base}/i/NOPE2345`);
    assert.equal(resp.status(), 404);
    assert.equal(await page.getAttribute('[data-invite-gone]', 'data-invite-gone'), 'missing');
    assert.deepEqual(await pageProblems(page), []);
  } finally {
    await context2.close();
  }
});
