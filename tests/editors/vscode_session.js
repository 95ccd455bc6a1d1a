// Drives a real VS Code workbench (code-server in Debian's Chromium, through
// playwright-core) with the packaged pyjit extension installed: open a file,
// read the Problems panel, hover, run "pyjit: Show TorchScript Graph".
// Usage: node vscode_session.js URL FILE_NAME LINE COL OUT_JSON
// NODE_PATH must hold playwright-core. Prints nothing; writes what it saw to OUT_JSON.
'use strict';

const fs = require('fs');
const { chromium } = require('playwright-core');

const [url, fileName, line, col, outPath] = process.argv.slice(2);
const deadline = Number(process.env.PYJIT_TEST_DEADLINE_MS || 90000);
const out = {};

async function retry(what, fn) {
  const until = Date.now() + deadline;
  let last;
  while (Date.now() < until) {
    try { return await fn(); } catch (e) { last = e; }
  }
  throw new Error(`${what}: ${last}`);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.PYJIT_CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: deadline });

    await retry('open the file with Quick Open', async () => {
      await page.keyboard.press('Control+P');
      await page.keyboard.type(fileName);
      await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${fileName}"]`, { timeout: 3000 });
      await page.keyboard.press('Enter');
      await page.waitForSelector(`.tab[aria-label*="${fileName}"]`, { timeout: 3000 });
    });

    // Problems panel: wait for pyjit's diagnostic.
    await page.keyboard.press('Control+Shift+M');
    out.problems = await retry('read the Problems panel', async () => {
      const rows = await page.$$eval('.markers-panel .monaco-list-row',
        (els) => els.map((e) => `${e.getAttribute('aria-label') || ''} | ${e.textContent}`));
      if (!rows.some((r) => r.includes('PJ'))) throw new Error(`no pyjit problem yet: ${JSON.stringify(rows)}`);
      return rows;
    });

    // Hover at LINE:COL (1-based).
    await page.click('.monaco-editor .view-lines');
    out.hover = await retry('hover', async () => {
      await page.keyboard.press('Control+G');
      await page.keyboard.type(`${line}:${col}`);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const hover = await page.waitForSelector('.monaco-hover:not(.hidden) .monaco-hover-content', { timeout: 3000 });
      const text = await hover.textContent();
      if (!text.includes('aten::')) throw new Error(`hover without IR: ${text}`);
      await page.keyboard.press('Escape');
      return text;
    });

    // The command palette entry opens the graph beside the code.
    out.graph = await retry('show the graph', async () => {
      await page.keyboard.press('Control+Shift+P');
      await page.keyboard.type('pyjit: Show TorchScript Graph');
      await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="Show TorchScript Graph"]', { timeout: 3000 });
      await page.keyboard.press('Enter');
      const tab = await page.waitForSelector('.tab[aria-label*=".ir"]', { timeout: 5000 });
      const label = await tab.getAttribute('aria-label');
      // The graph opens beside the code, which keeps the focus: read every editor group.
      const groups = await page.$$eval('.editor-group-container',
        (els) => els.map((g) => [...g.querySelectorAll('.view-line')].map((l) => l.textContent).join('\n')));
      const shown = groups.find((text) => text.includes('graph('));
      if (!shown) throw new Error(`graph not shown: ${groups.map((t) => t.slice(0, 40))}`);
      return { tab: label, text: shown, groups: groups.length };
    });
  } catch (e) {
    out.error = String(e && e.stack || e);
  } finally {
    fs.writeFileSync(outPath, JSON.stringify(out));
    await browser.close();
  }
})();
