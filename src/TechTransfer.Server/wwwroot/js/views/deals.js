import { api } from "../api.js";
import { fill, h, time } from "../dom.js";
import { dealStages, label } from "../labels.js";
import { options, pager } from "./common.js";

/**
 * 我的对接: the deals that are the signed-in person's work (their organization's as a party; a broker's that they
 * lead; a center admin's region; national: every lead), newest change first, paged and filtered on the server.
 */
export async function deals({ view, params, me }) {
  if (!me) {
    location.hash = "#/login?next=%23%2Fdeals";
    return;
  }
  const page = Number(params.get("page") || 1);
  const stage = params.get("stage") || "";
  const query = new URLSearchParams({ page: String(page), size: "20" });
  if (stage) query.set("stage", stage);
  const result = await api(`/api/deals?${query}`);
  const nameOf = (id) => result.names?.[id] ?? "—";
  const party = ["University", "Institute", "Enterprise"].includes(me.organizationKind);

  const filter = h("select", { id: "deal-stage", name: "stage", onchange: () => {
    const next = new URLSearchParams();
    if (filter.value) next.set("stage", filter.value);
    location.hash = `#/deals${next.size ? `?${next}` : ""}`;
  } }, options(dealStages, stage, "全部阶段"));

  fill(view,
    h("h1", { tabindex: -1 }, "我的对接"),
    h("p", { class: "lead" }, party ? "本机构作为成果方或需求方参与的全部对接，按最近进展排序。"
      : me.role === "Broker" ? "您牵头的对接，按最近进展排序。" : "本区域（或全国）的对接线索与进展，按最近进展排序。"),
    h("div", { class: "filters" }, h("label", { class: "field", for: "deal-stage" }, h("span", {}, "阶段"), filter)),
    result.items.length
      ? h("ol", { class: "cards", id: "my-deals" }, result.items.map((d) => dealRow(d, me, nameOf)))
      : h("p", { class: "muted" }, stage ? "该阶段暂无对接。" : "暂无对接。发布成果或需求后，匹配到的对接会出现在这里。"),
    pager(result, "/deals", params));
}

function dealRow(d, me, nameOf) {
  const title = [d.achievementTitle, d.demandTitle].filter(Boolean).join(" ↔ ");
  const mineAchievement = me.organizationId === d.achievementOrganizationId;
  const mineDemand = me.organizationId === d.demandOrganizationId;
  // A party sees who is on the other side; a broker or center both parties.
  const parties = mineAchievement ? [h("span", {}, `需求方：${nameOf(d.demandOrganizationId)}`)]
    : mineDemand ? [h("span", {}, `成果方：${nameOf(d.achievementOrganizationId)}`)]
    : [h("span", {}, `成果方：${nameOf(d.achievementOrganizationId)}`), h("span", {}, `需求方：${nameOf(d.demandOrganizationId)}`)];
  return h("li", { class: `card deal${d.stale ? " stale" : ""}`, dataset: { deal: d.id } },
    h("a", { class: "title", href: `#/deals/${d.id}` }, title || "对接"),
    h("div", { class: "meta" },
      h("span", { class: "status" }, label(dealStages, d.stage)),
      parties,
      d.claimedBy ? h("span", {}, `经纪人：${nameOf(d.claimedBy)}`) : null,
      d.stale ? h("span", { class: "error" }, "超期无进展") : null,
      h("span", { class: "muted" }, "最近进展 ", h("time", { datetime: d.lastActivityAt }, time(d.lastActivityAt)))));
}
