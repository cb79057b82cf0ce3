// zhibiao web page: three tabs over the /v1 API. No external scripts.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
// the order of first levels in a shown table: level1_order of GET /v1/vocab/labels (corpus/framework.py)
const levelOrder = (level1) => Number((LABELS.level1_order || {})[level1] ?? 9);
// Chinese labels for every code in the answers, from GET /v1/vocab/labels (one data file shared
// with the CLI); the built-in copy below only covers the seconds before it arrives.
let LABELS = { origins: { corpus: "过往项目", description: "项目描述", library: "内置指标库", framework: "框架补全", composed: "按项目组合" } };
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
let lastDraft = null;
$("#recommend-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const out = $("#recommend-out");
  out.innerHTML = '<p class="note">正在推荐…</p>';
  try {
    const body = { project_name: form.get("project_name"), description: form.get("description") || "" };
    if (form.get("agency")) body.agency = form.get("agency");
    const result = await api("/v1/recommendations", { method: "POST", body: JSON.stringify(body) });
    lastDraft = { project_name: body.project_name, agency: body.agency || null, annual_goal: body.description || null };
    out.innerHTML = renderRecommendation(result);
    $("#copy-table").addEventListener("click", copyTable);
    out.querySelectorAll("[data-form-format]").forEach((b) => b.addEventListener("click", () => downloadForm(b.dataset.formFormat)));
    out.querySelectorAll(".drop-row").forEach((b) => b.addEventListener("click", () => b.closest("tr").remove()));
  } catch (e) {
    out.innerHTML = `<p class="error-box">${esc(e.message)}</p>`;
  }
});

function renderRecommendation(result) {
  const rows = [...result.indicators].sort((a, b) =>
    levelOrder(a.level1) - levelOrder(b.level1) || String(a.level2).localeCompare(String(b.level2)) || b.score - a.score);
  const similar = result.similar_projects.slice(0, 5).map((p) => esc(p.project_name || p.id));
  let html = `<p class="note">${similar.length ? "相似项目：" + similar.join("；") : "语料库中没有相近的过往项目"}</p>`;
  html += `<p class="note">三级指标和建议目标值可直接修改（点击单元格）；修改后的表格用于复制和下载。</p>`;
  html += `<div class="downloads"><button class="copy" id="copy-table" type="button">复制表格（可粘贴到电子表格）</button>
    <button type="button" data-form-format="xlsx" id="download-form-xlsx">下载申报表（.xlsx）</button>
    <button type="button" data-form-format="docx" id="download-form-docx">下载申报表（.docx）</button></div>`;
  html += '<table id="recommend-table"><thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>建议目标值</th><th>来源与依据</th><th></th></tr></thead><tbody>';
  let group = "";
  for (const r of rows) {
    if (r.level1 !== group) { group = r.level1; html += `<tr class="group"><td colspan="6">${esc(group || "未分类")}</td></tr>`; }
    const sources = r.sources.map((s) => `${esc(s.project_name || s.declaration_id)}：${esc(s.name)}（${esc(s.target_raw || "空")}）`).join("<br>");
    const observed = (r.observed_values || []).map((v) => `${esc(v.value)}×${v.count}`).join("、");
    html += `<tr class="draft-row"><td class="l1">${esc(r.level1)}</td><td class="l2">${esc(r.level2)}</td><td class="name" contenteditable="true">${esc(r.name)}</td><td class="value" contenteditable="true">${esc(r.target.raw)}</td>
      <td><span class="origin ${esc(r.origin)}">${esc(labelOf("origins", r.origin))}</span>
      <details><summary>依据</summary><div class="note">${esc(r.basis)}</div>
      ${observed ? `<div class="note">过往取值：${observed}</div>` : ""}${sources ? `<div class="note">${sources}</div>` : ""}</details></td>
      <td><button type="button" class="link drop-row" title="删除这一行">删除</button></td></tr>`;
  }
  html += "</tbody></table>";
  if (result.coverage.missing.length) html += `<p class="error-box">仍缺少：${esc(result.coverage.missing.join("、"))}</p>`;
  return html;
}

// The table as the officer left it: edited names and values, deleted rows gone.
function draftRows() {
  return [...document.querySelectorAll("#recommend-table tr.draft-row")].map((tr) => ({
    level1: $(".l1", tr).textContent.trim() || null, level2: $(".l2", tr).textContent.trim() || null,
    name: $(".name", tr).textContent.trim(), value: $(".value", tr).textContent.trim() })).filter((r) => r.name);
}

// POST a JSON body, save the file the server answers under the name it gives.
async function download(path, body, fallbackName) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    throw new Error(data.error ? data.error.message : `请求失败（状态码 ${response.status}）`);
  }
  const disposition = response.headers.get("content-disposition") || "";
  const found = disposition.match(/filename\*=UTF-8''([^;]+)/);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = found ? decodeURIComponent(found[1]) : fallbackName;
  document.body.appendChild(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

async function downloadForm(format) {
  try {
    await download(`/v1/exports/form?format=${format}`, { ...lastDraft, rows: draftRows() }, `绩效目标申报表.${format}`);
  } catch (e) {
    $("#recommend-out").insertAdjacentHTML("afterbegin", `<p class="error-box">${esc(e.message)}</p>`);
  }
}

async function copyTable() {
  const rows = draftRows().map((r) => [r.level1 || "", r.level2 || "", r.name, r.value]);
  const text = [["一级指标", "二级指标", "三级指标", "指标值"], ...rows].map((r) => r.join("\t")).join("\n");
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
    lastReviews = reviews.map((review) => ({ file: "粘贴的文本", review }));
    out.innerHTML = memoButtons() + reviews.map(renderReview).join("");
    bindMemoButtons(out);
  } catch (e) {
    out.innerHTML = `<p class="error-box">${esc(e.message)}</p>`;
  }
});

const severityCount = (review, severity) => (review.summary.by_severity || {})[severity] || 0;
let lastReviews = [];
const memoButtons = () => `<div class="downloads"><button type="button" data-memo-format="xlsx" id="download-memo-xlsx">下载审核意见（.xlsx）</button>
  <button type="button" data-memo-format="docx" id="download-memo-docx">下载审核意见（.docx）</button></div>`;
function bindMemoButtons(out) {
  out.querySelectorAll("[data-memo-format]").forEach((b) => b.addEventListener("click", async () => {
    try { await download(`/v1/exports/review?format=${b.dataset.memoFormat}`, { forms: lastReviews }, `审核意见.${b.dataset.memoFormat}`); }
    catch (e) { out.insertAdjacentHTML("afterbegin", `<p class="error-box">${esc(e.message)}</p>`); }
  }));
}

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
    // the memo opens in a row of its own, the table's full width (inside a cell it was one character wide)
    html += `<tr class="${severityCount(r, "error") ? "sev-error" : severityCount(r, "warning") ? "sev-warning" : ""}"><td>${n + 1}</td><td>${esc(r.agency || "—")}</td>
      <td><button type="button" class="link open-memo">${esc(r.project_name || "（项目名称缺失）")}</button></td>
      <td>${s.indicators}</td><td>${severityCount(r, "error")}</td><td>${severityCount(r, "warning")}</td><td>${severityCount(r, "info")}</td>
      <td>${s.measurability_score}</td><td>${esc(item.file)}</td></tr>
      <tr class="memo" hidden><td colspan="9">${renderReview(r)}</td></tr>`;
  });
  lastReviews = done.filter((item) => !item.error).map((item) => ({ file: item.file, review: item.review }));
  out.innerHTML = (lastReviews.length ? memoButtons() : "") + html + "</tbody></table>";
  bindMemoButtons(out);
  out.querySelectorAll(".open-memo").forEach((b) => b.addEventListener("click", () => {
    const memo = b.closest("tr").nextElementSibling; memo.hidden = !memo.hidden; }));
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
  showFigures(r);
  showAdmin();
  searchLibrary();
  fetch("/report").then((x) => { if (!x.ok) $("#report-link").textContent = "质量报告（尚未生成：运行 zhibiao report）"; });
}

function showFigures(r) {
  const origin = r.corpus.startsWith("bundled") ? "内置样例语料（用户语料库为空）" : "用户语料库";
  $("#corpus-summary").innerHTML = `<p id="corpus-figures">语料库：${esc(origin)}；<b id="corpus-count">${r.declarations}</b> 份申报表，${r.indicators} 个指标；索引：${esc(labelOf("index_kinds", r.index))}（编码器 ${esc(r.encoder)}）${r.rebuilding ? "；索引正在更新…" : ""}</p>`;
}

// Both sources, each under its own heading: the national library (built in) and the corpus.
async function searchLibrary(event) {
  if (event) event.preventDefault();
  const form = new FormData($("#library-form"));
  const params = new URLSearchParams({ q: form.get("q") || "", limit: "50" });
  if (form.get("level1")) params.set("level1", form.get("level1"));
  const [national, corpus] = await Promise.all([api(`/v1/library?${params}`), api(`/v1/indicators?${params}`)]);
  let html = `<h4 class="source" id="library-national">国家指标库：共 ${national.total} 个指标${national.total > national.items.length ? `（显示前 ${national.items.length} 个）` : ""}</h4>`;
  html += `<table><thead><tr><th>指标</th><th>一级</th><th>二级</th><th>常用值</th><th>项目类型</th><th>依据</th></tr></thead><tbody>`;
  for (const e of national.items) {
    html += `<tr><td>${esc(e.name)}</td><td>${esc(e.level1)}</td><td>${esc(e.level2)}</td><td>${esc(e.typical)}</td><td>${esc(e.kind)}（${esc(e.sector)}）</td><td>${esc(e.basis)}</td></tr>`;
  }
  html += "</tbody></table>";
  html += `<h4 class="source" id="library-corpus">语料库：共 ${corpus.total} 个指标${corpus.total > corpus.items.length ? `（显示前 ${corpus.items.length} 个）` : ""}</h4>`;
  html += `<table><thead><tr><th>指标</th><th>一级</th><th>二级</th><th>使用次数</th><th>使用单位</th><th>过往取值</th></tr></thead><tbody>`;
  for (const e of corpus.items) {
    html += `<tr><td>${esc(e.name)}</td><td>${esc(e.level1)}</td><td>${esc(e.level2)}</td><td>${e.frequency}</td>
      <td>${esc(e.agencies.join("、"))}</td><td>${e.observed_values.slice(0, 6).map((v) => `${esc(v.value)}×${v.count}`).join("、")}</td></tr>`;
  }
  $("#library-out").innerHTML = html + "</tbody></table>";
}

// ---- 管理员：登录、上传入库、删除 ------------------------------------------------------------
// The token lives in sessionStorage only (gone when the browser session ends), never in this file.
const TOKEN_KEY = "zhibiao-admin-token";
const adminToken = () => sessionStorage.getItem(TOKEN_KEY);
const adminHeaders = () => ({ Authorization: `Bearer ${adminToken()}` });

async function adminApi(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...(options.headers || {}), ...adminHeaders() } });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error ? data.error.message : `请求失败（状态码 ${response.status}）`);
  return data;
}

function showAdmin() {
  const signedIn = !!adminToken();
  $("#admin-signed-out").hidden = signedIn;
  $("#admin-signed-in").hidden = !signedIn;
  if (signedIn) listFiles();
}

$("#admin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = new FormData(event.target).get("token").trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    await adminApi("/v1/files?limit=1");
    event.target.reset();
    $("#admin-message").textContent = "";
    showAdmin();
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    $("#admin-message").textContent = `登录失败：${e.message}`;
  }
});
$("#admin-sign-out").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); showAdmin(); });

async function listFiles() {
  try {
    const data = await adminApi("/v1/files?limit=100");
    let html = `<h4 class="source">已入库的文件：共 ${data.total} 个</h4>`;
    if (data.items.length) {
      html += `<table id="archive-table"><thead><tr><th>文件</th><th>申报表数</th><th>入库时间</th><th></th></tr></thead><tbody>`;
      for (const f of data.items) {
        html += `<tr><td>${esc(f.name)}</td><td>${f.declarations}</td><td>${esc(f.ingested_at.replace("T", " ").slice(0, 19))}</td>
          <td><button type="button" class="link remove-file" data-path="${esc(f.path)}">删除</button></td></tr>`;
      }
      html += "</tbody></table>";
    }
    $("#archive-files-out").innerHTML = html;
    document.querySelectorAll(".remove-file").forEach((b) => b.addEventListener("click", () => removeFile(b.dataset.path, b)));
  } catch (e) {
    $("#archive-files-out").innerHTML = `<p class="error-box">${esc(e.message)}</p>`;
  }
}

async function removeFile(path, button) {
  if (!confirm("从语料库删除这个文件及其申报表？")) return;
  button.disabled = true;
  try {
    const r = await adminApi(`/v1/files?${new URLSearchParams({ path })}`, { method: "DELETE" });
    $("#archive-progress").innerHTML = `<p class="note">已删除 ${r.removed_declarations} 份申报表；正在更新索引…</p>`;
    await waitForIndex(null);
    listFiles();
  } catch (e) {
    $("#archive-progress").innerHTML = `<p class="error-box">${esc(e.message)}</p>`;
  }
}

const seconds = (s) => s >= 90 ? `${Math.round(s / 60)} 分钟` : `${Math.max(0, Math.round(s))} 秒`;

$("#archive-upload").addEventListener("click", async () => {
  const files = [...$("#archive-files").files];
  const out = $("#archive-progress");
  if (!files.length) { out.innerHTML = '<p class="error-box">请先选择文件（文件夹请压缩为 .zip）</p>'; return; }
  const before = (await api("/readyz")).declarations;
  const body = new FormData();
  files.forEach((file) => body.append("files", file, file.name));
  out.innerHTML = '<p class="note">正在上传…</p>';
  try {
    const job = await adminApi("/v1/declarations", { method: "POST", body });
    const started = Date.now();
    let state = job;
    while (state.state !== "done") {
      const elapsed = (Date.now() - started) / 1000;
      const rate = state.done / Math.max(elapsed, 0.001);
      const eta = state.done ? (state.total - state.done) / rate : null;
      out.innerHTML = `<div class="bar"><div style="width:${Math.round(100 * state.done / Math.max(state.total, 1))}%"></div></div>
        <p class="note" id="job-progress">导入任务${esc(state.state_label)}：已处理 ${state.done}/${state.total} 个文件；速度 ${rate.toFixed(2)} 个/秒；${eta === null ? "正在估算剩余时间" : "预计还需 " + seconds(eta)}</p>`;
      await new Promise((resolve) => setTimeout(resolve, 500));
      state = await adminApi(state.url);
    }
    const took = (Date.now() - started) / 1000;
    const outcomes = state.files.map((f) => `<li>${esc(f.file)}：${esc(f.status_label)}${f.declarations ? `，${f.declarations} 份申报表` : ""}${f.reason ? "（" + esc(f.reason) + "）" : ""}</li>`).join("");
    out.innerHTML = `<p class="note" id="job-done">导入完成：${state.total} 个文件，用时 ${seconds(took)}；${state.changed ? "正在更新索引…" : "语料库没有变化"}</p><ul>${outcomes}</ul>`;
    if (state.changed) {
      const r = await waitForIndex(before);
      out.insertAdjacentHTML("beforeend", `<p class="note" id="corpus-grown">索引已更新：语料库现有 ${r.declarations} 份申报表（${r.declarations >= before ? "新增 " + (r.declarations - before) : "减少 " + (before - r.declarations)} 份），${r.indicators} 个指标</p>`);
    }
    listFiles();
  } catch (e) {
    out.innerHTML = `<p class="error-box">${esc(e.message)}</p>`;
  }
});

// Wait until the rebuilt index is swapped in (the count moved, or no rebuild is running any more).
async function waitForIndex(before) {
  for (let n = 0; n < 600; n++) {
    const r = await api("/readyz").catch(() => null);
    if (r && r.ready && !r.rebuilding && (before === null || r.declarations !== before || n > 20)) {
      showFigures(r); ready(); return r;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return api("/readyz");
}
$("#library-form").addEventListener("submit", searchLibrary);

// the chosen files' names beside our 选择文件 button
document.querySelectorAll(".file-names").forEach((span) => $("#" + span.dataset.for).addEventListener("change", (event) => {
  const names = [...event.target.files].map((f) => f.name);
  span.textContent = names.length ? `已选择：${names.slice(0, 5).join("、")}${names.length > 5 ? ` 等 ${names.length} 个文件` : ""}` : "未选择文件";
}));

ready();
