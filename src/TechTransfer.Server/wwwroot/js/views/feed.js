import { amount, fill, h, validUntil, when } from "../dom.js";
import { dealActions, dealStages, label, techFields, tradeHref, tradeKinds, tradeNews } from "../labels.js";
import { events, onEvent } from "../live.js";
import { session } from "../session.js";
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
  };
  fill(view, h("h1", { tabindex: -1 }, "实时匹配"),
    h("p", { class: "lead" }, "发布即匹配：本机构成果与需求的新匹配，以及所在区域的动态，都会实时推送到这里。",
      "全部通知（含已读/未读）见", h("a", { href: "#/notifications" }, "通知中心"), "。"), empty, list);
  render();
  return onEvent((e) => {
    list.prepend(eventCard(e));
    empty.hidden = true;
  });
}

/** One card per event type, each linked to the page it concerns, with the event's own time. */
export function eventCard(e) {
  switch (e.type) {
    case "MatchFound": return matchCard(e, { live: e.live });
    case "DealUpdated":
    case "DealStale": return dealCard(e);
    case "ContractRegistered": return contractCard(e);
    case "TradeNotice": return tradeCard(e);
    case "ListingPublished": return listingCard(e);
    case "ListingExpiring": return expiringCard(e);
    case "SubscriptionHit": return subscriptionCard(e);
    case "EvaluationNews": return evaluationCard(e);
    default: return h("article", { class: `card${e.live ? " fresh" : ""}` }, h("span", { class: "tag" }, "通知"), " ", h("span", { class: "muted" }, "新动态"), " ", when(e.at));
  }
}

const fresh = (e, extra = "") => `card ${extra}${e.live ? " fresh" : ""}`.trim();

function listingCard(e) {
  const demand = e.kind === "demand";
  return h("article", { class: fresh(e, "published"), dataset: { type: e.type } },
    h("span", { class: `tag${demand ? " demand" : ""}` }, demand ? "新需求" : "新成果"), " ",
    h("a", { href: `#/${demand ? "demands" : "achievements"}/${e.listingId}` }, e.title),
    h("div", { class: "meta" }, h("span", {}, label(techFields, e.techField)), h("span", {}, e.province), h("span", { class: "muted" }, when(e.at))));
}

/** One of my organization's listings expires soon: the date, and the way to its page (where 续期 is). */
function expiringCard(e) {
  const demand = e.kind === "Demand";
  return h("article", { class: fresh(e, "expiring stale"), dataset: { type: e.type, listing: e.listingId } },
    h("span", { class: `tag${demand ? " demand" : ""}` }, "即将到期"), " ",
    h("a", { href: `#/${demand ? "demands" : "achievements"}/${e.listingId}` }, e.title),
    h("div", { class: "meta" },
      h("span", {}, `有效期至 ${validUntil(e.expiresAt)}，到期后将退出检索、匹配和交易大厅`),
      h("span", {}, e.renewable ? "可续期一次（自续期之日起一年）" : "已续期过，不能再次续期"),
      h("span", { class: "muted" }, when(e.at))));
}

/** Per-party trade news (outbid, won, sold, accepted, awarded…): to the trade's page, and to its deal once it is a lead. */
function tradeCard(e) {
  const bad = ["Outbid", "Lost", "Unsold", "NotAwarded", "Withdrawn", "Taken"].includes(e.news);
  return h("article", { class: fresh(e, `trade${bad ? " stale" : ""}`), dataset: { type: e.type, trade: e.tradeId } },
    h("span", { class: "tag" }, label(tradeKinds, e.kind)), " ",
    h("strong", {}, tradeNews[e.news] ?? "交易通知"), "：",
    h("a", { href: tradeHref(e.tradeId) }, e.title),
    h("div", { class: "meta" },
      e.amount !== null && e.amount !== undefined ? h("span", {}, amount(e.amount)) : null,
      e.dealId ? h("a", { href: `#/deals/${e.dealId}` }, "查看对接线索 →") : null,
      h("span", { class: "muted" }, when(e.at))));
}

function contractCard(e) {
  return h("article", { class: fresh(e, "contract"), dataset: { type: e.type } },
    h("span", { class: "tag" }, "合同登记"), " ",
    h("a", { href: `#/contracts/${e.contractNumber}` }, `登记号 ${e.contractNumber}`),
    // The broker a contract is attributed to is told so (also when the parties registered it themselves).
    e.broker && e.broker === session.me?.accountId ? [" ", h("strong", { class: "attributed" }, "归属于您的撮合")] : null,
    h("div", { class: "meta" }, h("span", {}, `合同金额 ${amount(e.contractAmount)}`), h("span", {}, `技术交易额 ${amount(e.techTransactionAmount)}`),
      h("a", { href: `#/deals/${e.dealId}` }, "查看对接 →"),
      h("span", { class: "muted" }, when(e.at))));
}

export function dealCard(e) {
  const stale = e.type === "DealStale";
  const title = [e.achievementTitle, e.demandTitle].filter(Boolean).join(" ↔ ");
  return h("article", { class: fresh(e, `deal${stale ? " stale" : ""}`), dataset: { deal: e.dealId, type: e.type } },
    h("span", { class: "tag deal" }, stale ? "超期提醒" : dealActions[e.action] ?? "对接进展"), " ",
    h("a", { href: `#/deals/${e.dealId}` }, title),
    h("div", { class: "meta" }, h("span", {}, `阶段：${label(dealStages, e.stage)}`), h("span", { class: "muted" }, when(e.at))));
}

/** 科技成果评价: invited to review (to the reviewer), or published (to the owner and the reviewers). */
function evaluationCard(e) {
  const invited = e.news === "Invited";
  return h("article", { class: fresh(e, "evaluation"), dataset: { type: e.type, evaluation: e.evaluationId } },
    h("span", { class: "tag" }, invited ? "评审邀请" : "评价公布"), " ",
    invited ? "邀请您评审：" : "评价结论已公布：", h("a", { href: `#/evaluations/${e.evaluationId}` }, e.achievementTitle),
    h("div", { class: "meta" }, h("span", { class: "muted" }, when(e.at))));
}

/** A saved search found a newly published listing: 订阅「name」有新成果：title, to the listing's page. */
function subscriptionCard(e) {
  const demand = e.kind === "demand";
  return h("article", { class: fresh(e, "subscription-hit"), dataset: { type: e.type, subscription: e.subscriptionId } },
    h("span", { class: `tag${demand ? " demand" : ""}` }, "订阅"), " ",
    `订阅「${e.subscriptionName}」有${demand ? "新需求" : "新成果"}：`,
    h("a", { href: `#/${demand ? "demands" : "achievements"}/${e.listingId}` }, e.title),
    h("div", { class: "meta" }, h("span", {}, label(techFields, e.techField)), h("span", {}, e.province),
      e.publisher ? h("span", {}, `发布机构：${e.publisher}`) : null,
      h("a", { href: "#/subscriptions" }, "我的订阅 →"), h("span", { class: "muted" }, when(e.at))));
}
