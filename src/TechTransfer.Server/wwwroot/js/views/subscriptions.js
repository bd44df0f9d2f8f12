import { api, ApiError } from "../api.js";
import { amount, confirmAction, fill, h, time, toast } from "../dom.js";
import { kinds, label, techFields } from "../labels.js";
import { field, pager, pathOf } from "./common.js";

/** The criteria of a subscription in words (关键词「…」 · 科技成果 · 新能源 · …), and the search that shows them now. */
function criteriaText(c, regionNames) {
  return [`关键词「${c.q}」`, c.kind ? kinds[c.kind] : "成果与需求", c.field ? label(techFields, c.field) : null,
    c.region ? label(regionNames, c.region) : null, c.province, c.trlMin ? `TRL ≥ ${c.trlMin}` : null,
    c.priceMax !== null && c.priceMax !== undefined ? `价格不超过 ${amount(c.priceMax)}` : null].filter(Boolean).join(" · ");
}

function searchHref(c) {
  const q = new URLSearchParams();
  for (const key of ["q", "kind", "field", "province", "region", "trlMin", "priceMax"]) if (c[key] !== null && c[key] !== undefined) q.set(key, String(c[key]));
  return `#/search?${q}`;
}

function resultItem(r, className = null) {
  return h("li", { class: className },
    h("span", { class: `tag${r.kind === "demand" ? " demand" : ""}` }, r.kind === "demand" ? "需求" : "成果"), " ",
    h("a", { href: `#/${pathOf(r.kind)}/${r.listingId}` }, r.title), " ",
    h("span", { class: "muted small" }, `${label(techFields, r.techField)} · ${r.province} · `, h("time", { datetime: r.foundAt }, time(r.foundAt))));
}

async function regionNamesOf() {
  const regions = await api("/api/regions");
  return Object.fromEntries(regions.map((r) => [r.code, r.shortName]));
}

/**
 * 我的订阅: the saved searches of this account, newest first, each with what it found lately; a newly published
 * listing one of them finds arrives as a notice (通知中心, live). Deleting asks first.
 */
export async function subscriptions({ view, params, me }) {
  if (!me) {
    location.hash = "#/login?next=%23%2Fsubscriptions";
    return;
  }
  const page = Number(params.get("page") || 1);
  const [result, regionNames] = await Promise.all([api(`/api/subscriptions?page=${page}&size=10`), regionNamesOf()]);

  const card = (s) => {
    const li = h("li", { class: "card subscription", dataset: { id: s.id } },
      h("h2", { class: "title" }, s.name),
      h("p", { class: "meta" }, h("span", {}, criteriaText(s.criteria, regionNames)),
        h("span", { class: "muted" }, "订阅于 ", h("time", { datetime: s.createdAt }, time(s.createdAt)))),
      h("h3", { class: "small" }, `最近结果（共 ${s.found} 条）`),
      s.recent.length ? h("ul", { class: "results" }, s.recent.map(resultItem))
        : h("p", { class: "muted small" }, "暂无结果：有新发布的成果或需求符合条件时，会通知您并列在这里。"),
      h("div", { class: "actions" },
        s.found > s.recent.length ? h("a", { href: `#/subscriptions/${s.id}` }, "全部结果 ›") : null,
        h("a", { href: searchHref(s.criteria) }, "按此条件搜索"),
        h("button", { type: "button", onclick: () => remove(s, li) }, "删除")));
    return li;
  };

  async function remove(s, li) {
    const ok = await confirmAction({ title: "删除订阅", lines: [`「${s.name}」：${criteriaText(s.criteria, regionNames)}`, "删除后不再收到符合条件的新发布通知，已有的结果列表一并删除，无法恢复。"], confirm: "删除订阅" });
    if (!ok) return;
    try {
      await api(`/api/subscriptions/${s.id}`, { method: "DELETE" });
      li.remove();
      toast(`已删除订阅「${s.name}」`);
      if (list.querySelector("li.subscription")) return;
      if (page > 1) location.hash = `#/subscriptions?page=${page - 1}`;
      else list.replaceWith(empty);
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), "error");
    }
  }

  const empty = h("p", { class: "muted", id: "no-subscriptions" }, "还没有订阅。");
  const list = h("ol", { class: "cards", id: "subscriptions" }, result.items.map(card));
  fill(view,
    h("h1", { tabindex: -1 }, "我的订阅"),
    h("p", { class: "lead" }, "在", h("a", { href: "#/search" }, "搜索"), "页设置好条件后点击「保存为订阅」。有新发布的成果或需求符合订阅条件时，会实时通知您（见",
      h("a", { href: "#/notifications" }, "通知中心"), "）。每个账号最多 20 个订阅。"),
    result.items.length ? list : empty,
    result.total > result.size ? pager(result, "/subscriptions", params) : null);
}

/** One subscription's results, newest first, a page at a time. */
export async function subscription({ view, match, params, me }) {
  if (!me) {
    location.hash = "#/login?next=%23%2Fsubscriptions";
    return;
  }
  const id = match[1];
  const page = Number(params.get("page") || 1);
  const [s, results, regionNames] = await Promise.all([api(`/api/subscriptions/${id}`), api(`/api/subscriptions/${id}/results?page=${page}&size=20`), regionNamesOf()]);
  fill(view,
    h("p", {}, h("a", { href: "#/subscriptions" }, "‹ 我的订阅")),
    h("h1", { tabindex: -1 }, `订阅「${s.name}」的结果`),
    h("p", { class: "meta" }, criteriaText(s.criteria, regionNames)),
    results.items.length ? h("ul", { class: "cards results", id: "subscription-results" }, results.items.map((r) => resultItem(r, "card")))
      : h("p", { class: "muted" }, "暂无结果。"),
    pager(results, `/subscriptions/${id}`, params));
}

/** 保存为订阅 on the search page: the criteria of the search shown, under a name (the text unless changed). */
export function saveSearchForm(params) {
  const criteria = {};
  for (const key of ["q", "kind", "field", "province", "region", "trlMin", "priceMax"]) {
    const value = params.get(key);
    if (value !== null && value !== "" && !(key === "kind" && value === "all")) criteria[key] = key === "trlMin" ? Number(value) : key === "priceMax" ? Number(value) : value;
  }
  const error = h("p", { class: "error", role: "alert", id: "subscribe-error" });
  const name = h("input", { id: "subscription-name", name: "name", maxlength: 50, value: (params.get("q") ?? "").slice(0, 50), required: true });
  const form = h("form", { class: "filters", id: "subscribe-form", hidden: true, onsubmit: async (e) => {
    e.preventDefault();
    error.textContent = "";
    try {
      const saved = await api("/api/subscriptions", { method: "POST", body: { ...criteria, name: name.value } });
      form.hidden = true;
      open.hidden = false;
      toast(`已保存订阅「${saved.name}」：有新发布符合条件时会通知您`, "match");
      fill(done, "已保存为订阅「", saved.name, "」，", h("a", { href: "#/subscriptions" }, "查看我的订阅"));
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.problem.detailZh ?? err.message : String(err);
    }
  } },
  field("订阅名称", name),
  h("button", { class: "primary" }, "保存订阅"),
  h("button", { type: "button", onclick: () => { form.hidden = true; open.hidden = false; open.focus(); } }, "取消"),
  error);
  const done = h("p", { class: "muted", role: "status", id: "subscribe-done" });
  const open = h("button", { type: "button", id: "save-subscription", onclick: () => { form.hidden = false; open.hidden = true; name.focus(); } }, "保存为订阅");
  return h("div", { class: "subscribe" }, open, form, done);
}
