// Opens a `leasesim report` page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core from web/node_modules) and checks what a reader would see: every chart drew
// (document.body.dataset.chartsRendered equals the number of chart divs), each chart's screenshot
// is not blank (at least 2 colours, at least 1% of pixels differ from the background), no text of a
// chart overlaps other text, is cut at the chart's edge or shortened with "…", no legend is cut
// ("…N entries"), no console
// error, no page error, no request leaving the file, no external <script src>/<link href>.
//
//   node tests/browser/check_report.mjs REPORT.html [--screenshots DIR] [--expect-charts N] [--heatmaps]
//
// --heatmaps (a sweep of two numeric axes): every metric's line chart (chart-sweep-*) has a heatmap
// (chart-heatmap-*) drawn with a cell per point, a colour legend whose title names the unit ("(days)",
// "(%)", "$", "P(…)"), and some cell marked as unfinished (a red cross) — the fixture has points whose
// run cannot finish.
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
let report, shots, expectCharts, heatmaps = false;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--screenshots') shots = args[++i];
  else if (args[i] === '--expect-charts') expectCharts = Number(args[++i]);
  else if (args[i] === '--heatmaps') heatmaps = true;
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

// Runs in the page: the text problems of every chart, one line each. Each <text> of a chart's SVG
// is its bounding box turned as drawn (four corners on the screen). Two texts turned alike are
// compared in their own frame: on one line (their heights overlapping by half) they collide unless
// `gap` pixels apart, so "1,0002,000" fails; on different lines, when they overlap by more than
// `slack` pixels both ways. Texts turned differently collide when the separating axis test finds
// them overlapping by more than `slack`.
function textProblems() {
  const slack = 1.5, gap = 3;
  const problems = [];
  const shapeOf = (t) => {
    const b = t.getBBox();
    const m = t.getScreenCTM();
    const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]].map(
      ([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    return { pts, angle: Math.atan2(m.b, m.a) };
  };
  const sat = (p, q) => {
    for (const poly of [p, q]) {
      for (let i = 0; i < 4; ++i) {
        const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % 4];
        const len = Math.hypot(x2 - x1, y2 - y1) || 1;
        const n = [-(y2 - y1) / len, (x2 - x1) / len];
        const a = p.map(([x, y]) => x * n[0] + y * n[1]), b = q.map(([x, y]) => x * n[0] + y * n[1]);
        if (Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b)) <= slack) return false;
      }
    }
    return true;
  };
  const collide = (p, q) => {
    if (Math.abs(p.angle - q.angle) > 0.01) return sat(p.pts, q.pts);
    const c = Math.cos(-p.angle), s = Math.sin(-p.angle);
    const frame = (pts) => {
      const r = pts.map(([x, y]) => [x * c - y * s, x * s + y * c]);
      const xs = r.map((v) => v[0]), ys = r.map((v) => v[1]);
      return { l: Math.min(...xs), r: Math.max(...xs), t: Math.min(...ys), b: Math.max(...ys) };
    };
    const a = frame(p.pts), b = frame(q.pts);
    const dy = Math.min(a.b, b.b) - Math.max(a.t, b.t), dx = Math.min(a.r, b.r) - Math.max(a.l, b.l);
    if (dy > 0.5 * Math.min(a.b - a.t, b.b - b.t)) return dx > -gap;
    return dx > slack && dy > slack;
  };
  for (const div of document.querySelectorAll('div.chart')) {
    const svg = div.querySelector('svg');
    if (!svg) continue;
    const area = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].filter((t) => {
      const style = getComputedStyle(t);
      return t.textContent.trim() !== '' && style.visibility !== 'hidden' && style.display !== 'none' &&
             Number(t.getAttribute('opacity') ?? 1) > 0 && Number(style.opacity) > 0 && t.getBBox().width > 0;
    });
    const shapes = texts.map(shapeOf);
    for (let i = 0; i < texts.length; ++i) {
      const label = texts[i].textContent.trim();
      if (/^…\s*\d+ entries$/.test(label)) problems.push(`${div.id}: legend cut: "${label}"`);
      else if (label.endsWith('…')) problems.push(`${div.id}: text shortened: "${label}"`);
      const xs = shapes[i].pts.map((v) => v[0]), ys = shapes[i].pts.map((v) => v[1]);
      if (Math.min(...xs) < area.left - slack || Math.max(...xs) > area.right + slack ||
          Math.min(...ys) < area.top - slack || Math.max(...ys) > area.bottom + slack) {
        problems.push(`${div.id}: text outside the chart: "${label}"`);
      }
      for (let j = i + 1; j < texts.length; ++j) {
        if (collide(shapes[i], shapes[j])) {
          problems.push(`${div.id}: text overlaps: "${label}" and "${texts[j].textContent.trim()}"`);
        }
      }
    }
  }
  return problems;
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

  if (heatmaps) {
    const found = await page.evaluate(() => {
      const out = [];
      for (const div of document.querySelectorAll('div.chart[id^="chart-heatmap-"]')) {
        const svg = div.querySelector('svg');
        const legend = svg ? [...svg.querySelectorAll('.role-legend-title text, .role-legend-title')]
          .map((t) => t.textContent.trim()).filter((t) => t !== '') : [];
        const cells = svg ? svg.querySelectorAll('.mark-rect path').length : 0;
        const crosses = svg ? [...svg.querySelectorAll('.mark-symbol path')]
          .filter((p) => (p.getAttribute('fill') || '').toLowerCase() === '#d62728').length : 0;
        out.push({ id: div.id, legend: legend[0] || '', cells, crosses });
      }
      return { heatmaps: out, lines: document.querySelectorAll('div.chart[id^="chart-sweep-"]').length };
    });
    if (found.heatmaps.length === 0) failures.push('no heatmap');
    if (found.heatmaps.length !== found.lines) {
      failures.push(`${found.heatmaps.length} heatmaps for ${found.lines} metrics`);
    }
    for (const h of found.heatmaps) {
      console.log(`heatmap ${h.id}: legend "${h.legend}", ${h.cells} cells, ${h.crosses} marked unfinished`);
      if (!/\(.+\)|\$/.test(h.legend)) failures.push(`${h.id}: the legend title names no unit: "${h.legend}"`);
      if (h.cells === 0) failures.push(`${h.id}: no cells`);
    }
    if (!found.heatmaps.some((h) => h.crosses > 0)) failures.push('no heatmap marks an unfinished point');
  }

  // What a reader cannot read: text drawn over other text, text cut at the chart's edge, a label
  // vega shortened with an ellipsis, a legend that lists only its first entries ("…N entries").
  for (const problem of await page.evaluate(textProblems)) failures.push(problem);

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
