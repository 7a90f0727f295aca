// Opens the HTML pages handoff writes in headless Chromium and checks what a
// reader would meet: the page loads with no console error and no network
// request, the screenshot is not blank, printing to PDF (A4) gives pages,
// hostile texts from the files appear as text and no script runs, and every
// link of the site leads to a file. See docs/html.md.
//
// Run from the repository root (it reads examples/ and tests/fixtures/):
//   npm install puppeteer-core@23.11.1
//   node scripts/browser-check.mjs target/debug/handoff [node_modules] [chromium]
//
// Exits 0 when every check passes, 1 otherwise, printing each result and a
// closing "N passed, N failed" line.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";

const handoff = resolve(process.argv[2] ?? "target/debug/handoff");
const modules = resolve(process.argv[3] ?? "node_modules");
const chromium = process.argv[4] ?? process.env.CHROMIUM ?? "/usr/bin/chromium";
const puppeteer = createRequire(join(modules, "noop.js"))("puppeteer-core");

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) {
    passed += 1;
    console.log(`ok    ${what}`);
  } else {
    failed += 1;
    console.log(`FAIL  ${what}`);
  }
}

// The pages: the examples' site (internal and customer), the hostile
// fixture's site (it exits 2: one engagement there cannot be read), and a
// stand-alone report of each audience.
const out = mkdtempSync(join(tmpdir(), "handoff-browser-"));
function handoffRun(args, okCodes = [0]) {
  try {
    execFileSync(handoff, args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    if (!okCodes.includes(err.status)) {
      throw new Error(`handoff ${args.join(" ")} exited ${err.status}: ${err.stderr}`);
    }
  }
}
const today = ["--today", "2026-03-01"];
handoffRun(["site", "examples", "-o", join(out, "examples"), ...today, "--cost-rate", "517.5"]);
handoffRun(["site", "examples", "-o", join(out, "customer"), ...today, "--audience", "customer"]);
handoffRun(["site", "tests/fixtures/hostile-html", "-o", join(out, "hostile"), ...today], [2]);
handoffRun(["report", "examples/nordwind-crm", "--format", "html", "-o", join(out, "report.html"), ...today]);
handoffRun([
  "report", "examples/acme-wms", "--format", "html", "--audience", "customer",
  "-o", join(out, "report-customer.html"), ...today,
]);

// The gap burn-down of the examples' statistics page draws what
// `handoff stats --history` reads: the portfolio and each engagement, one
// series each (none, and a sentence instead, when there is no history).
function historySeries() {
  try {
    const json = execFileSync(handoff, ["stats", "--history", "examples", "--format", "json", ...today], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const engagements = JSON.parse(json).engagements.length;
    return engagements ? engagements + 1 : 0;
  } catch {
    return 0;
  }
}
const expectedSeries = historySeries();

function htmlFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...htmlFiles(path));
    else if (name.endsWith(".html")) found.push(path);
  }
  return found.sort();
}
const pages = htmlFiles(out);

// Whether a PNG holds more than a blank page: its pixel rows, unfiltered,
// hold more than a handful of different colours.
function colours(png) {
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || (data[9] !== 6 && data[9] !== 2)) return -1;
    }
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = raw.length / height - 1 === width * 4 ? 4 : 3;
  const stride = width * bpp;
  const prev = Buffer.alloc(stride);
  const line = Buffer.alloc(stride);
  const seen = new Set();
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i += 1) {
      const a = i >= bpp ? line[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let v = row[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = v & 0xff;
    }
    for (let x = 0; x < stride; x += bpp) {
      seen.add((line[x] << 16) | (line[x + 1] << 8) | line[x + 2]);
      if (seen.size > 64) return seen.size;
    }
    line.copy(prev);
  }
  return seen.size;
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  // Root in CI: Chromium's sandbox needs user namespaces it may not get.
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  for (const file of pages) {
    const name = file.slice(out.length + 1);
    const url = pathToFileURL(file).href;
    const page = await browser.newPage();
    const errors = [];
    const requests = [];
    let dialogs = 0;
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
    });
    page.on("pageerror", (err) => errors.push(String(err)));
    page.on("dialog", async (dialog) => {
      dialogs += 1;
      await dialog.dismiss();
    });
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      if (request.url() === url) {
        request.continue();
      } else {
        requests.push(request.url());
        request.abort();
      }
    });
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(url, { waitUntil: "load" });
    check(errors.length === 0, `${name}: no console error ${errors.length ? JSON.stringify(errors) : ""}`);
    check(requests.length === 0, `${name}: no network request ${requests.length ? JSON.stringify(requests) : ""}`);
    const state = await page.evaluate(() => ({
      pwned: typeof window.__pwned,
      scripts: document.querySelectorAll("script").length,
      text: document.body.innerText,
      links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    }));
    check(dialogs === 0 && state.pwned === "undefined" && state.scripts === 0, `${name}: no script ran`);
    const shot = Buffer.from(await page.screenshot({ type: "png" }));
    check(colours(shot) > 8, `${name}: the screenshot is not blank`);
    const pdf = Buffer.from(await page.pdf({ format: "A4", printBackground: true }));
    const pdfPages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    const sections = name.includes("engagements/") || name.startsWith("report") ? 2 : 1;
    check(pdfPages >= sections, `${name}: prints to ${pdfPages} A4 pages`);
    if (name.startsWith("hostile/")) {
      const shown = name.includes("engagements/")
        ? ["<script>alert(1)</script> Evil & Sons", "\" onmouseover=\"window.__pwned=1\" x=\""]
        : ["<script>alert(1)</script>", "Cannot be evaluated"];
      for (const text of shown) {
        check(state.text.includes(text), `${name}: shows ${JSON.stringify(text)} as text`);
      }
    }
    if (name === "examples/stats.html") {
      const burndown = await page.evaluate(() =>
        [...document.querySelectorAll("#burndown-charts svg")].map((svg) => ({
          series: svg.querySelectorAll("g.series").length,
          lines: svg.querySelectorAll("g.series polyline").length,
          box: svg.getBoundingClientRect().height,
        })),
      );
      const series = burndown.reduce((n, chart) => n + chart.series, 0);
      check(series === expectedSeries, `${name}: the burn-down draws ${series} series, ${expectedSeries} expected`);
      check(
        burndown.every((chart) => chart.lines > 0 && chart.box > 0),
        `${name}: every burn-down chart renders a line`,
      );
      if (expectedSeries === 0) {
        check(state.text.includes("no history to draw"), `${name}: says why there is no burn-down`);
      }
    }
    const broken = state.links.filter((href) => !href.startsWith("file:") || !existsSync(fileURLToPath(href)));
    check(broken.length === 0, `${name}: its ${state.links.length} links lead to files ${broken.length ? JSON.stringify(broken) : ""}`);
    await page.close();
  }
} finally {
  await browser.close();
}
check(pages.length >= 14, `${pages.length} pages checked in ${out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
