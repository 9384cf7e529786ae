// Opens a `leasesim report` page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core from web/node_modules) and checks what a reader would see: every chart drew
// (document.body.dataset.chartsRendered equals the number of chart divs), each chart's screenshot
// is not blank (at least 2 colours, at least 1% of pixels differ from the background), no console
// error, no page error, no request leaving the file, no external <script src>/<link href>.
//
//   node tests/browser/check_report.mjs REPORT.html [--screenshots DIR] [--expect-charts N]
//
// Prints one line per chart and a summary; exits 1 on any failure, 2 on bad usage.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '../../web');
const require = createRequire(path.join(web, 'package.json'));
let chromium, PNG;
try {
  ({ chromium } = require('playwright-core'));
  ({ PNG } = require('pngjs'));
} catch (e) {
  console.error(`check_report: ${e.message.split('\n')[0]}: run tools/install-deps (npm ci --prefix web)`);
  process.exit(2);
}

const args = process.argv.slice(2);
let report, shots, expectCharts;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--screenshots') shots = args[++i];
  else if (args[i] === '--expect-charts') expectCharts = Number(args[++i]);
  else if (!report) report = args[i];
  else { console.error(`check_report: unexpected argument ${args[i]}`); process.exit(2); }
}
if (!report || !existsSync(report)) {
  console.error('usage: node tests/browser/check_report.mjs REPORT.html [--screenshots DIR] [--expect-charts N]');
  process.exit(2);
}
const executablePath = process.env.LEASESIM_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`check_report: ${executablePath} is missing: run tools/install-deps (Debian package chromium)`);
  process.exit(2);
}

// A screenshot is drawn when it holds at least 2 colours and at least 1% of its pixels differ from
// the most common colour (the background).
function inkOf(png) {
  const counts = new Map();
  const { data, width, height } = PNG.sync.read(png);
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  let background = 0;
  for (const n of counts.values()) background = Math.max(background, n);
  const pixels = width * height;
  return { colours: counts.size, ink: pixels > 0 ? (pixels - background) / pixels : 0, width, height };
}

const failures = [];
const started = Date.now();
const browser = await chromium.launch({
  executablePath,
  headless: true,
  // --disable-background-networking and friends: Chromium's own connections would be refused here.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  page.on('console', (msg) => {
    if (msg.type() === 'error') failures.push(`console error: ${msg.text()}`);
    else if (msg.type() === 'warning') console.log(`console warning: ${msg.text()}`);
  });
  page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
  const url = pathToFileURL(path.resolve(report)).href;
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    failures.push(`request outside the page: ${u}`);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });

  const external = await page.evaluate(() =>
    [...document.querySelectorAll('script[src], link[href], img[src], iframe[src]')]
      .map((e) => e.getAttribute('src') || e.getAttribute('href'))
      .filter((s) => !s.startsWith('data:')));
  for (const s of external) failures.push(`external resource: ${s}`);

  const ids = await page.$$eval('div.chart', (divs) => divs.map((d) => d.id));
  if (ids.length === 0) failures.push('no chart divs');
  if (expectCharts !== undefined && ids.length !== expectCharts) {
    failures.push(`expected ${expectCharts} charts, found ${ids.length}`);
  }
  await page.waitForFunction(
    (n) => document.body.dataset.chartsRendered === String(n) || document.body.dataset.chartErrors !== undefined,
    ids.length, { timeout: 60000 });
  const errors = await page.evaluate(() => document.body.dataset.chartErrors);
  if (errors !== undefined) failures.push(`chartErrors: ${errors}`);

  if (shots) mkdirSync(shots, { recursive: true });
  for (const id of ids) {
    const div = page.locator(`#${id}`);
    const png = await div.screenshot();
    if (shots) writeFileSync(path.join(shots, `${id}.png`), png);
    const ink = inkOf(png);
    const drawn = ink.colours >= 2 && ink.ink >= 0.01;
    console.log(`${drawn ? 'ok  ' : 'BLANK'} ${id}: ${ink.width}x${ink.height}, ${ink.colours} colours, ` +
                `${(100 * ink.ink).toFixed(1)}% ink`);
    if (!drawn) failures.push(`${id} is blank`);
  }
  if (shots) writeFileSync(path.join(shots, 'page.png'), await page.screenshot({ fullPage: true }));
} finally {
  await browser.close();
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length > 0) {
  for (const f of failures) console.error(`check_report: ${report}: ${f}`);
  console.error(`check_report: ${report}: FAILED (${failures.length} problem${failures.length === 1 ? '' : 's'}, ${seconds} s)`);
  process.exit(1);
}
console.log(`check_report: ${report}: every chart drew (${seconds} s)`);
