import { api, ApiError } from "../api.js";
import { amount, fill, h, toast } from "../dom.js";

// 评估报价 (docs/institutions.md): the comparables' range, the comparables themselves by name, and beside them the
// seller's income and replacement-cost methods, never blended. The server decides who sees it (owner, brokers, national).

const comparableKinds = { contract: "技术合同", auction: "拍卖成交", fixedPrice: "挂牌成交", tender: "招标中标" };
const methodNames = { income: "收益法", replacementCost: "成本法（重置成本）" };
const range = (low, high) => `${Number(low).toLocaleString("zh-CN")}–${Number(high).toLocaleString("zh-CN")} 万元`;

function comparableLink(c) {
  if (!c.ref) return `金额未公开的${comparableKinds[c.kind]}`;
  const href = c.kind === "contract" ? `#/contracts/${c.ref}`
    : c.kind === "auction" ? `#/auctions/${c.ref}` : c.kind === "fixedPrice" ? `#/fixed-price-listings/${c.ref}` : `#/tenders/${c.ref}`;
  return h("a", { href }, c.title ?? comparableKinds[c.kind]);
}

function comparableCard(c, names) {
  return h("li", { class: "card" },
    h("div", { class: "title" }, h("span", { class: "tag" }, comparableKinds[c.kind] ?? c.kind), " ", comparableLink(c)),
    h("div", { class: "meta" },
      h("span", {}, c.amount === null ? "金额未公开（计入区间）" : amount(c.amount)),
      h("span", {}, `相似度 ${Math.round(c.similarity * 100)}%`),
      h("span", {}, `权重 ${c.weight}`),
      h("span", {}, c.date),
      c.regionCode ? h("span", {}, names?.[c.regionCode] ?? "") : null));
}

/** The guidance's summary: the range (or 样本不足) and the methods side by side. */
function summary(v) {
  return [
    h("div", { class: "valuation-grid" },
      h("div", { class: "valuation-box", id: "valuation-range" },
        h("h3", {}, "可比交易区间"),
        v.low === null ? h("p", { class: "valuation-figure muted" }, "样本不足")
          : [h("p", { class: "valuation-figure" }, range(v.low, v.high)), h("p", { class: "muted" }, `中位 ${amount(v.mid)}（加权四分位数）`)]),
      ["income", "replacementCost"].map((name) => {
        const m = v.methods.find((x) => x.name === name);
        return h("div", { class: "valuation-box", dataset: { method: name } },
          h("h3", {}, methodNames[name]),
          m ? h("p", { class: "valuation-figure" }, range(m.low, m.high)) : h("p", { class: "muted" }, "卖方未填报参数"));
      })),
    h("p", { class: "muted", id: "valuation-note" }, v.note),
  ];
}

/** The seller's inputs: two fieldsets; a fieldset left blank clears that method. */
function inputsForm(id, v, reload) {
  const i = v.inputs?.income ?? {};
  const r = v.inputs?.replacementCost ?? {};
  const field = (group, name, label, value, hint) => {
    const input = h("input", { id: `v-${group}-${name}`, name: `${group}.${name}`, type: "number", step: "any", inputmode: "decimal", value: value ?? "" });
    const error = h("p", { class: "error", id: `err-v-${group}-${name}`, "aria-live": "polite" });
    input.setAttribute("aria-describedby", error.id);
    return h("div", { class: "field", dataset: { field: `${group}.${name}` } },
      h("label", { for: input.id }, label), input, hint ? h("small", { class: "muted" }, hint) : null, error);
  };
  const summaryBox = h("div", { class: "error-summary", role: "alert", tabindex: -1, hidden: true });
  const form = h("form", { class: "valuation-form", novalidate: true, "aria-label": "评估参数" },
    summaryBox,
    h("fieldset", {}, h("legend", {}, "收益法：年收益 × 分成率 × 年限，折现"),
      field("income", "annualBenefit", "预期年新增收益（万元）", i.annualBenefit, "受让方实施后每年新增的利润"),
      field("income", "shareMin", "分成率下限（%）", i.shareMin),
      field("income", "shareMax", "分成率上限（%）", i.shareMax),
      field("income", "years", "收益年限（年）", i.years, "1–30 年"),
      field("income", "discountRate", "折现率（%）", i.discountRate, "0–50")),
    h("fieldset", {}, h("legend", {}, "成本法：研发成本 ×（1 + 利润率）× 成新率"),
      field("replacementCost", "rdCost", "重置研发成本（万元）", r.rdCost),
      field("replacementCost", "profitRate", "合理利润率（%）", r.profitRate),
      field("replacementCost", "usedYears", "已使用年限（年）", r.usedYears),
      field("replacementCost", "remainingYears", "剩余经济寿命（年）", r.remainingYears)),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "保存评估参数")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const group = (name, keys) => {
      const values = Object.fromEntries(keys.map((k) => [k, form.elements[`${name}.${k}`].value.trim()]));
      return Object.values(values).every((x) => x === "") ? null
        : Object.fromEntries(Object.entries(values).map(([k, x]) => [k, x === "" ? null : Number(x)]));
    };
    const body = {
      income: group("income", ["annualBenefit", "shareMin", "shareMax", "years", "discountRate"]),
      replacementCost: group("replacementCost", ["rdCost", "profitRate", "usedYears", "remainingYears"]),
    };
    form.querySelectorAll(".error").forEach((el) => (el.textContent = ""));
    form.querySelectorAll(".invalid").forEach((el) => el.classList.remove("invalid"));
    summaryBox.hidden = true;
    try {
      await api(`/api/achievements/${id}/valuation-inputs`, { method: "PUT", body });
      toast("评估参数已保存");
      await reload();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const byField = err.fieldErrors;
      for (const [name, messages] of Object.entries(byField)) {
        const box = form.querySelector(`[data-field="${name}"]`);
        if (!box) continue;
        box.classList.add("invalid");
        box.querySelector(".error").textContent = messages.join("；");
      }
      fill(summaryBox, err.problem.detailZh ?? err.message);
      summaryBox.hidden = false;
      summaryBox.focus();
    }
  });
  return form;
}

/** 评估报价 panel of an achievement (with the seller's form when the viewer may give inputs) or of a demand's budget. */
export function valuationPanel(path, id) {
  const body = h("div", { "aria-live": "polite" }, h("p", { class: "muted" }, "正在计算评估报价…"));
  const section = h("section", { class: "panel valuation", id: "valuation", "aria-labelledby": "valuation-title" },
    h("h2", { id: "valuation-title" }, path === "achievements" ? "评估报价" : "预算参考"), body);
  const load = async () => {
    let v;
    try {
      v = await api(`/api/${path}/${id}/valuation`);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return section.remove();
      fill(body, h("p", { class: "error" }, e.message));
      return;
    }
    fill(body,
      summary(v),
      h("h3", {}, `可比交易（${v.sampleSize} 笔${v.comparables.length < v.sampleSize ? `，列出权重最高的 ${v.comparables.length} 笔` : ""}）`),
      v.comparables.length ? h("ul", { class: "cards", id: "comparables" }, v.comparables.map((c) => comparableCard(c, v.names)))
        : h("p", { class: "muted" }, "网络上暂无相似的已登记合同或已成交交易。"),
      v.mayEditInputs ? [h("h3", {}, "卖方评估参数（仅本机构、技术经纪人和国家级管理员可见）"), inputsForm(id, v, load)] : null,
      h("p", { class: "muted" }, "评估报价仅供参考，计算方法见说明文档；成交价格由双方协商确定。"));
  };
  load();
  return section;
}

/**
 * A line for the trade-creation form: the suggested prices from the guidance — each [input, "low" | "mid", label] —
 * and a button that fills them in (the seller still decides; nothing is sent).
 */
export function priceSuggestion(achievementId, fills) {
  const line = h("p", { class: "hint", id: "price-suggestion" }, "正在获取评估参考…");
  api(`/api/achievements/${achievementId}/valuation`).then((v) => {
    const suggested = v.low === null ? [] : fills.map(([input, quartile, label]) => [input, v[quartile], label]);
    fill(line,
      v.low === null ? `评估参考：${v.note}`
        : `评估参考：可比交易区间 ${range(v.low, v.high)}；建议${suggested.map(([, value, label]) => `${label} ${amount(value)}`).join("，")}。`,
      v.methods.map((m) => `　${methodNames[m.name]} ${range(m.low, m.high)}`).join(""),
      suggested.length ? [" ", h("button", { type: "button", id: "use-suggestion", onclick: () => {
        for (const [input, value] of suggested) input.value = value;
        suggested[0][0].focus();
      } }, "采用建议价")] : null,
      " ", h("a", { href: `#/achievements/${achievementId}` }, "查看评估报价"));
  }, () => line.remove());
  return line;
}
