import { api } from "../api.js";
import { amount, fill, h, highlighted } from "../dom.js";
import { kinds, label, techFields } from "../labels.js";
import { field, options, pathOf } from "./common.js";
import { saveSearchForm } from "./subscriptions.js";

const PageSize = 20;
const MaxResults = 1000; // the server pages no deeper (ListingHttp.MaxResults): narrow the query instead
const searchKinds = { all: "全部", ...kinds };
const sorts = { relevance: "相关度", newest: "最新发布", price: "价格从低到高" };

const day = (iso) => (iso ? new Date(iso).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" }) : "");

/**
 * Search with filters in the address (#/search?q=…&kind=…&sort=…&field=…), so a result page can be shared and reloaded.
 * Both kinds (全部) unless one is chosen; a facet's count is the number of hits clicking it shows.
 */
export async function search({ view, params, me }) {
  const regions = await api("/api/regions");
  const regionNames = Object.fromEntries(regions.map((r) => [r.code, r.shortName]));
  const kind = params.get("kind") || "all";
  const sort = params.get("sort") || "relevance";
  const page = Number(params.get("page") || 1);
  const query = new URLSearchParams(params);
  query.set("kind", kind);
  query.set("size", PageSize);
  const result = await api(`/api/search?${query}`);

  const go = (changes) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v === null || v === "" ? next.delete(k) : next.set(k, v);
    if (!("page" in changes)) next.delete("page");
    location.hash = `#/search?${next}`;
  };

  const form = h("form", { class: "filters", role: "search", onsubmit: (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    go({ q: data.q, kind: data.kind === "all" ? null : data.kind, sort: data.sort === "relevance" ? null : data.sort,
      field: data.field, region: data.region, trlMin: data.trlMin, priceMax: data.priceMax });
  } },
  field("关键词", h("input", { name: "q", type: "search", value: params.get("q") ?? "", maxlength: 500, placeholder: "技术、产品或问题" })),
  field("类型", h("select", { name: "kind" }, options(searchKinds, kind))),
  field("技术领域", h("select", { name: "field" }, options(techFields, params.get("field"), "全部领域"))),
  field("区域", h("select", { name: "region" }, options(regionNames, params.get("region"), "全部区域"))),
  field("技术成熟度不低于", h("select", { name: "trlMin" }, options(Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => [n, `TRL ${n}`])), params.get("trlMin"), "不限"))),
  field("价格上限（万元）", h("input", { name: "priceMax", type: "number", min: 0, step: "any", value: params.get("priceMax") ?? "" })),
  field("排序", h("select", { name: "sort" }, options(sorts, sort))),
  h("button", { class: "primary" }, "搜索"));

  // Clicking a value filters by it (clicking it again clears the filter); its count is what the click shows.
  const facet = (title, name, counts, text, order = (a, b) => b[1] - a[1]) => {
    const entries = Object.entries(counts ?? {}).filter(([, count]) => count > 0).sort(order);
    return entries.length === 0 ? null : h("section", { class: "facet", "aria-label": title },
      h("h3", {}, title),
      h("ul", {}, entries.map(([value, count]) =>
        h("li", {}, h("button", { type: "button", class: "link", "aria-pressed": String(params.get(name) === value),
          onclick: () => go({ [name]: params.get(name) === value ? null : value }) },
        `${text(value)}（${count}）`)))));
  };

  // TRL counts are "at least n": levels with the same count select the same listings, so only the highest of them
  // is offered (TRL ≥ 5（12） rather than ≥ 1 … ≥ 5 all 12), and the one chosen.
  const trl = Object.fromEntries(Object.entries(result.facets.trl ?? {})
    .filter(([level, count]) => params.get("trlMin") === level || result.facets.trl[String(Number(level) + 1)] !== count));

  // The detail page marks the words searched, whole (锂离子电池, not 离子).
  const marks = encodeURIComponent((result.terms ?? []).join(" "));
  const hits = result.items.map((hit) => h("li", { class: "card" },
    h("span", { class: `tag${hit.kind === "demand" ? " demand" : ""}` }, hit.kind === "achievement" ? "成果" : "需求"), " ",
    h("a", { class: "title", href: `#/${pathOf(hit.kind)}/${hit.id}?hl=${marks}` }, highlighted(hit.titleHighlighted)),
    h("p", { class: "snippet" }, highlighted(hit.snippet)),
    h("div", { class: "meta" },
      h("span", {}, label(techFields, hit.techField)), h("span", {}, hit.province),
      h("span", {}, hit.kind === "achievement" ? `TRL ${hit.trl}` : `TRL ≥ ${hit.trl}`),
      h("span", {}, hit.kind === "achievement" ? amount(hit.price) : hit.price ? `预算至 ${hit.price} 万元` : "预算面议"),
      hit.publishedAt ? h("span", { class: "muted" }, `发布于 ${day(hit.publishedAt)}`) : null)));

  const pages = Math.max(1, Math.ceil(Math.min(result.total, MaxResults) / PageSize));
  fill(view,
    h("h1", { tabindex: -1 }, "搜索科技成果与技术需求"),
    form,
    // Signed in, with a text: 保存为订阅 (a subscription needs a text; one that cannot be searched is refused with the hint).
    me && params.get("q") ? saveSearchForm(params) : null,
    h("div", { class: "search-layout" },
      h("aside", { class: "facets", "aria-label": "分类统计" },
        facet("类别", "kind", result.facets.kind, (value) => kinds[value] ?? value, () => 0),
        facet("技术领域", "field", result.facets.techField, (value) => label(techFields, value)),
        facet("区域", "region", result.facets.region, (value) => label(regionNames, value)),
        facet("技术成熟度", "trlMin", trl, (value) => `TRL ≥ ${value}`, (a, b) => Number(a[0]) - Number(b[0]))),
      h("section", { "aria-label": "搜索结果" },
        h("p", { role: "status", id: "result-count" }, `共 ${result.total} 条${kind === "all" ? "结果" : kinds[kind]}`),
        result.hint ? h("p", { class: "hint", id: "search-hint", role: "note" }, result.hint.zh) : null,
        result.total > MaxResults ? h("p", { class: "hint", role: "note" }, `仅可翻阅前 ${MaxResults} 条，请增加关键词或筛选条件`) : null,
        h("ol", { class: "cards", id: "results" }, hits),
        pages > 1 ? h("nav", { class: "pager", "aria-label": "分页" },
          h("button", { type: "button", disabled: page <= 1, onclick: () => go({ page: page - 1 }) }, "上一页"),
          h("span", {}, `第 ${page} / ${pages} 页`),
          h("button", { type: "button", disabled: page >= pages, onclick: () => go({ page: page + 1 }) }, "下一页")) : null)));
}
