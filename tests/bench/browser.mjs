// wasm benchmarks in headless Chromium (www/bench.html), printed as a table.
import { createRequire } from "node:module";
import { formatRows } from "../../www/js/bench.js";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const base = process.env.BASE_URL ?? "http://127.0.0.1:8080";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
try {
  const page = await browser.newPage();
  await page.goto(`${base}/bench.html`);
  await page.waitForFunction(() => window.__bench, null, { timeout: 300_000 });
  const rows = await page.evaluate(() => window.__bench);
  const ua = await page.evaluate(() => navigator.userAgent.match(/Chrom\w+\/[\d.]+/)?.[0]);
  console.log(formatRows(`wasm (headless ${ua})`, rows));
} finally {
  await browser.close();
}
