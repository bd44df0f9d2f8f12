import { fill, h, time } from "../dom.js";
import { dealActions, dealStages, label, techFields } from "../labels.js";
import { events, onEvent, readMark } from "../live.js";
import { matchCard } from "./common.js";

/** The live feed: matches for my organization (and, for brokers, my center), newest first, without reload. */
export async function feed({ view, me }) {
  if (!me) {
    location.hash = "#/login?next=%23%2Ffeed";
    return;
  }
  const list = h("div", { id: "feed", class: "feed", "aria-live": "polite", "aria-relevant": "additions" });
  const empty = h("p", { class: "muted", id: "feed-empty" }, "暂无动态。新的匹配出现时会立即显示在这里，无需刷新。");
  const render = () => {
    fill(list, ...events.map((e) => eventCard(e)));
    empty.hidden = events.length > 0;
    const newest = events[0]?.notificationId ?? 0;
    if (newest > readMark.get()) readMark.set(newest);
  };
  fill(view, h("h1", { tabindex: -1 }, "实时匹配"),
    h("p", { class: "lead" }, "发布即匹配：本机构成果与需求的新匹配，以及所在区域的动态，都会实时推送到这里。"), empty, list);
  render();
  return onEvent((e) => {
    list.prepend(eventCard(e));
    empty.hidden = true;
    readMark.set(Math.max(readMark.get(), e.notificationId));
  });
}

export function eventCard(e) {
  if (e.type === "MatchFound") return matchCard(e, { live: e.live });
  if (e.type === "DealUpdated" || e.type === "DealStale") return dealCard(e);
  if (e.type === "ContractRegistered") {
    return h("article", { class: `card${e.live ? " fresh" : ""}` }, h("span", { class: "tag" }, "合同登记"), " ",
      `登记号 ${e.contractNumber} · 技术交易额 ${e.techTransactionAmount} 万元`, " ", h("a", { href: `#/deals/${e.dealId}` }, "查看"));
  }
  return h("article", { class: `card published${e.live ? " fresh" : ""}` },
    h("span", { class: `tag${e.kind === "demand" ? " demand" : ""}` }, e.kind === "demand" ? "新需求" : "新成果"), " ",
    h("a", { href: `#/${e.kind === "demand" ? "demands" : "achievements"}/${e.listingId}` }, e.title),
    h("div", { class: "meta" }, h("span", {}, label(techFields, e.techField)), h("span", {}, e.province), h("span", { class: "muted" }, time(e.receivedAt))));
}

export function dealCard(e) {
  const stale = e.type === "DealStale";
  return h("article", { class: `card deal${e.live ? " fresh" : ""}${stale ? " stale" : ""}`, dataset: { deal: e.dealId } },
    h("span", { class: "tag deal" }, stale ? "超期提醒" : label(dealActions, e.action)), " ",
    h("a", { href: `#/deals/${e.dealId}` }, `${e.achievementTitle} ↔ ${e.demandTitle}`),
    h("div", { class: "meta" }, h("span", {}, `阶段：${label(dealStages, e.stage)}`), h("span", { class: "muted" }, time(e.receivedAt))));
}
