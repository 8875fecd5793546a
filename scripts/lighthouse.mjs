// Run Lighthouse (desktop preset) on each URL given, in one Debian Chromium, and print a JSON
// summary on stdout: per URL, the category scores (0-100) and the failed audits of each category.
//
//   node scripts/lighthouse.mjs URL... [--report-dir DIR]
//
// CHROME_PATH names the browser (doctools/paths.py's CHROMIUM, set by the Python callers). Nothing is
// downloaded: the browser is Debian's, and the pages are expected on localhost. scripts/audit.py and the test suite call this.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const CATEGORIES = ["performance", "accessibility", "best-practices"];
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const args = process.argv.slice(2);
const reportAt = args.indexOf("--report-dir");
const reportDir = reportAt >= 0 ? args.splice(reportAt, 2)[1] : null;
if (args.length === 0) {
  console.error("usage: node scripts/lighthouse.mjs URL... [--report-dir DIR]");
  process.exit(2);
}

function failedAudits(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit.score !== null && audit.score < 1)
    .map((audit) => ({ id: audit.id, title: audit.title, score: audit.score, value: audit.displayValue ?? "" }));
}

if (!process.env.CHROME_PATH) {
  console.error("CHROME_PATH is not set: run this through scripts/audit.py or the test suite, which set it.");
  process.exit(2);
}
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: CHROME_FLAGS,
  logLevel: "silent",
});
const results = [];
try {
  for (const url of args) {
    const started = Date.now();
    const flags = {
      port: chrome.port,
      output: "html",
      logLevel: "error",
      onlyCategories: CATEGORIES,
      disableFullPageScreenshot: true,
    };
    const { lhr, report } = await lighthouse(url, flags, desktopConfig);
    if (reportDir) {
      mkdirSync(reportDir, { recursive: true });
      const name = new URL(url).pathname.replace(/^\/+|\/+$/g, "").replaceAll("/", "-") || "root";
      writeFileSync(join(reportDir, `${name}.html`), report);
    }
    results.push({
      url,
      seconds: (Date.now() - started) / 1000,
      runtimeError: lhr.runtimeError?.message ?? null,
      runWarnings: lhr.runWarnings,
      scores: Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)])),
      failed: Object.fromEntries(CATEGORIES.map((c) => [c, failedAudits(lhr, c)])),
      layoutShifts: (lhr.audits["layout-shifts"]?.details?.items ?? []).map((item) => ({
        score: item.score,
        element: item.node?.selector ?? "",
      })),
    });
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(results, null, 2));
