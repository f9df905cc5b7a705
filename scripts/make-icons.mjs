// Renders crates/gachi/static/icon.svg to the PNG icons the web app manifest names (192 and 512
// px), with Debian's Chromium through the e2e tests' playwright-core. Run once after changing
// the SVG: `cd e2e && node ../scripts/make-icons.mjs`; the PNGs are committed. The PNGs are
// full-bleed squares (no rounded corners) so launchers can mask them ("maskable").
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../e2e/lib/browser.mjs';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'crates', 'gachi', 'static');
const svg = readFileSync(join(dir, 'icon.svg'), 'utf8').replace(/ rx="112"/, '');
const browser = await launchBrowser();
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<style>html,body{margin:0}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    await page.screenshot({ path: join(dir, `icon-${size}.png`), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
