// Drives yoshiki serve's page in headless Chromium (the system's, through
// playwright-core) for test_browser.py: node browser.mjs BASE_URL OUT_DIR
// CHECK_FILES_JSON REPORT_FILES_JSON RENDER_XML INPUT_JSON. Prints one JSON document of
// what the page showed; the files it downloaded and its screenshots go to
// OUT_DIR. The assertions are test_browser.py's.
import { chromium } from "playwright-core";
import path from "node:path";

const [base, out, checkJson, reportJson, renderXml, inputJson] = process.argv.slice(2);
// The 入力 scenario: {form, values: {field name: typed text}, choose: {field
// name: option value}, bad: {name, value, rule}, fix}.
const input = JSON.parse(inputJson);
const checkFiles = JSON.parse(checkJson);
const reportFiles = JSON.parse(reportJson);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const result = { problems: [] };
try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  // CSP violations and script errors show here.
  page.on("console", (m) => { if (m.type() === "error") result.problems.push(m.text()); });
  page.on("pageerror", (e) => result.problems.push(String(e)));
  const save = async (click, name) => {
    const [download] = await Promise.all([page.waitForEvent("download"), click()]);
    const file = path.join(out, name);
    await download.saveAs(file);
    return file;
  };

  await page.goto(base + "/");
  await page.waitForSelector("#forms-table tbody tr");
  result.tabs = await page.locator(".tab").allTextContents();
  result.forms = await page.locator("#forms-table tbody tr td:first-child").allTextContents();
  result.blankButton = await page.locator("#forms-table tbody button").first().textContent();
  result.blank = await save(() => page.locator('button[data-form="jukou-moushikomi"]').click(), "blank.pdf");
  await page.setInputFiles("#render-file", renderXml);
  await page.check("#render-fillable");
  result.rendered = await save(() => page.click('#render-form button[type="submit"]'), "rendered.pdf");
  await page.screenshot({ path: path.join(out, "forms.png"), fullPage: true });

  // 入力: the generated form, a rule message next to its field as it is
  // typed, gone once fixed; the golden screenshot; the PDF and XML downloads.
  await page.click('.tab[data-page="input"]');
  result.inputTab = await page.locator("#page-input h2").textContent();
  await page.selectOption("#input-form", input.form);
  await page.waitForSelector('#input-fields[data-state="checked"]');
  result.inputFieldCount = await page.locator("#input-fields .field").count();
  const field = (name) => page.locator(`#input-fields .field[data-name="${name}"]`);
  for (const [name, value] of Object.entries(input.values))
    await field(name).locator("input, textarea").first().fill(value);
  for (const [name, value] of Object.entries(input.choose))
    await field(name).locator(`input[value="${value}"]`).check();
  await field(input.bad.name).locator("input").fill(input.bad.value);
  const message = field(input.bad.name).locator(`.messages li[data-rule="${input.bad.rule}"]`);
  await message.waitFor();
  await page.waitForSelector('#input-fields[data-state="checked"]');
  // The golden image (the message next to its field): a fixed viewport,
  // the page scrolled to the top.
  await page.setViewportSize({ width: 1000, height: 760 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(out, "input.png") });
  await page.setViewportSize({ width: 1100, height: 900 });
  result.inputBad = {
    label: await field(input.bad.name).locator(".name").textContent(),
    messages: await field(input.bad.name).locator(".messages li").allTextContents(),
    verdict: await page.locator("#input-verdict").textContent(),
  };
  await field(input.bad.name).locator("input").fill(input.fix);
  await message.waitFor({ state: "detached" });
  await page.waitForSelector('#input-fields[data-state="checked"]');
  result.inputFixed = {
    messages: await field(input.bad.name).locator(".messages li").allTextContents(),
    verdict: await page.locator("#input-verdict").textContent(),
    other: await page.locator("#input-other li").allTextContents(),
  };
  result.inputPdf = await save(() => page.click("#input-pdf"), "input.pdf");
  result.inputXml = await save(() => page.click("#input-xml"), "input.xml");

  await page.click('.tab[data-page="check"]');
  await page.setInputFiles("#check-files", checkFiles);
  await page.waitForSelector("#check-result:not([hidden])");
  result.counts = await page.locator("#check-counts").textContent();
  result.rows = await page.locator("#check-table tr.file").evaluateAll((rows) =>
    rows.map((r) => [...r.cells].map((c) => c.textContent)));
  // Expand every file with findings: their messages as shown.
  const rows = page.locator("#check-table tr.file");
  result.details = [];
  for (let i = 0; i < (await rows.count()); i++) {
    await rows.nth(i).click();
    result.details.push(await page.locator("#check-table tr.details").nth(i).locator("li").allTextContents());
  }
  result.rules = await page.locator("#rule-table tbody tr").evaluateAll((rows) =>
    rows.map((r) => [r.cells[0].textContent, Number(r.cells[1].textContent)]));
  await page.screenshot({ path: path.join(out, "check.png"), fullPage: true });
  result.checkJson = await save(() => page.click("#check-json"), "check.json");

  await page.click('.tab[data-page="report"]');
  await page.fill("#report-asof", "2025-03-31");
  await page.setInputFiles("#report-files", reportFiles);
  await page.waitForSelector("#report-result:not([hidden])");
  result.report = {};
  for (const k of ["starters", "completers", "dropouts", "counted", "rate"])
    result.report[k] = await page.locator("#n-" + k).textContent();
  await page.screenshot({ path: path.join(out, "report.png"), fullPage: true });
  result.csv = await save(() => page.click("#report-csv"), "report.csv");
  await page.check("#report-redact");
  result.csvRedacted = await save(() => page.click("#report-csv"), "report-redacted.csv");
  result.xlsx = await save(() => page.click("#report-xlsx"), "report.xlsx");

  await page.click("#lang");
  result.tabsEnglish = await page.locator(".tab").allTextContents();
  result.reportHeadingEnglish = await page.locator("#count-table th").first().textContent();
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
