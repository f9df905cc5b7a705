// Screenshot gallery (never run in CI): the pages recurring events touch — the event form with its
// repeat choice, a series' occurrence page and the month view — at 360×740 and 390×844 (touch,
// ko-KR), light and dark, written to $OUT (default /tmp/gachi-gallery). Run after `cargo build -p gachi`:
//   node e2e/gallery.mjs
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from './lib/browser.mjs';
import { startServe } from './lib/gachi.mjs';

const out = process.env.OUT || '/tmp/gachi-gallery';
mkdirSync(out, { recursive: true });
const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-gallery-')), 'gachi.db')}`;
const gachi = await startServe([], { GACHI_DATABASE_URL: db });
const browser = await launchBrowser();
let roomId;
try {
  for (const [w, h] of [[360, 740], [390, 844]]) {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({
        locale: 'ko-KR', timezoneId: 'Asia/Seoul', viewport: { width: w, height: h },
        hasTouch: true, isMobile: true, colorScheme: scheme,
      });
      const page = await context.newPage();
      await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent('/')}`);
      await page.click('button:has-text("김민지")');
      await page.waitForURL(`${gachi.base}/`);
      if (!roomId) {
        await page.fill('#name', '스터디 모임');
        await page.click('[data-create-room] button[type=submit]');
        await page.waitForSelector('[data-room-name]');
        roomId = new URL(page.url()).pathname.split('/')[2];
        await page.goto(`${gachi.base}/rooms/${roomId}/events/new?date=2026-12-03`);
        await page.fill('#title', '격주 목요일 스터디');
        await page.fill('#start_time', '19:00');
        await page.fill('#end_time', '21:00');
        await page.selectOption('#repeat', 'biweekly');
        await page.tap('[data-save-event]');
        await page.waitForSelector('[data-calendar]');
      }
      const tag = `${w}x${h}-${scheme}`;
      await page.goto(`${gachi.base}/rooms/${roomId}/events/new?date=2026-12-10`);
      await page.selectOption('#repeat', 'monthly_last');
      await page.screenshot({ path: join(out, `event-form-${tag}.png`), fullPage: true });
      await page.goto(`${gachi.base}/rooms/${roomId}?view=month&date=2026-12-01`);
      await page.screenshot({ path: join(out, `month-${tag}.png`), fullPage: true });
      await page.tap('td[data-date="2026-12-17"] [data-event-chip]');
      await page.waitForSelector('[data-repeat-label]');
      await page.screenshot({ path: join(out, `occurrence-${tag}.png`), fullPage: true });
      await context.close();
    }
  }
} finally {
  await browser.close();
  gachi.stop();
}
console.log(`screenshots in ${out}`);
