// What "phone first" means, as checks a browser test can make: the two phone sizes every page is
// tried at (KakaoTalk's in-app browser on a small and a common Android/iPhone), no sideways
// scrolling, no serious accessibility violation (axe-core, run in the page), and tap targets big
// enough for a thumb (WCAG 2.5.8's 24 px; primary actions 44 px like Toss and KakaoTalk).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PHONES = [
  { name: '360x740', viewport: { width: 360, height: 740 } },
  { name: '390x844', viewport: { width: 390, height: 844 } },
];

/** A phone-like context: touch, mobile viewport, Korean (or `locale`), light or dark, with or without script. */
export function phoneContext(browser, phone, { locale = 'ko-KR', colorScheme = 'light', storageState, javaScriptEnabled = true } = {}) {
  return browser.newContext({
    viewport: phone.viewport,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    colorScheme,
    storageState,
    javaScriptEnabled,
  });
}

/** How far the page scrolls sideways (0 when it fits the screen). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const doc = document.scrollingElement || document.documentElement;
    return Math.max(0, doc.scrollWidth - window.innerWidth);
  });
}

/** axe-core's serious and critical violations on the page, as short strings (empty when clean). */
export async function seriousA11yViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    // Evaluated through the DevTools protocol, not as an inline <script>: Gachi's CSP
    // (script-src 'self') rightly refuses inline scripts, and the check must not weaken it.
    await page.evaluate(AXE_SOURCE);
  }
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Visible interactive elements smaller than `min` px in either direction. Links inside running
 * text are exempt (WCAG 2.5.8's inline exception): a link whose block holds more text than itself.
 */
export async function smallTargets(page, min = 24) {
  return page.evaluate((min) => {
    const out = [];
    const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
    for (const el of document.querySelectorAll(sel)) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      if (el.tagName === 'A') {
        const block = el.closest('p, li, dd, td, figcaption, label');
        if (block && block.textContent.trim().length > el.textContent.trim().length) continue;
      }
      if (r.width < min || r.height < min) {
        out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return out;
  }, min);
}

/** Primary actions (`.primary`) shorter than `min` px. */
export async function shortPrimaryActions(page, min = 44) {
  return page.evaluate((min) => {
    const out = [];
    for (const el of document.querySelectorAll('.primary')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.height < min) out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.height)}px`);
    }
    return out;
  }, min);
}

/** Every phone check at once; returns a list of problems (empty when the page passes). */
export async function phoneProblems(page) {
  const problems = [];
  const overflow = await horizontalOverflow(page);
  if (overflow > 0) problems.push(`scrolls sideways by ${overflow}px`);
  for (const v of await seriousA11yViolations(page)) problems.push(`axe: ${v}`);
  for (const t of await smallTargets(page)) problems.push(`small target: ${t}`);
  for (const t of await shortPrimaryActions(page)) problems.push(`short primary action: ${t}`);
  return problems;
}
