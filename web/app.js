// yoshiki serve's page: 様式 (blank forms, data XML → PDF), 点検 (validate
// many files) and 報告 (the Senior Work Program report). Japanese first, an
// English switch; everything goes through the JSON API under /v1. No inline
// script, no external resources (the server's CSP allows neither).
"use strict";

const TEXT = {
  en: {
    "title": "yoshiki forms service", "tab.forms": "Forms", "tab.check": "Check", "tab.report": "Report",
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
  applyLanguage();
  run(loadForms);
});
