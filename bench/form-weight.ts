/**
 * Weight and speed of the client form (issue 4) on a phone over slow 4G, in Debian's Chromium.
 *
 * Starts a real server (PGlite in a temporary directory with the demo organisation, as `npm start`
 * does; `--pg` uses a fresh PostgreSQL database instead), logs in as the demo therapist through the
 * /login form, creates an invitation (PHQ-9 + alliance check) through the API, then loads /m/<token>
 * cold (fresh browser context, empty cache) several times at a phone viewport with network and CPU
 * throttling applied through the Chrome DevTools Protocol. Figures:
 *
 *   transferred_bytes  bytes on the wire for HTML+CSS+JS (Network.loadingFinished encodedDataLength,
 *                      compressed, headers included)            target ≤ 50 KB (51,200 bytes)
 *   first_question_ms  navigation start → first question's legend laid out and painted (the first
 *                      contentful paint of the frame that holds it), median of cold loads  target ≤ 1 s
 *
 * Profiles, both with the 1 s target:
 *   slow4g            Lighthouse 12 "mobile slow 4G" (lighthouse-core/config/constants.js): 150 ms latency
 *                     per request, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower, applied per request.
 *   slow4g-devtools   Chrome DevTools' "Slow 4G" preset, which is also Lighthouse's own DevTools-throttling
 *                     equivalent of the profile above: 562.5 ms request latency (150 ms × 3.75),
 *                     1474.6 kbit/s down, 675 kbit/s up, CPU 4×. The form's stylesheet is inline, so the
 *                     first paint needs one request, not two.
 * Viewport: Lighthouse's mobile device (412 × 823 CSS px, DPR 1.75, mobile, touch).
 *
 *   npm run bench -- form-weight [--runs 5] [--pg]
 */
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { report } from './_report.ts';
import {
  createDatabase,
  dropDatabase,
  DEMO_PASSWORD,
  DEMO_THERAPIST,
  flag,
  HttpClient,
  inviteThroughApi,
  log,
  option,
  percentile,
  round,
  startServerProcess,
  type BenchServer,
} from './_load.ts';

const RUNS = Math.min(Math.max(Number(option('runs', '5')), 1), 20);
const BENCH = 'form-weight';

interface Profile {
  name: string;
  latency: number;
  downKbps: number;
  upKbps: number;
  cpu: number;
}
const PROFILES: Profile[] = [
  { name: 'slow4g', latency: 150, downKbps: 1.6 * 1024, upKbps: 750, cpu: 4 },
  { name: 'slow4g-devtools', latency: 150 * 3.75, downKbps: 1.6 * 1024 * 0.9, upKbps: 750 * 0.9, cpu: 4 },
];

interface LoadResult {
  bytes: number;
  resources: Array<{ url: string; type: string; bytes: number; encoding: string | null }>;
  firstQuestionMs: number;
  fcpMs: number | null;
  lcpMs: number | null;
  domContentLoadedMs: number;
  loadMs: number;
}

// Runs in the page before any of its scripts: records when the first question's legend is in the
// layout at a frame (requestAnimationFrame fires right before the frame is painted, and not at all
// while a render-blocking stylesheet is pending), plus paint timings.
const PROBE = `(() => {
  const w = window;
  w.__spiegel = { firstQuestion: null, lcp: null };
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__spiegel.lcp = e.startTime; }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch (e) {}
  const tick = () => {
    const legend = document.querySelector('fieldset legend');
    if (legend) {
      const box = legend.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && box.top < innerHeight) {
        w.__spiegel.firstQuestion = performance.now();
        return;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

async function loadOnce(browser: Browser, url: string, profile: Profile): Promise<LoadResult> {
  const context = await browser.newContext({
    viewport: { width: 412, height: 823 },
    deviceScaleFactor: 1.75,
    isMobile: true,
    hasTouch: true,
    locale: 'nl-NL',
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(PROBE);
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latency,
      downloadThroughput: (profile.downKbps * 1024) / 8,
      uploadThroughput: (profile.upKbps * 1024) / 8,
      connectionType: 'cellular4g',
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    const requests = new Map<string, { url: string; type: string; encoding: string | null }>();
    const finished = new Map<string, number>();
    cdp.on('Network.responseReceived', (e) => {
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      requests.set(e.requestId, {
        url: e.response.url,
        type: e.type,
        encoding: (headers['content-encoding'] as string | undefined) ?? null,
      });
    });
    cdp.on('Network.loadingFinished', (e) => finished.set(e.requestId, e.encodedDataLength));
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForFunction(
      () => (window as unknown as { __spiegel: { firstQuestion: number | null } }).__spiegel.firstQuestion !== null,
      undefined,
      { timeout: 30_000 },
    );
    // Let late requests (favicon) finish so they are counted too.
    await page.waitForTimeout(1_500);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const probe = (window as unknown as { __spiegel: { firstQuestion: number; lcp: number | null } }).__spiegel;
      // performance.now() and the entries share the time origin: the navigation start.
      // "Rendered" = painted: the first contentful paint when the question was already laid out in
      // that frame (the usual case: the page arrives in one response), else the frame it appeared in.
      const laidOut = probe.firstQuestion - nav.startTime;
      const fcpMs = fcp ? fcp.startTime - nav.startTime : null;
      return {
        firstQuestion: fcpMs !== null && fcpMs >= laidOut ? fcpMs : laidOut,
        fcp: fcp ? fcp.startTime - nav.startTime : null,
        lcp: probe.lcp,
        dcl: nav.domContentLoadedEventEnd - nav.startTime,
        load: nav.loadEventEnd - nav.startTime,
      };
    });
    const resources = [...finished].map(([id, bytes]) => ({
      ...(requests.get(id) ?? { url: '?', type: '?', encoding: null }),
      bytes,
    }));
    const counted = resources.filter((r) => ['Document', 'Stylesheet', 'Script'].includes(r.type));
    const forms = await page.locator('fieldset[data-question]').count();
    if (forms < 13) throw new Error(`the form shows ${forms} questions, expected 13 (PHQ-9 + alliance)`);
    return {
      bytes: counted.reduce((s, r) => s + r.bytes, 0),
      resources: resources.map((r) => ({ ...r, url: new URL(r.url).pathname.replace(/^\/m\/.+/, '/m/[token]') })),
      firstQuestionMs: timing.firstQuestion,
      fcpMs: timing.fcp,
      lcpMs: timing.lcp,
      domContentLoadedMs: timing.dcl,
      loadMs: timing.load,
    };
  } finally {
    await context.close();
  }
}

let server: BenchServer | null = null;
let browser: Browser | null = null;
const dbName = `spiegel_bench_formweight_${process.pid}`;
const usePg = flag('pg');
try {
  const t0 = performance.now();
  server = await startServerProcess({ demo: true, databaseUrl: usePg ? await createDatabase(dbName) : undefined });
  log(
    `server up with the demo organisation in ${((performance.now() - t0) / 1000).toFixed(1)} s (${usePg ? 'PostgreSQL' : 'PGlite'})`,
  );
  const client = new HttpClient(server.url, 2);
  const csrf = await client.login(DEMO_THERAPIST, DEMO_PASSWORD);
  const caseload = await client.json<{ episodes: Array<{ episodeId: string }> }>(
    'GET',
    '/api/caseload',
    undefined,
    csrf,
  );
  const invitation = await inviteThroughApi(client, csrf, caseload.data.episodes[0].episodeId);
  client.close();
  const url = `${server.url}/m/${invitation.token}`;

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  await loadOnce(browser, url, { name: 'warm-up', latency: 0, downKbps: 1e6, upKbps: 1e6, cpu: 1 }); // server JIT warm-up, not reported
  for (const profile of PROFILES) {
    const results: LoadResult[] = [];
    for (let i = 0; i < RUNS; i++) results.push(await loadOnce(browser, url, profile));
    const median = (pick: (r: LoadResult) => number) => percentile(results.map(pick), 50);
    const bytes = Math.max(...results.map((r) => r.bytes));
    const firstQuestion = median((r) => r.firstQuestionMs);
    const isTarget = profile.name === 'slow4g';
    const conditions = `${profile.latency} ms latency, ${round(profile.downKbps / 1024, 2)} Mbit/s down, ${round(profile.upKbps, 0)} kbit/s up, CPU ${profile.cpu}x, 412x823 DPR 1.75, cold cache, ${RUNS} runs`;
    if (isTarget) {
      report({
        bench: BENCH,
        metric: 'transferred_bytes',
        value: bytes,
        unit: 'bytes',
        target: '<= 51200 (50 KB)',
        anchor: 'HTML+CSS+JS on the wire (encodedDataLength, compressed, headers included)',
        anchor_value: null,
        pass: bytes <= 51_200,
        resources: results[0].resources,
        conditions,
      });
    }
    report({
      bench: BENCH,
      metric: isTarget ? 'first_question_ms' : `first_question_ms_${profile.name}`,
      value: round(firstQuestion),
      unit: 'ms',
      target: '<= 1000',
      anchor: 'navigation start -> first paint showing the first question (median of cold loads)',
      anchor_value: null,
      pass: firstQuestion <= 1000,
      p_max: round(Math.max(...results.map((r) => r.firstQuestionMs))),
      fcp_ms: round(median((r) => r.fcpMs ?? NaN)),
      lcp_ms: round(median((r) => r.lcpMs ?? NaN)),
      dom_content_loaded_ms: round(median((r) => r.domContentLoadedMs)),
      load_ms: round(median((r) => r.loadMs)),
      conditions,
    });
  }
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  if (usePg) await dropDatabase(dbName).catch(() => undefined);
}
