import { api } from "../api.js";
import { amount, fill, h, highlighted } from "../dom.js";
import { kinds, label, techFields } from "../labels.js";
import { field, options, pathOf } from "./common.js";

const PageSize = 20;

/** Search with filters in the address (#/search?q=…&kind=…&field=…), so a result page can be shared and reloaded. */
export async function search({ view, params }) {
  const regions = await api("/api/regions");
  const regionNames = Object.fromEntries(regions.map((r) => [r.code, r.shortName]));
  const kind = params.get("kind") || "achievement";
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
    go({ q: data.q, kind: data.kind, field: data.field, region: data.region, trlMin: data.trlMin, priceMax: data.priceMax });
  } },
  field("关键词", h("input", { name: "q", type: "search", value: params.get("q") ?? "", maxlength: 500, placeholder: "技术、产品或问题" })),
  field("类型", h("select", { name: "kind" }, options(kinds, kind))),
  field("技术领域", h("select", { name: "field" }, options(techFields, params.get("field"), "全部领域"))),
  field("区域", h("select", { name: "region" }, options(regionNames, params.get("region"), "全部区域"))),
  field("技术成熟度不低于", h("select", { name: "trlMin" }, options(Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => [n, `TRL ${n}`])), params.get("trlMin"), "不限"))),
  field("价格上限（万元）", h("input", { name: "priceMax", type: "number", min: 0, step: "any", value: params.get("priceMax") ?? "" })),
  h("button", { class: "primary" }, "搜索"));

  const facet = (title, name, counts, names) => h("section", { class: "facet", "aria-label": title },
    h("h3", {}, title),
    h("ul", {}, Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([value, count]) =>
      h("li", {}, h("button", { type: "button", class: "link", "aria-pressed": String(params.get(name) === value),
        onclick: () => go({ [name]: params.get(name) === value ? null : value }) },
      `${names ? label(names, value) : value}（${count}）`)))));

  const hits = result.items.map((hit) => h("li", { class: "card" },
    h("a", { class: "title", href: `#/${pathOf(hit.kind)}/${hit.id}?hl=${encodeURIComponent(params.get("q") ?? "")}` }, highlighted(hit.titleHighlighted)),
    h("p", { class: "snippet" }, highlighted(hit.snippet)),
    h("div", { class: "meta" },
      h("span", {}, label(techFields, hit.techField)), h("span", {}, hit.province),
      h("span", {}, hit.kind === "achievement" ? `TRL ${hit.trl}` : `TRL ≥ ${hit.trl}`),
      h("span", {}, hit.kind === "achievement" ? amount(hit.price) : hit.price ? `预算至 ${hit.price} 万元` : "预算面议"))));

  const pages = Math.max(1, Math.ceil(result.total / PageSize));
  fill(view,
    h("h1", { tabindex: -1 }, "搜索科技成果与技术需求"),
    form,
    h("div", { class: "search-layout" },
      h("aside", { class: "facets", "aria-label": "分类统计" },
        facet("技术领域", "field", result.facets.techField, techFields),
        facet("区域", "region", result.facets.region, regionNames),
        facet("技术成熟度", "trlMin", result.facets.trl)),
      h("section", { "aria-label": "搜索结果" },
        h("p", { role: "status", id: "result-count" }, `共 ${result.total} 条${kinds[kind]}`),
        h("ol", { class: "cards", id: "results" }, hits),
        pages > 1 ? h("nav", { class: "pager", "aria-label": "分页" },
          h("button", { type: "button", disabled: page <= 1, onclick: () => go({ page: page - 1 }) }, "上一页"),
          h("span", {}, `第 ${page} / ${pages} 页`),
          h("button", { type: "button", disabled: page >= pages, onclick: () => go({ page: page + 1 }) }, "下一页")) : null)));
}
