// zhibiao web page: three tabs over the /v1 API. No external scripts.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
// the order of first levels in a shown table: level1_order of GET /v1/vocab/labels (corpus/framework.py)
const levelOrder = (level1) => Number((LABELS.level1_order || {})[level1] ?? 9);
// Chinese labels for every code in the answers, from GET /v1/vocab/labels (one data file shared
// with the CLI); the built-in copy below only covers the seconds before it arrives.
let LABELS = { origins: { corpus: "过往项目", description: "项目描述", library: "内置指标库", framework: "框架补全" } };
const labelOf = (vocabulary, code) => (LABELS[vocabulary] || {})[code] || code || "";
fetch("/v1/vocab/labels").then((x) => x.ok ? x.json() : null).then((data) => { if (data) LABELS = data; }).catch(() => {});
const SEVERITY = { error: "错误", warning: "警告", info: "提示" };

async function api(path, options = {}) {
  const response = await fetch(path, { headers: { "Content-Type": "application/json" }, ...options });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error ? data.error.message : `请求失败（状态码 ${response.status}）`);
  return data;
}

function showTab(name) {
  document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll(".panel").forEach((p) => p.classList.toggle("active", p.id === name));
  if (name === "corpus") loadCorpus();
}
document.querySelectorAll("nav button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));

async function ready() {
  try {
    const r = await api("/readyz");
    $("#status").textContent = `语料库 ${r.declarations} 份申报表 · ${r.indicators} 个指标 · 编码器 ${r.encoder}`;
    return r;
  } catch (e) {
    $("#status").textContent = "服务正在加载…";
    setTimeout(ready, 2000);
  }
}

// ---- 推荐指标 --------------------------------------------------------------------------
let lastTable = [];
$("#recommend-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const out = $("#recommend-out");
  out.innerHTML = '<p class="note">正在推荐…</p>';
  try {
    const body = { project_name: form.get("project_name"), description: form.get("description") || "" };
    if (form.get("agency")) body.agency = form.get("agency");
    const result = await api("/v1/recommendations", { method: "POST", body: JSON.stringify(body) });
    out.innerHTML = renderRecommendation(result);
    $("#copy-table").addEventListener("click", copyTable);
  } catch (e) {
    out.innerHTML = `<p class="error-box">${esc(e.message)}</p>`;
  }
});

function renderRecommendation(result) {
  const rows = [...result.indicators].sort((a, b) =>
    levelOrder(a.level1) - levelOrder(b.level1) || String(a.level2).localeCompare(String(b.level2)) || b.score - a.score);
  lastTable = rows.map((r) => [r.level1 || "", r.level2 || "", r.name, r.target.raw || ""]);
  let html = `<p class="note">相似项目：${result.similar_projects.slice(0, 5).map((p) => esc(p.project_name || p.id)).join("；")}</p>`;
  html += `<button class="copy" id="copy-table" type="button">复制表格（可粘贴到电子表格）</button>`;
  html += '<table id="recommend-table"><thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>建议目标值</th><th>来源与依据</th></tr></thead><tbody>';
  let group = "";
  for (const r of rows) {
    if (r.level1 !== group) { group = r.level1; html += `<tr class="group"><td colspan="5">${esc(group || "未分类")}</td></tr>`; }
    const sources = r.sources.map((s) => `${esc(s.project_name || s.declaration_id)}：${esc(s.name)}（${esc(s.target_raw || "空")}）`).join("<br>");
    const observed = (r.observed_values || []).map((v) => `${esc(v.value)}×${v.count}`).join("、");
    html += `<tr><td>${esc(r.level1)}</td><td>${esc(r.level2)}</td><td>${esc(r.name)}</td><td><b>${esc(r.target.raw)}</b></td>
      <td><span class="origin ${esc(r.origin)}">${esc(labelOf("origins", r.origin))}</span>
      <details><summary>依据</summary><div class="note">${esc(r.basis)}</div>
      ${observed ? `<div class="note">过往取值：${observed}</div>` : ""}${sources ? `<div class="note">${sources}</div>` : ""}</details></td></tr>`;
  }
  html += "</tbody></table>";
  if (result.coverage.missing.length) html += `<p class="error-box">仍缺少：${esc(result.coverage.missing.join("、"))}</p>`;
  return html;
}

async function copyTable() {
  const text = [["一级指标", "二级指标", "三级指标", "指标值"], ...lastTable].map((r) => r.join("\t")).join("\n");
  try { await navigator.clipboard.writeText(text); }
  catch (e) {
    const area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select(); document.execCommand("copy"); area.remove();
  }
  $("#copy-table").textContent = "已复制";
}

// ---- 审核 ------------------------------------------------------------------------------
// One file: its text goes into the box. Several files: each is reviewed on its own and the page
// lists them worst first (errors, then the lowest measurability score), each expandable to its memo.
let reviewFiles = [];

async function readText(file) {
  const bytes = await file.arrayBuffer();
  try { return new TextDecoder("utf-8", { fatal: true }).decode(bytes); }
  catch (e) { return new TextDecoder("gb18030").decode(bytes); }
}

const isText = (file) => /\.(txt|text)$/i.test(file.name);

$("#review-file").addEventListener("change", async (event) => {
  const files = [...event.target.files];
  // one text file goes into the box; office files (.xlsx .docx .pdf …) and several files are
  // uploaded as they are and read by the server
  reviewFiles = files.length === 1 && isText(files[0]) ? [] : files;
  if (files.length === 1 && isText(files[0])) $("#review-form textarea").value = await readText(files[0]);
  else if (files.length) $("#review-form textarea").value = "";
  $("#review-out").innerHTML = reviewFiles.length ? `<p class="note">已选择 ${files.length} 个文件，点“审核”逐份审核</p>` : "";
});

$("#review-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const out = $("#review-out");
  if (reviewFiles.length) return reviewMany(reviewFiles, out);
  const text = $("#review-form textarea").value;
  out.innerHTML = '<p class="note">正在审核…</p>';
  try {
    const reviews = await api("/v1/reviews", { method: "POST", body: JSON.stringify({ text }) });
    out.innerHTML = reviews.map(renderReview).join("");
  } catch (e) {
    out.innerHTML = `<p class="error-box">${esc(e.message)}</p>`;
  }
});

const severityCount = (review, severity) => (review.summary.by_severity || {})[severity] || 0;

async function reviewMany(files, out) {
  const done = [];
  const batch = 10;  // the server takes at most 20 files per request
  for (let start = 0; start < files.length; start += batch) {
    const part = files.slice(start, start + batch);
    out.innerHTML = `<p class="note">正在审核 ${start + 1}–${start + part.length}/${files.length}…</p>`;
    const body = new FormData();
    part.forEach((file) => body.append("files", file, file.name));
    try {
      const response = await fetch("/v1/reviews/files", { method: "POST", body });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.error ? data.error.message : `请求失败（状态码 ${response.status}）`);
      for (const item of data) {
        if (item.error) done.push({ file: item.file, error: item.error });
        else item.reviews.forEach((review) => done.push({ file: item.file, review }));
      }
    } catch (e) {
      part.forEach((file) => done.push({ file: file.name, error: e.message }));
    }
  }
  done.sort((a, b) => (!!b.error - !!a.error) ||
    (a.error ? 0 : severityCount(b.review, "error") - severityCount(a.review, "error") ||
      a.review.summary.measurability_score - b.review.summary.measurability_score ||
      severityCount(b.review, "warning") - severityCount(a.review, "warning")));
  let html = `<table class="review-summary"><thead><tr><th>#</th><th>申报单位</th><th>项目名称</th><th>指标</th><th>错误</th><th>警告</th><th>提示</th><th>可测量性</th><th>文件</th></tr></thead><tbody>`;
  done.forEach((item, n) => {
    if (item.error) {
      html += `<tr class="sev-error"><td>${n + 1}</td><td colspan="7"><span class="error-box">${esc(item.error)}</span></td><td>${esc(item.file)}</td></tr>`;
      return;
    }
    const r = item.review, s = r.summary;
    html += `<tr class="${severityCount(r, "error") ? "sev-error" : severityCount(r, "warning") ? "sev-warning" : ""}"><td>${n + 1}</td><td>${esc(r.agency || "—")}</td>
      <td><details><summary>${esc(r.project_name || "（项目名称缺失）")}</summary>${renderReview(r)}</details></td>
      <td>${s.indicators}</td><td>${severityCount(r, "error")}</td><td>${severityCount(r, "warning")}</td><td>${severityCount(r, "info")}</td>
      <td>${s.measurability_score}</td><td>${esc(item.file)}</td></tr>`;
  });
  out.innerHTML = html + "</tbody></table>";
}

function renderReview(review) {
  const s = review.summary;
  let html = `<h3>${esc(review.project_name || "（项目名称缺失）")} <small class="note">${esc(review.agency || "")} ${esc(review.year || "")}</small></h3>`;
  html += `<p><span class="score">可测量性 ${s.measurability_score}/100</span> <span class="note">${s.indicators} 个指标，${s.vague} 个目标值无法量化，${s.misfit} 个与指标类型不符${s.framework_label ? "；按" + esc(s.framework_label) + "核对" : ""}${"targets_compared" in s ? `；自评：完成 ${s.targets_met}/${s.targets_compared} 项` : ""}</span></p>`;
  const selfEvaluation = review.rows.some((row) => row.actual);
  html += `<table class="review-table"><thead><tr><th>行</th><th>一级</th><th>二级</th><th>三级指标</th><th>目标值</th>${selfEvaluation ? "<th>实际值</th>" : ""}<th>问题</th><th>建议改为</th></tr></thead><tbody>`;
  for (const row of review.rows) {
    const found = review.findings.filter((f) => f.line === row.line && f.indicator === row.name);
    const worst = found.some((f) => f.severity === "error") ? "error" : found.some((f) => f.severity === "warning") ? "warning" : found.length ? "info" : "";
    const problems = found.map((f) => `<div class="finding ${f.severity}">[${esc(f.label)}] ${esc(f.message)}</div>`).join("");
    const fix = found.find((f) => f.suggestion);
    html += `<tr class="${worst ? "sev-" + worst : ""}"><td>${esc(row.line)}</td><td>${esc(row.level1)}</td><td>${esc(row.level2)}</td>
      <td>${esc(row.name)}</td><td>${esc(row.value || "（空）")}</td>${selfEvaluation ? `<td>${esc(row.actual || "—")}${row.met === false ? " ✗" : ""}</td>` : ""}<td>${problems}</td>
      <td>${fix ? `<span class="fix">${esc(fix.suggestion.raw)}</span><div class="note">${esc(fix.suggestion.basis)}</div>` : ""}</td></tr>`;
  }
  html += "</tbody></table>";
  const form = review.findings.filter((f) => f.indicator === null || f.code === "OTHER");
  if (form.length) {
    html += "<h4>表单层面</h4>" + form.map((f) => `<div class="finding ${f.severity}">${SEVERITY[f.severity]} [${esc(f.label)}] ${esc(f.message)}${f.suggestion ? " → " + esc(f.suggestion.raw) : ""}</div>`).join("");
  }
  return html;
}

// ---- 语料库 ----------------------------------------------------------------------------
async function loadCorpus() {
  const r = await ready();
  if (!r) return;
  const origin = r.corpus.startsWith("bundled") ? "内置样例语料（用户语料库为空）" : "用户语料库";
  $("#corpus-summary").innerHTML = `<p>语料库：${esc(origin)}；${r.declarations} 份申报表，${r.indicators} 个指标；索引：${esc(labelOf("index_kinds", r.index))}（编码器 ${esc(r.encoder)}）</p>`;
  searchLibrary();
  fetch("/report").then((x) => { if (!x.ok) $("#report-link").textContent = "质量报告（尚未生成：运行 zhibiao report）"; });
}

async function searchLibrary(event) {
  if (event) event.preventDefault();
  const form = new FormData($("#library-form"));
  const params = new URLSearchParams({ q: form.get("q") || "", limit: "50" });
  if (form.get("level1")) params.set("level1", form.get("level1"));
  const data = await api(`/v1/indicators?${params}`);
  let html = `<p class="note">共 ${data.total} 个指标</p><table><thead><tr><th>指标</th><th>一级</th><th>二级</th><th>使用次数</th><th>使用单位</th><th>过往取值</th></tr></thead><tbody>`;
  for (const e of data.items) {
    html += `<tr><td>${esc(e.name)}</td><td>${esc(e.level1)}</td><td>${esc(e.level2)}</td><td>${e.frequency}</td>
      <td>${esc(e.agencies.join("、"))}</td><td>${e.observed_values.slice(0, 6).map((v) => `${esc(v.value)}×${v.count}`).join("、")}</td></tr>`;
  }
  $("#library-out").innerHTML = html + "</tbody></table>";
}
$("#library-form").addEventListener("submit", searchLibrary);

ready();
