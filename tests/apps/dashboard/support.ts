// The dashboard as the browser tests run it: the single-page app built by vite into a folder of the
// test run, the real dashboard server in front of a real analytics process, and Debian's chromium
// driven by playwright-core (never a downloaded browser) with a fresh profile per user.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "../../../local/kafka-broker";
import { freePort } from "../../../local/net";
import { type RunningService, startService } from "../../../local/services";

export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
export const SCREENSHOTS = join(REPO_ROOT, ".local", "test", "dashboard-screens");

/** Builds the app as `npm run build:dashboard` does, into `outDir`. */
export async function buildSpa(outDir: string): Promise<void> {
  await promisify(execFile)(join(REPO_ROOT, "node_modules", ".bin", "vite"), ["build", "--config", "apps/dashboard/web/vite.config.mts", "--outDir", outDir, "--emptyOutDir"], { cwd: REPO_ROOT });
}

export interface Dashboard {
  readonly url: string;
  readonly service: RunningService;
}

export async function startDashboard(opts: { issuer: string; clientId: string; analyticsUrl: string; usersUrl: string; staticDir: string; port?: number }): Promise<Dashboard> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env = { HOST: "127.0.0.1", PORT: String(port), DASHBOARD_ISSUER: opts.issuer, DASHBOARD_CLIENT_ID: opts.clientId, DASHBOARD_ANALYTICS_URL: opts.analyticsUrl, DASHBOARD_USERS_URL: opts.usersUrl, DASHBOARD_STATIC_DIR: opts.staticDir, LOG_LEVEL: "info" };
  const service = await startService("dashboard", env, `${url}/readyz`, join(REPO_ROOT, ".local", "test", "logs", `dashboard-${port}.log`));
  return { url, service };
}

const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and CSP reports the page produced. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** A headless chromium with its own fresh profile (one per signed-in user). */
export async function openBrowser(width = 1280): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), "gm-dash-chromium-"));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && problems.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  page.on("pageerror", (e) => problems.push(e.message));
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens `url` (a dashboard page), signs in on the issuer's own login page and waits to be back. */
export async function signIn(b: Browser, url: string, email: string, password: string): Promise<void> {
  await b.page.goto(url);
  await b.page.waitForSelector('input[name="password"]', { timeout: 20_000 });
  await b.page.fill("#email", email);
  await b.page.fill("#password", password);
  await Promise.all([b.page.waitForURL((u) => u.pathname.startsWith("/dashboard") && !u.pathname.endsWith("/callback"), { timeout: 20_000 }), b.page.click('button[type="submit"]')]);
  await b.page.waitForSelector("header nav", { timeout: 20_000 });
}

/** The text of a tile's value (`data-metric`), once it shows one. */
export async function tile(page: Page, metric: string): Promise<string> {
  const dd = page.locator(`[data-metric="${metric}"] dd`);
  await dd.waitFor({ timeout: 20_000 }).catch(async (err: unknown) => {
    throw new Error(`no ${metric} tile; the page says: ${await page.locator("main").innerText().catch(() => "(no main)")}`, { cause: err });
  });
  return (await dd.innerText()).trim();
}
