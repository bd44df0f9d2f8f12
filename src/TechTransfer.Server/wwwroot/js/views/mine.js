import { api } from "../api.js";
import { fill, h } from "../dom.js";
import { may } from "../session.js";
import { listingItem } from "./common.js";

/** My organization's listings in every status, drafts included (the server shows drafts only to their owners). */
export async function mine({ view, me }) {
  if (!me) {
    location.hash = "#/login?next=%23%2Fmine";
    return;
  }
  const owner = encodeURIComponent(me.organizationId);
  const [achievements, demands] = await Promise.all([
    api(`/api/achievements?owner=${owner}&size=100`),
    may.postDemands(me) ? api(`/api/demands?owner=${owner}&size=100`) : null,
  ]);
  const section = (id, title, page, kind, newHref) => h("section", { "aria-labelledby": id },
    h("h2", { id }, `${title}（${page.total}${page.totalCapped ? "+" : ""}）`, " ", h("a", { class: "button small", href: newHref }, "＋ 新建")),
    page.items.length ? h("ol", { class: "cards" }, page.items.map((l) => listingItem(l, kind))) : h("p", { class: "muted" }, "还没有内容。"));
  fill(view,
    h("h1", { tabindex: -1 }, "我的发布"),
    h("div", { class: "columns" },
      section("mine-a", "科技成果", achievements, "achievement", "#/achievements/new"),
      demands ? section("mine-d", "技术需求", demands, "demand", "#/demands/new") : null));
}
