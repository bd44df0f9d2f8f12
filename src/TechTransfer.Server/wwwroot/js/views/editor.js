import { api, ApiError } from "../api.js";
import { clearError, fill, h, showErrors, toast } from "../dom.js";
import { ipRightKinds, provinces, techFields, transferModes } from "../labels.js";
import { publishing } from "../live.js";
import { may, session } from "../session.js";
import { options } from "./common.js";
import { showCompleteness } from "./completeness.js";

const trls = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => [n, `TRL ${n}`]));

/**
 * Create or edit an achievement or a demand. The server is the one judge of validity: its problem details
 * name each field, and the message appears under that field (aria-describedby), with a summary on top.
 */
export async function editor({ view, match }) {
  const [, path, id] = match;
  const isAchievement = path === "achievements";
  const me = session.me;
  if (!me) {
    location.hash = `#/login?next=${encodeURIComponent(location.hash)}`;
    return;
  }
  if (!(isAchievement ? may.postAchievements(me) : may.postDemands(me))) {
    fill(view, h("h1", { tabindex: -1 }, "无权发布"), h("p", {}, isAchievement ? "只有高校、院所和企业可以发布科技成果。" : "只有企业可以发布技术需求。"));
    return;
  }
  const existing = id ? await api(`/api/${path}/${id}`) : null;
  const v = existing ?? {};
  const what = isAchievement ? "科技成果" : "技术需求";

  const errorBox = (name) => h("p", { class: "error", id: `err-${name.replace(/\W/g, "-")}`, "aria-live": "polite" });
  const control = (name, labelText, input, hint) => {
    input.name ??= name;
    input.id = `f-${name.replace(/\W/g, "-")}`;
    const error = errorBox(name);
    input.setAttribute("aria-describedby", error.id);
    return h("div", { class: "field", dataset: { field: name } },
      h("span", { class: "label-row" }, h("label", { for: input.id }, labelText), input.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
      input, hint ? h("small", { class: "muted" }, hint) : null, error);
  };
  const text = (name, value, props = {}) => h("input", { name, value: value ?? "", ...props });
  const number = (name, value, props = {}) => h("input", { name, type: "number", step: "any", min: 0, value: value ?? "", ...props });
  const select = (name, map, value, empty, props = {}) => h("select", { name, ...props }, options(map, value, empty));

  const ipRows = h("div", { class: "rows" });
  const addIpRow = (right = {}) => {
    const row = h("div", { class: "row" },
      h("select", { "aria-label": "知识产权类型", dataset: { part: "kind" } }, options(ipRightKinds, right.kind)),
      h("input", { "aria-label": "知识产权编号", dataset: { part: "number" }, value: right.number ?? "", placeholder: "如 ZL202310000001.X", maxlength: 64 }),
      h("button", { type: "button", class: "link", onclick: () => row.remove() }, "删除"));
    ipRows.append(row);
  };
  (v.ipRights ?? []).forEach(addIpRow);

  const contact = v.contact ?? {};
  const fields = isAchievement
    ? [
      control("title", "成果名称", text("title", v.title, { required: true, maxlength: 200 })),
      control("summary", "成果简介", h("textarea", { name: "summary", rows: 6, required: true, maxlength: 5000 }, v.summary ?? "")),
      control("keywords", "关键词", text("keywords", (v.keywords ?? []).join("，")), "多个关键词用逗号或顿号分隔，最多 20 个"),
      control("techField", "技术领域", select("techField", techFields, v.techField, "请选择", { required: true })),
      control("trl", "技术成熟度", select("trl", trls, v.trl, "请选择", { required: true })),
      h("fieldset", { class: "field", dataset: { field: "transferModes" }, "aria-describedby": "err-transferModes" },
        h("legend", {}, "转化方式"),
        Object.entries(transferModes).map(([code, name]) =>
          h("label", { class: "check" }, h("input", { type: "checkbox", name: "transferModes", value: code, checked: (v.transferModes ?? []).includes(code) }), name)),
        errorBox("transferModes")),
      control("askingPrice", "挂牌价（万元）", number("askingPrice", v.askingPrice), "留空表示面议"),
      control("province", "所在省份", select("province", Object.fromEntries(provinces.map((p) => [p, p])), v.province, "请选择", { required: true })),
      h("fieldset", { class: "field", dataset: { field: "ipRights" } },
        h("legend", {}, "知识产权"), ipRows,
        h("button", { type: "button", class: "link", onclick: () => addIpRow() }, "＋ 添加知识产权"), errorBox("ipRights")),
    ]
    : [
      control("title", "需求名称", text("title", v.title, { required: true, maxlength: 200 })),
      control("description", "需求描述", h("textarea", { name: "description", rows: 6, required: true, maxlength: 5000 }, v.description ?? "")),
      control("keywords", "关键词", text("keywords", (v.keywords ?? []).join("，")), "多个关键词用逗号或顿号分隔，最多 20 个"),
      control("techField", "技术领域", select("techField", techFields, v.techField, "请选择", { required: true })),
      control("minTrl", "最低技术成熟度", select("minTrl", trls, v.minTrl ?? 1)),
      control("budgetMin", "预算下限（万元）", number("budgetMin", v.budgetMin)),
      control("budgetMax", "预算上限（万元）", number("budgetMax", v.budgetMax), "留空表示面议"),
      control("province", "所在省份", select("province", Object.fromEntries(provinces.map((p) => [p, p])), v.province, "请选择", { required: true })),
      control("deadline", "截止日期", text("deadline", v.deadline, { type: "date", required: true })),
    ];
  fields.push(h("fieldset", { class: "group" }, h("legend", {}, "联系方式（仅本机构及双方均有意向后可见）"),
    control("contact.name", "联系人", text("contact.name", contact.name, { required: true, maxlength: 50, autocomplete: "name" })),
    control("contact.phone", "联系电话", text("contact.phone", contact.phone, { type: "tel", autocomplete: "tel" }), "电话与邮箱至少填一项"),
    control("contact.email", "电子邮箱", text("contact.email", contact.email, { type: "email", autocomplete: "email" }))));

  // 科技成果评价 at entry: what a buyer still needs to know, asked of the server as the form is filled in.
  const completeness = isAchievement ? h("section", { class: "completeness", id: "completeness", "aria-live": "polite", "aria-labelledby": "completeness-title" }) : null;
  if (completeness) fields.push(completeness);

  const summary = h("div", { class: "error-summary", role: "alert", tabindex: -1, hidden: true });
  const form = h("form", { class: "panel editor", novalidate: true }, summary, fields,
    h("div", { class: "actions" },
      h("button", { type: "submit", name: "save", value: "draft" }, existing ? "保存修改" : "保存草稿"),
      !existing || existing.status === "Draft" ? h("button", { type: "submit", name: "save", value: "publish", class: "primary" }, "保存并发布") : null,
      h("a", { href: existing ? `#/${path}/${id}` : "#/mine" }, "取消")));
  form.addEventListener("input", (e) => clearError(e.target.closest("[data-field]")));
  if (completeness) {
    let timer = null;
    const refresh = async () => {
      try {
        showCompleteness(completeness, await api("/api/achievements/completeness", { method: "POST", body: read(form, true, ipRows) }));
      } catch {
        // A prompt that could not be fetched is no reason to stop someone filling in the form.
      }
    };
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    };
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    ipRows.addEventListener("click", soon);
    form.querySelector("[data-field=ipRights] > button")?.addEventListener("click", soon);
    refresh();
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const publish = e.submitter?.value === "publish";
    const body = read(form, isAchievement, ipRows);
    showErrors(form, summary, {});
    for (const b of form.querySelectorAll("button")) b.disabled = true;
    try {
      let target = id;
      if (existing) await api(`/api/${path}/${id}`, { method: "PUT", body, version: existing.version });
      else target = (await api(`/api/${path}`, { method: "POST", body })).id;
      if (publish) publishing(target);
      const published = publish ? await api(`/api/${path}/${target}/publish`, { method: "POST" }) : null;
      toast(publish ? `${what}已发布。${published.matching?.zh ?? ""}` : "已保存");
      location.hash = `#/${path}/${target}`;
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors) showErrors(form, summary, err.fieldErrors);
      else showErrors(form, summary, {}, err.message);
    } finally {
      for (const b of form.querySelectorAll("button")) b.disabled = false;
    }
  });

  fill(view, h("h1", { tabindex: -1 }, existing ? `编辑${what}` : `发布${what}`), form);
}

const list = (value) => (value ?? "").split(/[,，、;；\n]+/).map((s) => s.trim()).filter(Boolean);
const num = (value) => (value === "" || value === null ? null : Number(value));
const opt = (value) => (value === "" ? null : value);

function read(form, isAchievement, ipRows) {
  const f = form.elements;
  const contact = { name: opt(f["contact.name"].value), phone: opt(f["contact.phone"].value), email: opt(f["contact.email"].value) };
  if (isAchievement) {
    return {
      title: f.title.value, summary: f.summary.value, keywords: list(f.keywords.value), techField: opt(f.techField.value),
      trl: num(f.trl.value), transferModes: [...form.querySelectorAll("input[name=transferModes]:checked")].map((c) => c.value),
      askingPrice: num(f.askingPrice.value), province: opt(f.province.value),
      ipRights: [...ipRows.children].map((row) => ({ kind: row.querySelector("[data-part=kind]").value, number: row.querySelector("[data-part=number]").value })),
      contact,
    };
  }
  return {
    title: f.title.value, description: f.description.value, keywords: list(f.keywords.value), techField: opt(f.techField.value),
    minTrl: num(f.minTrl.value), budgetMin: num(f.budgetMin.value), budgetMax: num(f.budgetMax.value), province: opt(f.province.value),
    deadline: opt(f.deadline.value), contact,
  };
}

