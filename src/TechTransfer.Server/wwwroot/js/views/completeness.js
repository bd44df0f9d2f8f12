// 科技成果评价 at entry (docs/institutions.md §3): how many of the six things a buyer needs the listing states, and a
// prompt for each one it does not. The server decides what is present (POST /api/achievements/completeness).
import { fill, h } from "../dom.js";

/** Fills (or refills) the section with 信息完整度 n/6 and the prompts. */
export function showCompleteness(box, c) {
  const missing = c.items.filter((i) => !i.present);
  fill(box,
    h("h2", { id: "completeness-title" }, "信息完整度 ", h("span", { id: "completeness-score" }, `${c.score}/${c.of}`)),
    missing.length
      ? [h("p", { class: "muted" }, "买方决定是否联系您时，最先看这几项。还可以补充："),
        h("ul", { class: "prompts" }, missing.map((i) => h("li", { "data-item": i.item }, h("strong", {}, i.label), "：", i.prompt)))]
      : h("p", {}, "买方需要的信息都已写明。"));
  return box;
}

/** A new section showing <paramref name="c"/>. */
export const completenessSection = (c) =>
  showCompleteness(h("section", { class: "completeness", id: "completeness", "aria-live": "polite", "aria-labelledby": "completeness-title" }), c);
