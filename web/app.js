// yoshiki serve's page: 様式 (blank forms, data XML → PDF), 入力 (a form
// typed in the browser, generated from the template's fields, checked as it
// is typed), 点検 (validate many files) and 報告 (the Senior Work Program
// report). Japanese first, an
// English switch; everything goes through the JSON API under /v1. No inline
// script, no external resources (the server's CSP allows neither).
"use strict";

const TEXT = {
  en: {
    "title": "yoshiki forms service", "tab.forms": "Forms", "tab.input": "Fill in", "tab.check": "Check", "tab.report": "Report",
    "input.heading": "Fill in a form in the browser", "input.form": "Form", "input.choose": "Choose…",
    "input.pdf": "Download PDF (fillable)", "input.xml": "Download data XML",
    "input.none": "(none)", "input.add": "Add a row", "input.ok": "No findings",
    "input.findings": (e, w) => `${e} error(s), ${w} warning(s)`,
    "input.date": "e.g. 2024-06-10, 2024/6/10, R6.6.10",
    "token": "Access token", "token.save": "Set",
    "forms.heading": "Blank forms (fillable PDF)", "col.id": "Form id", "col.title": "Title", "col.version": "Version",
    "blank": "Blank PDF", "render.heading": "Make a PDF from data XML", "render.fillable": "Fillable",
    "render.go": "Make PDF", "check.heading": "Check submitted files",
    "drop": "Drop XML or PDF files here, or click to choose", "redact.values": "Leave out values (personal data)",
    "col.file": "File", "col.form": "Form", "col.verdict": "Verdict", "col.findings": "Findings",
    "check.rules": "Findings per rule", "col.rule": "Rule", "col.count": "Count", "download.json": "Download JSON",
    "report.heading": "Senior Work Program report",
    "report.drop": "Drop the application, support and employment-status files here, or click to choose",
    "report.asof": "Report date", "report.redact": "Labour-bureau copy (no personal columns)",
    "report.starters": "Starters", "report.completers": "Completers", "report.dropouts": "Dropouts",
    "report.counted": "Employed (counted)", "report.rate": "Employment rate",
    "download.csv": "List CSV", "download.xlsx": "List XLSX",
    "valid": "valid", "invalid": "findings", "unreadable": "unreadable",
    "counts": (s) => `${s.files} files: ${s.valid} valid, ${s.invalid} with findings, ${s.unreadable} unreadable`,
    "working": "Working…", "done": "Done", "findings.n": (n) => `${n} finding(s)`,
    "need.token": "This server needs an access token.", "error": "Error",
  },
  ja: {
    "blank": "白紙 PDF", "valid": "適合", "invalid": "不備あり", "unreadable": "読み取り不可",
    "counts": (s) => `${s.files} 件: 適合 ${s.valid}、不備あり ${s.invalid}、読み取り不可 ${s.unreadable}`,
    "working": "処理中…", "done": "完了", "findings.n": (n) => `指摘 ${n} 件`,
    "need.token": "このサーバーにはアクセストークンが必要です。", "error": "エラー",
    "input.none": "（なし）", "input.add": "行を追加", "input.ok": "指摘はありません",
    "input.findings": (e, w) => `エラー ${e} 件、警告 ${w} 件`,
    "input.date": "例: 令和6年6月10日、R6.6.10、2024/6/10",
  },
};
// The Japanese texts of the page itself are in index.html.
const JA_PAGE = {};
let lang = "ja";

function t(key, ...args) {
  const v = (TEXT[lang] && TEXT[lang][key]) ?? JA_PAGE[key] ?? TEXT.ja[key] ?? key;
  return typeof v === "function" ? v(...args) : v;
}

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const key = el.dataset.i18n;
    if (!(key in JA_PAGE)) JA_PAGE[key] = el.textContent;
    el.textContent = lang === "ja" ? JA_PAGE[key] : t(key);
  }
  const button = document.getElementById("lang");
  button.textContent = lang === "ja" ? "English" : "日本語";
  button.lang = lang === "ja" ? "en" : "ja";
  renderForms();
  relabelInput();
  if (lastCheck) showCheck(lastCheck);
  if (lastReport) showReport(lastReport);
}

function status(text) { document.getElementById("status").textContent = text; }

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// ---- the API ------------------------------------------------------------

function token() { return sessionStorage.getItem("yoshiki-token") || ""; }

async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  if (token()) headers.set("Authorization", "Bearer " + token());
  const res = await fetch(path, { ...options, headers });
  if (res.status === 401) {
    document.getElementById("token-box").hidden = false;
    throw new Error(t("need.token"));
  }
  if (!res.ok) {
    let message = res.status + " " + res.statusText;
    try {
      const body = await res.json();
      message = body.error.message;
      const first = body.diagnostics && body.diagnostics[0];
      if (first) message += ": " + (first.message[lang] || first.message.en);
    } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return res;
}

function filesBody(files) {
  const body = new FormData();
  for (const f of files) body.append("files", f, f.name);
  return body;
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function run(work) {
  status(t("working"));
  try {
    await work();
    status(t("done"));
  } catch (e) {
    status(t("error") + ": " + e.message);
  }
}

// ---- 様式 -----------------------------------------------------------------

let forms = [];

async function loadForms() {
  const res = await api("/v1/forms");
  forms = (await res.json()).forms;
  renderForms();
  const select = document.getElementById("input-form");
  select.replaceChildren(select.options[0]);
  for (const f of forms) select.append(el("option", { value: f.id }, `${f.title}（${f.id}）`));
}

function renderForms() {
  const body = document.querySelector("#forms-table tbody");
  body.replaceChildren();
  for (const f of forms) {
    const button = el("button", { type: "button", "data-form": f.id }, t("blank"));
    button.addEventListener("click", () => run(async () => {
      const res = await api(`/v1/forms/${encodeURIComponent(f.id)}/blank`);
      download(await res.blob(), f.id + ".pdf");
    }));
    body.append(el("tr", {}, el("td", {}, f.id), el("td", {}, f.title), el("td", {}, f.version), el("td", {}, button)));
  }
}

// The labels of each form's fields (GET /v1/forms/{form}/labels), by form id.
const labels = {};

async function loadLabels(formIds) {
  for (const id of formIds) {
    if (!id || labels[id]) continue;
    labels[id] = await (await api(`/v1/forms/${encodeURIComponent(id)}/labels`)).json();
  }
}

// A finding's field as the form labels it: its data path without the root
// element and the row indexes.
function fieldLabel(form, field) {
  const key = field.replace(/\[\d+\]/g, "").replace(/^\/[^/]+\//, "");
  return (labels[form] || {})[key] || "";
}

function findingItem(issue, form) {
  const label = issue.field ? fieldLabel(form, issue.field) : "";
  const where = issue.field ? ` (${issue.field})` : "";
  return el("li", { class: "sev-" + issue.severity },
    `${issue.severity} [${issue.rule}] ${label ? label + ": " : ""}${issue.message[lang] || issue.message.en}${where}`);
}

function setupRender() {
  document.getElementById("render-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const file = document.getElementById("render-file").files[0];
    if (!file) return;
    run(async () => {
      const output = document.getElementById("render-fillable").checked ? "fillable" : "flat";
      const body = new FormData();
      body.append("data", file, file.name);
      const list = document.getElementById("render-findings");
      list.replaceChildren();
      const res = await api(`/v1/render?output=${output}`, { method: "POST", body });
      download(await res.blob(), file.name.replace(/\.xml$/i, "") + ".pdf");
      // The rules' findings, as validate reports them.
      const check = await api("/v1/validate?redact=1", { method: "POST", body: filesBody([file]) });
      const checked = (await check.json()).files[0];
      await loadLabels([checked.form]);
      for (const issue of checked.issues)
        if (issue.severity !== "I") list.append(findingItem(issue, checked.form));
    });
  });
}

// ---- 入力 -----------------------------------------------------------------
// The form is generated from GET /v1/forms/{form}/fields (the template's
// fields as the blank fillable PDF has them); what is typed goes, a moment
// after the typing stops, to POST /v1/forms/{form}/data, which reads it back
// as a filled PDF's fields (dates as people type them) and validates it; the
// findings are shown next to the field they name.

const input = { form: "", fields: [], xml: "", seq: 0, timer: 0 };

function fieldLabelText(f) { return lang === "ja" ? f.label.ja || f.label.en : f.label.en; }

// One field's control: text, a textarea, code boxes, radio buttons or a check box.
function fieldControl(f) {
  const id = "in-" + f.name.replace(/[^A-Za-z0-9_-]/g, "_");
  if (f.widget === "radio") {
    const box = el("span", { class: "choices", role: "radiogroup" });
    for (const o of [{ value: "", label: null }, ...f.options]) {
      const radio = el("input", { type: "radio", name: f.name, value: o.value });
      if (o.value === "") radio.checked = true;
      box.append(el("label", {}, radio, " ", o.label === null ? t("input.none") : o.label || o.value));
    }
    return box;
  }
  if (f.widget === "checkbox") {
    const o = f.options[0] || { value: "1", label: "" };
    return el("label", {}, el("input", { type: "checkbox", name: f.name, id }), " ", o.label || o.value);
  }
  if (f.widget === "multiline") return el("textarea", { name: f.name, id, rows: "3" });
  const attrs = { type: "text", name: f.name, id };
  if (f.widget === "comb" && f.max_length) {
    attrs.maxlength = String(f.max_length);
    attrs.size = String(f.max_length + 2);
    attrs.class = "comb";
    attrs.inputmode = "numeric";
  }
  if (f.type === "date") attrs.placeholder = t("input.date");
  return el("input", attrs);
}

function fieldBox(f) {
  const name = el("label", { class: "name", for: "in-" + f.name.replace(/[^A-Za-z0-9_-]/g, "_") });
  name.dataset.field = f.name;
  const box = el("div", { class: "field", "data-path": f.path, "data-name": f.name },
    name, fieldControl(f), el("ul", { class: "messages findings", "aria-live": "polite" }));
  return box;
}

function relabelInput() {
  const byName = new Map(input.fields.map((f) => [f.name, f]));
  for (const label of document.querySelectorAll("#input-fields .name")) {
    const f = byName.get(label.dataset.field);
    if (f) label.textContent = fieldLabelText(f);
  }
  for (const th of document.querySelectorAll("#input-fields th[data-of]")) {
    const f = input.fields.find((x) => x.row && x.row.of === th.dataset.of);
    if (f) th.textContent = fieldLabelText(f);
  }
  for (const b of document.querySelectorAll("#input-fields .add-row")) b.textContent = t("input.add");
}

// Repeated rows: a table per row path, one row shown at first, more added
// up to as many as the form holds.
function rowsTable(rowPath, list) {
  const columns = [...new Set(list.map((f) => f.row.of))];
  const limit = Math.max(...list.map((f) => f.row.index));
  const table = el("table", { class: "rows", "data-rows": rowPath });
  table.append(el("thead", {}, el("tr", {}, el("th", {}, "#"), ...columns.map((of) => el("th", { "data-of": of })))));
  const body = el("tbody");
  for (let i = 1; i <= limit; i++) {
    const tr = el("tr", { "data-index": String(i) }, el("td", {}, String(i)));
    for (const of of columns) {
      const f = list.find((x) => x.row.of === of && x.row.index === i);
      tr.append(el("td", {}, f ? fieldBox(f) : ""));
    }
    tr.hidden = i > 1;
    body.append(tr);
  }
  table.append(body);
  const add = el("button", { type: "button", class: "add-row" }, t("input.add"));
  add.addEventListener("click", () => {
    const next = body.querySelector("tr[hidden]");
    if (next) next.hidden = false;
    add.disabled = !body.querySelector("tr[hidden]");
  });
  return el("div", {}, table, add);
}

function buildInputForm() {
  const form = document.getElementById("input-fields");
  form.replaceChildren();
  // Fields in layout order; a repeated row's fields together where its first one stands.
  const rows = new Map();
  for (const f of input.fields) {
    if (!f.row) { form.append(fieldBox(f)); continue; }
    const rowPath = f.row.of.slice(0, f.row.of.indexOf("[#]"));
    if (!rows.has(rowPath)) {
      rows.set(rowPath, []);
      const holder = el("fieldset", { "data-rows-of": rowPath }, el("legend", {}, rowPath));
      form.append(holder);
    }
    rows.get(rowPath).push(f);
  }
  for (const [rowPath, list] of rows)
    form.querySelector(`fieldset[data-rows-of="${CSS.escape(rowPath)}"]`).append(rowsTable(rowPath, list));
  relabelInput();
}

function inputValues() {
  const values = {};
  for (const f of input.fields) {
    const controls = document.getElementsByName(f.name);
    if (f.widget === "radio") {
      const chosen = [...controls].find((c) => c.checked);
      if (chosen && chosen.value !== "") values[f.name] = chosen.value;
    } else if (f.widget === "checkbox") {
      if (controls[0] && controls[0].checked) values[f.name] = "1";
    } else if (controls[0] && controls[0].value.trim() !== "") {
      values[f.name] = controls[0].value;
    }
  }
  return values;
}

// The field boxes a finding names: its data path without the root element.
function boxesFor(issue) {
  if (!issue.field) return [];
  const path = issue.field.replace(/^\/[^/]+\//, "");
  return [...document.querySelectorAll("#input-fields .field")].filter((b) => b.dataset.path === path);
}

function issueText(issue) {
  return `${issue.message[lang] || issue.message.ja || issue.message.en} [${issue.rule}]`;
}

function showInputFindings(result) {
  for (const box of document.querySelectorAll("#input-fields .field")) {
    box.classList.remove("has-E", "has-W");
    box.querySelector(".messages").replaceChildren();
  }
  const other = document.getElementById("input-other");
  other.replaceChildren();
  const issues = result.files[0].issues.filter((i) => i.severity !== "I");
  let errors = 0, warnings = 0;
  for (const issue of issues) {
    if (issue.severity === "E") errors++; else warnings++;
    const boxes = boxesFor(issue);
    for (const box of boxes) {
      box.classList.add("has-" + issue.severity);
      // A message shows on a hidden row's field too: its row comes into view.
      const row = box.closest("tr[hidden]");
      if (row) row.hidden = false;
      box.querySelector(".messages").append(el("li", { class: "sev-" + issue.severity, "data-rule": issue.rule }, issueText(issue)));
    }
    if (!boxes.length)
      other.append(el("li", { class: "sev-" + issue.severity, "data-rule": issue.rule }, issueText(issue)));
  }
  const verdict = document.getElementById("input-verdict");
  verdict.textContent = issues.length ? t("input.findings", errors, warnings) : t("input.ok");
  verdict.className = errors ? "ng" : "ok";
}

// Checks what is typed; an answer to an older request is dropped.
async function checkInput() {
  if (!input.form) return;
  const seq = ++input.seq;
  const res = await api(`/v1/forms/${encodeURIComponent(input.form)}/data?redact=1`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(inputValues()),
  });
  const result = await res.json();
  if (seq !== input.seq) return;
  input.xml = result.xml;
  showInputFindings(result.validation);
  // What is shown answers what is typed (tests wait for this).
  document.getElementById("input-fields").dataset.state = "checked";
  document.getElementById("input-pdf").disabled = false;
  document.getElementById("input-xml").disabled = false;
}

function scheduleCheck() {
  document.getElementById("input-fields").dataset.state = "typing";
  clearTimeout(input.timer);
  input.timer = setTimeout(() => checkInput().catch((e) => status(t("error") + ": " + e.message)), 400);
}

async function chooseInputForm(id) {
  input.form = id;
  input.fields = [];
  input.xml = "";
  document.getElementById("input-pdf").disabled = true;
  document.getElementById("input-xml").disabled = true;
  document.getElementById("input-verdict").textContent = "";
  document.getElementById("input-other").replaceChildren();
  document.getElementById("input-fields").replaceChildren();
  if (!id) return;
  const res = await api(`/v1/forms/${encodeURIComponent(id)}/fields`);
  input.fields = (await res.json()).fields;
  buildInputForm();
  await checkInput();
}

function setupInput() {
  document.getElementById("input-form").addEventListener("change", (e) => run(() => chooseInputForm(e.target.value)));
  const form = document.getElementById("input-fields");
  form.addEventListener("input", scheduleCheck);
  form.addEventListener("change", scheduleCheck);
  form.addEventListener("submit", (e) => { e.preventDefault(); run(checkInput); });
  document.getElementById("input-xml").addEventListener("click", () => run(async () => {
    await checkInput();
    download(new Blob([input.xml], { type: "application/xml" }), input.form + ".xml");
  }));
  document.getElementById("input-pdf").addEventListener("click", () => run(async () => {
    await checkInput();
    const res = await api("/v1/render?output=fillable", {
      method: "POST", headers: { "Content-Type": "application/xml" }, body: input.xml,
    });
    download(await res.blob(), input.form + ".pdf");
  }));
}

// ---- 点検 -----------------------------------------------------------------

let lastCheck = null;

function verdict(f) {
  if (!f.readable) return ["unreadable", "unreadable"];
  return f.valid ? ["valid", "ok"] : ["invalid", "ng"];
}

function showCheck(report) {
  lastCheck = report;
  document.getElementById("check-result").hidden = false;
  document.getElementById("check-counts").textContent = t("counts", report.summary);
  const body = document.querySelector("#check-table tbody");
  body.replaceChildren();
  for (const f of report.files) {
    const [key, cls] = verdict(f);
    const shown = f.issues.filter((i) => i.severity !== "I");
    const row = el("tr", { class: "file", tabindex: "0" }, el("td", {}, f.file), el("td", {}, f.form || "-"),
      el("td", { class: cls }, t(key)), el("td", {}, t("findings.n", shown.length)));
    const details = el("tr", { class: "details" }, el("td", { colspan: "4" }, el("ul", { class: "findings" }, ...shown.map((i) => findingItem(i, f.form)))));
    details.hidden = true;
    const toggle = () => { details.hidden = !details.hidden; };
    row.addEventListener("click", toggle);
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") toggle(); });
    body.append(row, details);
  }
  const rules = document.querySelector("#rule-table tbody");
  rules.replaceChildren();
  for (const [rule, n] of Object.entries(report.summary.per_rule))
    rules.append(el("tr", {}, el("td", {}, rule), el("td", {}, String(n))));
}

async function check(files) {
  const redact = document.getElementById("check-redact").checked ? 1 : 0;
  const res = await api(`/v1/validate?redact=${redact}`, { method: "POST", body: filesBody(files) });
  const report = await res.json();
  await loadLabels(new Set(report.files.map((f) => f.form)));
  showCheck(report);
}

// ---- 報告 -----------------------------------------------------------------

let lastReport = null;
let reportFiles = [];

function reportQuery(format) {
  const q = new URLSearchParams({ format, lang });
  const asOf = document.getElementById("report-asof").value;
  if (asOf) q.set("as_of", asOf);
  if (document.getElementById("report-redact").checked) q.set("redact", "1");
  return "/v1/report?" + q;
}

function showReport(r) {
  lastReport = r;
  document.getElementById("report-result").hidden = false;
  for (const k of ["starters", "completers", "dropouts", "counted"])
    document.getElementById("n-" + k).textContent = String(r[k]);
  document.getElementById("n-rate").textContent = r.employmentRate.toFixed(1) + "%";
  const list = document.getElementById("report-diagnostics");
  list.replaceChildren(...r.diagnostics.map((d) => el("li", { class: "sev-" + d.severity },
    `${d.severity} [${d.code}] ${d.file ? d.file + ": " : ""}${d.message[lang] || d.message.en}`)));
}

async function report(files) {
  reportFiles = files;
  const res = await api(reportQuery("json"), { method: "POST", body: filesBody(files) });
  showReport(await res.json());
}

async function reportDownload(format) {
  const res = await api(reportQuery(format), { method: "POST", body: filesBody(reportFiles) });
  download(await res.blob(), "senior-report." + format);
}

// ---- wiring ---------------------------------------------------------------

function dropZone(zoneId, inputId, onFiles) {
  const zone = document.getElementById(zoneId);
  const input = document.getElementById(inputId);
  zone.addEventListener("click", () => input.click());
  zone.addEventListener("keydown", (e) => { if (e.key === "Enter") input.click(); });
  input.addEventListener("click", (e) => e.stopPropagation());
  input.addEventListener("change", () => { if (input.files.length) run(() => onFiles([...input.files])); });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer.files.length) run(() => onFiles([...e.dataTransfer.files]));
  });
}

function showPage(name) {
  for (const tab of document.querySelectorAll(".tab"))
    tab.setAttribute("aria-selected", String(tab.dataset.page === name));
  for (const page of document.querySelectorAll(".page")) page.hidden = page.id !== "page-" + name;
}

document.addEventListener("DOMContentLoaded", () => {
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showPage(tab.dataset.page));
  showPage("forms");
  document.getElementById("lang").addEventListener("click", () => {
    lang = lang === "ja" ? "en" : "ja";
    applyLanguage();
  });
  document.getElementById("token-save").addEventListener("click", () => {
    sessionStorage.setItem("yoshiki-token", document.getElementById("token").value.trim());
    document.getElementById("token-box").hidden = true;
    run(loadForms);
  });
  dropZone("check-drop", "check-files", check);
  dropZone("report-drop", "report-files", report);
  document.getElementById("check-json").addEventListener("click", () => {
    if (lastCheck) download(new Blob([JSON.stringify(lastCheck, null, 2)], { type: "application/json" }), "validate.json");
  });
  document.getElementById("report-csv").addEventListener("click", () => run(() => reportDownload("csv")));
  document.getElementById("report-xlsx").addEventListener("click", () => run(() => reportDownload("xlsx")));
  setupRender();
  setupInput();
  applyLanguage();
  run(loadForms);
});
