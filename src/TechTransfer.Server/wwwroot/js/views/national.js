import { api } from "../api.js";
import { fill, h } from "../dom.js";
import { techFields } from "../labels.js";
import { events, onEvent } from "../live.js";
import { may } from "../session.js";
import { bars, chart } from "./charts.js";
import { centerCreditTable, contestQueue } from "./credit.js";
import { eventCard } from "./feed.js";

/** The national dashboard (火炬中心): live counts per center and per field, and the pace of new listings. */
export async function national({ view, me }) {
  if (!may.national(me)) {
    fill(view, h("h1", { tabindex: -1 }, "全国看板"), h("p", {}, "仅火炬中心用户可以使用。"));
    return;
  }
  const [regions, achievements, demands, contests, credit] = await Promise.all([
    api("/api/regions"), api("/api/search?kind=achievement&size=1"), api("/api/search?kind=demand&size=1"), contestQueue(me, api),
    me.role === "NationalAdmin" ? api("/api/credit-by-center") : null,
  ]);
  const byRegion = Object.fromEntries(regions.map((r) => [r.code, r]));
  const byField = { achievement: { ...achievements.facets.techField }, demand: { ...demands.facets.techField } };
  const perMinute = new Map(); // "HH:MM" → listings published in that minute, since this page opened
  const total = (key) => regions.reduce((sum, r) => sum + r[key], 0);

  const stat = (id, text, value) => h("div", { class: "stat" }, h("span", { class: "value", id }, String(value)), h("span", {}, text));
  const regionChart = h("div", { class: "chart", role: "img", "aria-label": "各区域服务中心在架成果与需求数量" });
  const fieldChart = h("div", { class: "chart", role: "img", "aria-label": "各技术领域在架成果与需求数量" });
  const paceChart = h("div", { class: "chart small", role: "img", "aria-label": "每分钟新发布数量" });
  const latest = h("div", { class: "feed", id: "national-latest", "aria-live": "polite" });
  let publishedLive = 0;

  fill(view,
    h("h1", { tabindex: -1 }, "全国科技成果转化看板"),
    h("div", { class: "stats" },
      stat("stat-achievements", "全国在架成果", total("publishedAchievements")),
      stat("stat-demands", "全国在架需求", total("publishedDemands")),
      stat("stat-live", "本次新发布", 0)),
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "nr" }, h("h2", { id: "nr" }, "区域服务中心"), regionChart),
      h("section", { "aria-labelledby": "nf" }, h("h2", { id: "nf" }, "技术领域"), fieldChart)),
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "np" }, h("h2", { id: "np" }, "发布节奏（每分钟）"), paceChart),
      h("section", { "aria-labelledby": "nl" }, h("h2", { id: "nl" }, "最新发布"), latest)),
    credit ? centerCreditTable(credit) : null,
    contests);

  const plots = [chart(regionChart), chart(fieldChart), chart(paceChart)];
  const draw = () => {
    const list = Object.values(byRegion);
    plots[0].set(bars(list.map((r) => r.shortName), [
      { name: "成果", data: list.map((r) => r.publishedAchievements) },
      { name: "需求", data: list.map((r) => r.publishedDemands) }], { stack: true }));
    plots[1].set(bars(Object.values(techFields), [
      { name: "成果", data: Object.keys(techFields).map((f) => byField.achievement[f] ?? 0) },
      { name: "需求", data: Object.keys(techFields).map((f) => byField.demand[f] ?? 0) }], { horizontal: true }));
    const minutes = [...perMinute.keys()].slice(-30);
    plots[2].set({ ...bars(minutes, [{ name: "新发布", type: "line", smooth: true, areaStyle: {}, data: minutes.map((m) => perMinute.get(m)) }]), legend: { show: false } });
    view.querySelector("#stat-achievements").textContent = String(total("publishedAchievements"));
    view.querySelector("#stat-demands").textContent = String(total("publishedDemands"));
    view.querySelector("#stat-live").textContent = String(publishedLive);
  };
  const show = (e, live) => {
    if (e.type !== "ListingPublished") return;
    (live ? latest.prepend : latest.append).call(latest, eventCard(e));
    while (latest.childElementCount > 30) latest.lastElementChild.remove();
    if (!live) return;
    publishedLive++;
    const region = byRegion[e.regionCode];
    if (region) Object.assign(region, { publishedAchievements: e.regionPublishedAchievements, publishedDemands: e.regionPublishedDemands });
    byField[e.kind][e.techField] = (byField[e.kind][e.techField] ?? 0) + 1;
    const minute = new Date().toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false });
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    draw();
  };
  events.slice(0, 30).forEach((e) => show(e, false));
  draw();
  const off = onEvent((e) => show(e, true));
  return () => {
    off();
    plots.forEach((p) => p.dispose());
  };
}
