// Drives a real VS Code workbench (code-server in Debian's Chromium, through
// playwright-core) with the packaged pyjit extension installed: open a file,
// read the Problems panel, hover, run "pyjit: Show TorchScript Graph" (and take
// a screenshot), then apply the quick fix FIX_TITLE at FIX_LINE:FIX_COL.
// Usage: node vscode_session.js URL FILE_NAME LINE COL FIX_LINE FIX_COL FIX_TITLE OUT_JSON SCREENSHOT
// NODE_PATH must hold playwright-core. Prints nothing; writes what it saw to OUT_JSON.
'use strict';

const fs = require('fs');
const { chromium } = require('playwright-core');

const [url, fileName, line, col, fixLine, fixCol, fixTitle, outPath, screenshot] = process.argv.slice(2);
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

    // Quick Open may find nothing right after start-up: then click the file in the Explorer.
    await retry('open the file', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await page.keyboard.type(fileName);
      try {
        await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${fileName}"]`, { timeout: 3000 });
        await page.keyboard.press('Enter');
      } catch {
        await page.keyboard.press('Escape');
        await page.click(`.explorer-folders-view .monaco-list-row[aria-label*="${fileName}"]`, { timeout: 3000 });
      }
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
    await page.screenshot({ path: screenshot });

    // The quick fix, from the light bulb menu (Ctrl+.) at the diagnostic: the text changes.
    // The lines the code's editor (the first group) shows, top to bottom.
    const codeLines = async () => page.locator('.editor-group-container').first().locator('.view-line')
      .evaluateAll((els) => els.map((e) => ({ top: parseFloat(e.style.top), text: e.textContent.replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top).map((l) => l.text));
    await page.locator('.editor-group-container').first().locator('.view-lines').click();
    out.fix = await retry('apply the quick fix', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+G');
      await page.keyboard.type(`${fixLine}:${fixCol}`);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+.');
      await page.waitForSelector(`.action-widget .monaco-list-row:has-text("${fixTitle}")`, { timeout: 3000 });
      const offered = await page.$$eval('.action-widget .monaco-list-row', (els) => els.map((e) => e.textContent));
      // Keyboard, not a click (the menu takes clicks only once the mouse has moved over it).
      for (let i = 0; i < offered.length; i++) {
        const focused = await page.$eval('.action-widget .monaco-list-row.focused', (e) => e.textContent).catch(() => '');
        if (focused.includes(fixTitle)) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await page.waitForFunction((title) => !document.querySelector('.action-widget .monaco-list-row'), fixTitle,
                                 { timeout: 3000 });
      const lines = await codeLines();
      if (!lines.some((l) => l.includes('# pyjit: ignore['))) throw new Error(`not applied: ${lines.join('|')}`);
      return { offered, lines };
    });
    // The server sees the edit: the problem goes from the Problems panel.
    out.problemsAfterFix = await retry('read the Problems panel after the fix', async () => {
      const rows = await page.$$eval('.markers-panel .monaco-list-row',
        (els) => els.map((e) => `${e.getAttribute('aria-label') || ''} | ${e.textContent}`));
      if (rows.some((r) => r.includes('no_such_method'))) throw new Error(`still there: ${JSON.stringify(rows)}`);
      return rows;
    });
  } catch (e) {
    out.error = String(e && e.stack || e);
    // What the workbench showed when it went wrong.
    await Promise.all(browser.contexts().flatMap((c) => c.pages()).map((p) => p.screenshot({ path: screenshot })))
      .catch(() => {});
  } finally {
    fs.writeFileSync(outPath, JSON.stringify(out));
    await browser.close();
  }
})();
