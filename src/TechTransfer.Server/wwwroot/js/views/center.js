import { api, ApiError } from "../api.js";
import { fill, h, time, toast } from "../dom.js";
import { dealStages, label, techFields } from "../labels.js";
import { events, onEvent } from "../live.js";
import { may } from "../session.js";
import { bars, chart } from "./charts.js";
import { eventCard } from "./feed.js";

/** A regional center's broker dashboard: its live counts, and live feeds of its region's matches and new listings. */
export async function center({ view, me }) {
  if (!may.broker(me)) {
    fill(view, h("h1", { tabindex: -1 }, "区域工作台"), h("p", {}, "仅区域服务中心的技术经纪人可以使用。"));
    return;
  }
  const code = me.regionCode;
  const [region, achievements, demands] = await Promise.all([
    api(`/api/regions/${code}`),
    api(`/api/search?kind=achievement&region=${code}&size=1`),
    api(`/api/search?kind=demand&region=${code}&size=1`),
  ]);
  const counts = { achievements: region.publishedAchievements, demands: region.publishedDemands, matches: 0 };
  const counter = (key, text) => h("div", { class: "stat" }, h("span", { class: "value", id: `stat-${key}` }, String(counts[key])), h("span", {}, text));
  const matches = h("div", { class: "feed", id: "center-matches", "aria-live": "polite" });
  const listings = h("div", { class: "feed", id: "center-listings", "aria-live": "polite" });
  const byField = { achievement: { ...achievements.facets.techField }, demand: { ...demands.facets.techField } };
  const chartEl = h("div", { class: "chart", role: "img", "aria-label": "本区域各技术领域的成果与需求数量" });

  const queue = h("ol", { class: "cards", id: "lead-queue", "aria-live": "polite" });
  const loadQueue = async () => {
    const rows = await api(`/api/regions/${code}/leads`);
    fill(queue, rows.length ? rows.map((d) => h("li", { class: `card${d.stale ? " stale" : ""}`, dataset: { deal: d.id } },
      h("a", { class: "title", href: `#/deals/${d.id}` }, `${d.achievementTitle} ↔ ${d.demandTitle}`),
      h("div", { class: "meta" }, h("span", {}, label(dealStages, d.stage)), h("span", {}, `${d.score} 分`),
        h("span", {}, d.claimedBy ? `牵头：${d.names?.[d.claimedBy] ?? "经纪人"}` : "未认领"),
        d.stale ? h("span", { class: "error" }, "超期无进展") : null, h("span", { class: "muted" }, time(d.lastActivityAt))),
      d.stage === "Lead" && !d.claimedBy ? h("button", { type: "button", class: "primary small", onclick: async () => {
        try {
          await api(`/api/deals/${d.id}/claim`, { method: "POST", body: {} });
          location.hash = `#/deals/${d.id}`;
        } catch (e) {
          toast(e instanceof ApiError ? e.message : String(e), "error");
          loadQueue();
        }
      } }, "认领") : null)) : [h("li", { class: "muted" }, "暂无线索。双方均表达意向的匹配会实时出现在这里。")]);
  };

  fill(view,
    h("h1", { tabindex: -1 }, `${region.name} · 经纪人工作台`),
    h("p", { class: "muted" }, `服务省份：${region.provinces.join("、")}`),
    h("div", { class: "stats" }, counter("achievements", "在架成果"), counter("demands", "在架需求"), counter("matches", "本区域匹配（本次）")),
    h("section", { "aria-labelledby": "cq" }, h("h2", { id: "cq" }, "线索队列"), queue),
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "cm" }, h("h2", { id: "cm" }, "区域新匹配"), matches),
      h("section", { "aria-labelledby": "cl" }, h("h2", { id: "cl" }, "区域新发布"), listings)),
    h("section", { "aria-labelledby": "cf" }, h("h2", { id: "cf" }, "技术领域分布"), chartEl));

  const plot = chart(chartEl);
  const draw = () => plot.set(bars(Object.values(techFields), [
    { name: "成果", data: Object.keys(techFields).map((f) => byField.achievement[f] ?? 0) },
    { name: "需求", data: Object.keys(techFields).map((f) => byField.demand[f] ?? 0) },
  ], { horizontal: true }));
  draw();

  const show = (e, live) => {
    if (live && (e.type === "DealUpdated" || e.type === "DealStale")) loadQueue();
    if (e.type === "MatchFound") {
      counts.matches++;
      (live ? matches.prepend : matches.append).call(matches, eventCard(e));
    } else if (e.type === "ListingPublished" && e.regionCode === code) {
      if (live) { // replayed events are older than the counts just read
        counts.achievements = e.regionPublishedAchievements;
        counts.demands = e.regionPublishedDemands;
        byField[e.kind][e.techField] = (byField[e.kind][e.techField] ?? 0) + 1;
        draw();
      }
      (live ? listings.prepend : listings.append).call(listings, eventCard(e));
    }
    for (const key of Object.keys(counts)) view.querySelector(`#stat-${key}`).textContent = String(counts[key]);
  };
  await loadQueue();
  [...events].forEach((e) => show(e, false));
  const off = onEvent((e) => show(e, true));
  return () => {
    off();
    plot.dispose();
  };
}
