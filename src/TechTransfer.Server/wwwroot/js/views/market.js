import { api, ApiError } from "../api.js";
import { amount, clearError, confirmAction, fill, h, showErrors, time, toast } from "../dom.js";
import { watchTrade } from "../live.js";
import { priceSuggestion } from "./valuation.js";

// 交易大厅 and the pages of its three trading modes. Amounts are 万元, times Asia/Shanghai; the server decides
// who may bid, accept, read bids or award, the pages only offer what it will probably allow.

const kinds = { FixedPriceListing: "挂牌", Auction: "拍卖", Tender: "招标" };
const paths = { FixedPriceListing: "fixed-price-listings", Auction: "auctions", Tender: "tenders" };
const statuses = {
  Scheduled: "未开始", Open: "进行中", Sold: "已成交", Unsold: "流拍", Accepted: "已摘牌", Expired: "已到期", Opened: "已开标", Awarded: "已定标", Withdrawn: "成果已撤回",
};

function requireSignIn(me) {
  if (me) return false;
  location.hash = `#/login?next=${encodeURIComponent(location.hash)}`;
  return true;
}

async function load(view, path) {
  try {
    return await api(path);
  } catch (e) {
    if (e.status !== 404) throw e;
    fill(view, h("h1", { tabindex: -1 }, "未找到"), h("p", {}, "该交易不存在。"));
    return null;
  }
}

/** The name the server sent for an id in this view; never the id. */
const nameOf = (view, id) => view.names?.[id] ?? "—";

/** The trade's own description (说明), as its creator wrote it. */
const description = (text, title) => (text ? h("section", { "aria-label": title }, h("h2", {}, title), h("p", { class: "prose" }, text)) : null);

const problem = (e) => (e instanceof ApiError ? e.problem.detailZh ?? e.message : String(e));

const hallColumns = ["方式", "标的", "发起方", "状态", "价格", "出价/投标", "截止时间（北京时间）"];

/** 交易大厅: every listing, auction and tender; open ones first, soonest end first. */
export async function market({ view, params, me }) {
  if (requireSignIn(me)) return;
  const kind = params.get("kind") ?? "";
  const rows = await api(`/api/trades${kind ? `?kind=${kind}` : ""}`);
  fill(view,
    h("h1", { tabindex: -1 }, "交易大厅"),
    h("p", { class: "muted" }, "挂牌、拍卖、招标：由技术交易机构组织的公开交易。"),
    h("nav", { class: "actions", "aria-label": "交易方式" }, [["", "全部"], ...Object.entries(kinds)].map(([k, text]) =>
      h("a", { href: `#/market${k ? `?kind=${k}` : ""}`, "aria-current": k === kind ? "page" : null }, text))),
    // At phone width the rows become cards (app.css: table.hall), each cell labelled by its column.
    rows.length === 0 ? h("p", { class: "muted" }, "暂无交易。") : h("table", { class: "table hall" },
      h("thead", {}, h("tr", {}, hallColumns.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, [
        h("span", { class: `tag${r.kind === "Tender" ? " demand" : ""}` }, kinds[r.kind]),
        h("a", { href: `#/${paths[r.kind]}/${r.id}` }, r.title),
        r.ownerName ?? "—",
        statuses[r.status] ?? r.status,
        r.kind === "Tender" ? "密封" : amount(r.price),
        String(r.bids),
        time(r.endsAt),
      ].map((cell, i) => h("td", { dataset: { label: hallColumns[i] } }, cell)))))));
}

/** 拍卖: the price, the bid form and the bids, moving live as anyone bids. */
export async function auction({ view, match, me }) {
  if (requireSignIn(me)) return;
  const id = match[1];
  let pendingBid = null; // the client bid id of an attempt, reused when it is retried
  const render = async () => {
    const a = await load(view, `/api/auctions/${id}`);
    if (!a) return;
    const open = a.status === "Open";
    const input = h("input", { id: "bid-amount", name: "amount", type: "number", min: a.nextMinimum, step: "any", value: a.nextMinimum, required: true });
    const errors = h("p", { class: "error", role: "alert" });
    fill(view,
      h("h1", { tabindex: -1 }, "拍卖：", a.title),
      h("dl", { class: "facts" },
        h("dt", {}, "标的成果"), h("dd", {}, h("a", { href: `#/achievements/${a.achievementId}` }, a.title)),
        h("dt", {}, "拍卖方"), h("dd", { id: "auction-seller" }, nameOf(a, a.sellerOrganizationId)),
        a.winnerOrganizationId ? [h("dt", {}, "买受方"), h("dd", {}, nameOf(a, a.winnerOrganizationId))] : null,
        h("dt", {}, "状态"), h("dd", { id: "auction-status" }, statuses[a.status] ?? a.status, a.leading && open ? "（您当前领先）" : ""),
        h("dt", {}, "当前价"), h("dd", { id: "auction-price" }, a.currentPrice === null ? "尚无出价" : amount(a.currentPrice)),
        h("dt", {}, "起拍价"), h("dd", {}, amount(a.startingPrice)),
        h("dt", {}, "加价幅度"), h("dd", {}, amount(a.minIncrement)),
        h("dt", {}, "保留价"), h("dd", {}, a.reservePrice !== null ? amount(a.reservePrice) : a.reserveMet ? "已达到" : "未达到"),
        h("dt", {}, "保证金"), h("dd", {}, a.depositRequired ? "需缴纳（线下）" : "无需"),
        h("dt", {}, "开始时间（北京时间）"), h("dd", {}, time(a.startsAt)),
        h("dt", {}, "结束时间（北京时间）"), h("dd", { id: "auction-ends" }, time(a.endsAt), open ? "（最后 5 分钟内出价将顺延）" : ""),
        a.winningAmount !== null ? [h("dt", {}, "成交价"), h("dd", {}, amount(a.winningAmount))] : null,
        a.dealId ? [h("dt", {}, "对接"), h("dd", {}, h("a", { href: `#/deals/${a.dealId}` }, "查看对接与合同"))] : null),
      description(a.description, "拍卖说明"),
      open && !a.isSeller ? h("form", { class: "panel", novalidate: true, "aria-labelledby": "bid-title", onsubmit: async (e) => {
        e.preventDefault();
        if (pendingBid === null) {
          const value = Number(input.value);
          const sure = await confirmAction({
            title: "确认出价", amount: amount(value), confirm: "确认出价",
            lines: [`标的：${a.title}`, "出价提交后不可撤回。拍卖结束时您的出价若最高且达到保留价，即按此价成交，并转为对接线索由经纪人跟进签约。"],
          });
          if (!sure) return;
        }
        pendingBid ??= crypto.randomUUID();
        try {
          await api(`/api/auctions/${id}/bids`, { method: "POST", body: { clientBidId: pendingBid, amount: Number(input.value) } });
          pendingBid = null;
          toast("出价成功");
          await render();
        } catch (err) {
          if (err instanceof ApiError && err.status > 0) pendingBid = null; // refused: a new attempt is a new bid
          errors.textContent = problem(err);
        }
      } },
      h("h2", { id: "bid-title" }, "出价"),
      h("label", { class: "field", for: "bid-amount" }, h("span", {}, `出价（万元，至少 ${a.nextMinimum}）`)), input, errors,
      h("button", { class: "primary" }, "出价")) : null,
      h("section", { "aria-labelledby": "bids-title" }, h("h2", { id: "bids-title" }, `出价记录（${a.bids.length}）`),
        h("ol", { class: "trail", id: "bids", reversed: true }, [...a.bids].reverse().map((b) =>
          h("li", {}, h("span", { class: "muted" }, time(b.at)), " ", b.bidder, b.mine ? "（我）" : "", "：", amount(b.amount))))));
  };
  // Watch first, then load: whatever happens after the load is in the feed, so nothing falls in between.
  const stop = await watchTrade(id, () => render());
  await render();
  return stop;
}

/** 挂牌: the price and the accept button; when someone takes it, every watcher's page says so at once. */
export async function offer({ view, match, me }) {
  if (requireSignIn(me)) return;
  const id = match[1];
  const render = async () => {
    const o = await load(view, `/api/fixed-price-listings/${id}`);
    if (!o) return;
    fill(view,
      h("h1", { tabindex: -1 }, "挂牌：", o.title),
      h("dl", { class: "facts" },
        h("dt", {}, "标的成果"), h("dd", {}, h("a", { href: `#/achievements/${o.achievementId}` }, o.title)),
        h("dt", {}, "挂牌方"), h("dd", { id: "offer-seller" }, nameOf(o, o.sellerOrganizationId)),
        o.buyerOrganizationId ? [h("dt", {}, "摘牌方"), h("dd", { id: "offer-buyer" }, nameOf(o, o.buyerOrganizationId))] : null,
        h("dt", {}, "状态"), h("dd", { id: "offer-status" }, statuses[o.status] ?? o.status),
        h("dt", {}, "挂牌价"), h("dd", {}, amount(o.price)),
        h("dt", {}, "挂牌期（北京时间）"), h("dd", { id: "offer-period" }, `${time(o.startsAt)} 至 ${time(o.endsAt)}`),
        o.dealId ? [h("dt", {}, "对接"), h("dd", {}, h("a", { href: `#/deals/${o.dealId}` }, "查看对接与合同"))] : null),
      description(o.description, "挂牌说明"),
      o.status === "Open" && !o.isSeller ? h("button", { type: "button", class: "primary", onclick: async () => {
        const sure = await confirmAction({
          title: "确认按挂牌价摘牌", amount: amount(o.price), confirm: "确认摘牌",
          lines: [`标的：${o.title}`, `挂牌方：${nameOf(o, o.sellerOrganizationId)}`, "摘牌即成交，不可撤销。成交后转为对接线索，由区域服务中心的技术经纪人联系双方签订技术合同。"],
        });
        if (!sure) return;
        try {
          await api(`/api/fixed-price-listings/${id}/accept`, { method: "POST" });
          toast("摘牌成功");
        } catch (e) {
          toast(problem(e), "error");
        }
        await render();
      } }, "按挂牌价摘牌") : null);
  };
  // Watch first, then load: whatever happens after the load is in the feed, so nothing falls in between.
  const stop = await watchTrade(id, () => render());
  await render();
  return stop;
}

/** 招标: before the deadline only the count; institutions submit sealed bids; after the opening the enterprise awards. */
export async function tender({ view, match, me }) {
  if (requireSignIn(me)) return;
  const id = match[1];
  const render = async () => {
    const t = await load(view, `/api/tenders/${id}`);
    if (!t) return;
    const institution = ["University", "Institute"].includes(me.organizationKind);
    const winner = t.bids?.find((b) => b.awarded);
    const errors = h("p", { class: "error", role: "alert" });
    const form = h("form", { class: "panel editor", "aria-labelledby": "tender-bid-title", onsubmit: async (e) => {
      e.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      try {
        await api(`/api/tenders/${id}/bids`, { method: "POST", body: {
          clientBidId: crypto.randomUUID(), price: data.price === "" ? null : Number(data.price), plan: data.plan,
          durationDays: data.durationDays === "" ? null : Number(data.durationDays), attachments: [],
        } });
        toast("投标已密封提交");
        await render();
      } catch (err) {
        errors.textContent = problem(err);
      }
    } },
    h("h2", { id: "tender-bid-title" }, "密封投标"),
    h("label", { class: "field" }, h("span", {}, "报价（万元）"), h("input", { name: "price", type: "number", min: 0, step: "any" })),
    h("label", { class: "field" }, h("span", {}, "工期（天）"), h("input", { name: "durationDays", type: "number", min: 1 })),
    h("label", { class: "field" }, h("span", {}, "实施方案"), h("textarea", { name: "plan", rows: 4, maxlength: 5000 })),
    errors, h("button", { class: "primary" }, "提交投标"));
    fill(view,
      h("h1", { tabindex: -1 }, "招标：", t.title),
      h("dl", { class: "facts" },
        h("dt", {}, "招标需求"), h("dd", {}, h("a", { href: `#/demands/${t.demandId}` }, t.title)),
        h("dt", {}, "招标方"), h("dd", { id: "tender-owner" }, nameOf(t, t.enterpriseOrganizationId)),
        h("dt", {}, "状态"), h("dd", { id: "tender-status" }, statuses[t.status] ?? t.status),
        h("dt", {}, "投标截止（开标，北京时间）"), h("dd", { id: "tender-deadline" }, time(t.deadline)),
        h("dt", {}, "评标办法"), h("dd", {}, t.criteria),
        h("dt", {}, "已收投标"), h("dd", { id: "tender-count" }, `${t.bidCount} 份`),
        t.myReceipt ? [h("dt", {}, "我的投标"), h("dd", {}, `已于 ${time(t.myReceipt.submittedAt)} 密封提交`)] : null,
        winner ? [h("dt", {}, "中标机构"), h("dd", { id: "tender-winner" }, nameOf(t, winner.organizationId))] : null,
        t.dealId ? [h("dt", {}, "对接"), h("dd", {}, h("a", { href: `#/deals/${t.dealId}` }, "查看对接与合同"))] : null),
      description(t.description, "招标说明"),
      t.status === "Open" ? h("p", { class: "muted" }, "投标在截止时间前密封：任何人（包括招标企业、经纪人和管理员）都无法查看内容。") : null,
      t.status === "Open" && institution && !t.myReceipt ? form : null,
      t.bids ? h("section", { "aria-labelledby": "tender-bids" }, h("h2", { id: "tender-bids" }, "开标结果"),
        h("div", { class: "table-scroll" }, h("table", { class: "table" },
          h("thead", {}, h("tr", {}, ["序号", "投标机构", "报价", "工期", "实施方案", ""].map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, t.bids.map((b) => h("tr", {},
            h("td", {}, String(b.bidNumber)), h("td", {}, nameOf(t, b.organizationId)), h("td", {}, amount(b.bid.price)), h("td", {}, `${b.bid.durationDays} 天`),
            h("td", {}, b.bid.plan),
            h("td", {}, b.awarded ? "中标" : t.isOwner && t.status === "Opened" ? h("button", { type: "button", onclick: async () => {
              const sure = await confirmAction({
                title: `确认定标：${b.bidNumber} 号投标`, amount: amount(b.bid.price), confirm: "确认定标",
                lines: [`中标机构：${nameOf(t, b.organizationId)}`, `工期：${b.bid.durationDays} 天`,
                  "定标后不可更改。其他投标机构将收到未中标通知；交易转为对接线索，由经纪人跟进签约。"],
              });
              if (!sure) return;
              try {
                await api(`/api/tenders/${id}/award`, { method: "POST", body: { bidNumber: b.bidNumber } });
              } catch (e) {
                toast(problem(e), "error");
              }
              await render();
            } }, "定标") : ""))))))) : null);
  };
  // Watch first, then load: whatever happens after the load is in the feed, so nothing falls in between.
  const stop = await watchTrade(id, () => render());
  await render();
  return stop;
}

// ---- Creating a trade: 发起挂牌 / 发起拍卖 (an achievement's owner), 发起招标 (a demand's owner) ----

/** What each form offers: its title, how far ahead it may end (the server's horizon), its default length. */
const creation = {
  "fixed-price-listings": { kind: "FixedPriceListing", listing: "achievements", title: "发起挂牌", maxDays: 366, defaultDays: 30 },
  auctions: { kind: "Auction", listing: "achievements", title: "发起拍卖", maxDays: 90, defaultDays: 7 },
  tenders: { kind: "Tender", listing: "demands", title: "发起招标", maxDays: 180, defaultDays: 30 },
};

/** "YYYY-MM-DDTHH:mm" in Beijing time, for a datetime-local input (whatever the browser's own zone). */
function beijingLocal(date) {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** A datetime-local value read as Beijing time → an instant (ISO with +08:00); null when empty. */
const fromBeijing = (value) => (value ? `${value.length === 16 ? `${value}:00` : value}+08:00` : null);

/** "7 天 3 小时" between two instants: days and hours (to the nearest hour) from a day on, else hours and minutes. */
function span(from, to) {
  const minutes = Math.round((new Date(to) - new Date(from)) / 60000);
  if (minutes < 1) return "不足 1 分钟";
  if (minutes < 1440) return [Math.floor(minutes / 60) ? `${Math.floor(minutes / 60)} 小时` : "", minutes % 60 ? `${minutes % 60} 分钟` : ""].filter(Boolean).join(" ");
  const hours = Math.round(minutes / 60);
  return [`${Math.floor(hours / 24)} 天`, hours % 24 ? `${hours % 24} 小时` : ""].filter(Boolean).join(" ");
}

/**
 * The form that puts an achievement (挂牌, 拍卖) or a demand (招标) on the market. Only its owner's members get it;
 * an achievement already in an open trade gets a link to that trade instead (one open trade per achievement). The
 * server judges every value: its messages appear under their fields. A confirmation states the amount, the
 * period and what follows before anything is sent; after creation the trade's page opens.
 */
export async function newTrade({ view, match, me }) {
  if (requireSignIn(me)) return;
  const [, listingPath, listingId, tradePath] = match;
  const mode = creation[tradePath];
  if (!mode || mode.listing !== listingPath) {
    fill(view, h("h1", { tabindex: -1 }, "页面不存在"), h("p", {}, h("a", { href: "#/" }, "返回首页")));
    return;
  }
  const isTender = mode.kind === "Tender";
  let listing;
  try {
    listing = await api(`/api/${listingPath}/${listingId}`);
  } catch (e) {
    if (e.status !== 404) throw e;
    fill(view, h("h1", { tabindex: -1 }, "未找到"), h("p", {}, isTender ? "该需求不存在。" : "该成果不存在。"));
    return;
  }
  const back = h("p", { class: "crumbs" }, h("a", { href: `#/${listingPath}/${listingId}` }, listing.title), " › ", mode.title);
  if (me.organizationId !== listing.ownerOrganizationId || listing.status !== "Published") {
    fill(view, back, h("h1", { tabindex: -1 }, mode.title),
      h("p", { role: "status" }, me.organizationId !== listing.ownerOrganizationId
        ? `只有发布该${isTender ? "需求" : "成果"}的机构的成员可以${mode.title}。`
        : `该${isTender ? "需求" : "成果"}尚未发布（或已下架），发布后才能${mode.title}。`));
    return;
  }
  const trades = await api(`/api/trades?listingId=${encodeURIComponent(listingId)}`);
  const open = trades.find((t) => ["Open", "Scheduled"].includes(t.status));
  if (open && !isTender) {
    fill(view, back, h("h1", { tabindex: -1 }, mode.title),
      h("p", { role: "status", id: "open-trade" }, `该成果正在${kinds[open.kind]}中（${statuses[open.status] ?? open.status}，截止 ${time(open.endsAt)}）。`,
        "同一成果同时只能有一个进行中的挂牌或拍卖，须待其结束后再发起。"),
      h("p", {}, h("a", { class: "button primary", href: `#/${paths[open.kind]}/${open.id}` }, `查看该${kinds[open.kind]}`)));
    return;
  }

  const errorBox = (name) => h("p", { class: "error", id: `err-${name}`, "aria-live": "polite" });
  const control = (name, labelText, input, hint) => {
    input.name = name;
    input.id = `t-${name}`;
    const error = errorBox(name);
    input.setAttribute("aria-describedby", [hint ? `hint-${name}` : null, error.id].filter(Boolean).join(" "));
    return h("div", { class: "field", dataset: { field: name } },
      h("span", { class: "label-row" }, h("label", { for: input.id }, labelText), input.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
      input, hint ? h("small", { class: "muted", id: `hint-${name}` }, hint) : null, error);
  };
  const money = (value, props = {}) => h("input", { type: "number", step: "any", min: 0, inputmode: "decimal", value: value ?? "", ...props });
  const moment = (value, props = {}) => h("input", { type: "datetime-local", value: value ?? "", ...props });
  const now = new Date();
  const defaultEnd = beijingLocal(new Date(now.getTime() + mode.defaultDays * 86400000));
  const endName = isTender ? "deadline" : "endsAt";
  const horizon = `最长 ${mode.maxDays} 天；北京时间`;

  const fields = {
    FixedPriceListing: [
      control("price", "挂牌价（万元）", money(listing.askingPrice, { required: true }), "摘牌即按此价成交"),
      control("startsAt", "开始时间", moment(""), "留空则立即开始；北京时间"),
      control("endsAt", "结束时间", moment(defaultEnd, { required: true }), `挂牌期${horizon}`),
    ],
    Auction: [
      control("startingPrice", "起拍价（万元）", money(listing.askingPrice, { required: true }), "第一口出价不得低于起拍价"),
      control("minIncrement", "加价幅度（万元）", money("", { required: true }), "之后每口出价至少高出当前价这么多"),
      control("reservePrice", "保留价（万元）", money(""), "不公开；最高出价未达到保留价则流拍。留空为无保留价"),
      h("div", { class: "field", dataset: { field: "depositRequired" } },
        h("label", {}, h("input", { type: "checkbox", name: "depositRequired", id: "t-depositRequired" }), " 竞买人须缴纳保证金（线下办理）"), errorBox("depositRequired")),
      control("startsAt", "开始时间", moment(""), "留空则立即开始；北京时间"),
      control("endsAt", "结束时间", moment(defaultEnd, { required: true }), `自开始起${horizon}；最后 5 分钟内有人出价则顺延`),
    ],
    Tender: [
      control("deadline", "投标截止（开标）时间", moment(defaultEnd, { required: true }), `自现在起${horizon}；截止时统一开标`),
      control("criteria", "评标办法", h("textarea", { rows: 3, maxlength: 2000, required: true }), "如：技术方案 60 分，报价 30 分，工期 10 分"),
    ],
  }[mode.kind];
  // 评估报价: the suggested fixed price (median), or starting (lower quartile) and reserve (median) prices, filled in on request.
  const input = (name) => fields.find((f) => f.dataset?.field === name)?.querySelector("input");
  if (mode.kind === "FixedPriceListing") fields.unshift(priceSuggestion(listingId, [[input("price"), "mid", "挂牌价（中位）"]]));
  if (mode.kind === "Auction")
    fields.unshift(priceSuggestion(listingId, [[input("startingPrice"), "low", "起拍价（下四分位）"], [input("reservePrice"), "mid", "保留价（中位）"]]));
  const describe = control("description", `${mode.title.slice(2)}说明`, h("textarea", { rows: 4, maxlength: 2000 }),
    isTender ? "招标范围、交付要求、联系方式等（公开）" : "交易内容（如许可方式、技术指导）、交割安排等（公开）");
  const summary = h("div", { class: "error-summary", role: "alert", tabindex: -1, hidden: true });
  const submit = h("button", { class: "primary", type: "submit" }, mode.title);
  const form = h("form", { class: "panel editor", novalidate: true, "aria-labelledby": "trade-form-title" },
    h("h2", { id: "trade-form-title" }, isTender ? `招标需求：${listing.title}` : `标的成果：${listing.title}`),
    open && isTender ? h("p", { class: "muted", id: "open-trade" }, "该需求已有进行中的招标：",
      h("a", { href: `#/tenders/${open.id}` }, `截止 ${time(open.endsAt)}`)) : null,
    summary, fields, describe,
    h("div", { class: "actions" }, submit, h("a", { href: `#/${listingPath}/${listingId}` }, "取消")));
  form.addEventListener("input", (e) => clearError(e.target.closest("[data-field]")));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = form.elements;
    const num = (name) => (f[name].value === "" ? null : Number(f[name].value));
    const body = {
      FixedPriceListing: () => ({ achievementId: listingId, price: num("price"), startsAt: fromBeijing(f.startsAt.value), endsAt: fromBeijing(f.endsAt.value) }),
      Auction: () => ({
        achievementId: listingId, startingPrice: num("startingPrice"), minIncrement: num("minIncrement"), reservePrice: num("reservePrice"),
        depositRequired: f.depositRequired.checked, startsAt: fromBeijing(f.startsAt.value), endsAt: fromBeijing(f.endsAt.value),
      }),
      Tender: () => ({ demandId: listingId, deadline: fromBeijing(f.deadline.value), criteria: f.criteria.value }),
    }[mode.kind]();
    body.description = f.description.value.trim() || null;
    showErrors(form, summary, {});
    // A required value left empty: the server refuses it whatever else is sent, so no confirmation is needed to
    // hear its messages. Anything that could create the trade is confirmed first.
    const incomplete = [...form.querySelectorAll("[required]")].some((input) => input.value.trim() === "");
    if (!incomplete && !(await confirmAction(confirmation(mode, listing, body)))) return;
    submit.disabled = true;
    try {
      const created = await api(`/api/${tradePath}`, { method: "POST", body });
      toast(`${mode.title.slice(2)}已发起`);
      location.hash = `#/${tradePath}/${created.id}`;
    } catch (err) {
      if (err instanceof ApiError && err.problem.code === "achievement-in-trade") {
        await newTrade({ view, match, me }); // someone of the same organization was quicker: show that trade
        return;
      }
      if (err instanceof ApiError && err.problem.errors) showErrors(form, summary, err.fieldErrors);
      else showErrors(form, summary, {}, problem(err));
    } finally {
      submit.disabled = false;
    }
  });

  fill(view, back, h("h1", { tabindex: -1 }, mode.title), form);
}

/** The confirmation: the amount, the period in Beijing time and its length, and what follows. */
function confirmation(mode, listing, body) {
  const start = body.startsAt ?? new Date().toISOString();
  const end = body.endsAt ?? body.deadline;
  const period = `${body.startsAt ? time(body.startsAt) : "立即"} 至 ${time(end)}（北京时间，共 ${span(start, end)}）`;
  switch (mode.kind) {
    case "FixedPriceListing":
      return {
        title: "确认发起挂牌", amount: `挂牌价 ${amount(body.price)}`, confirm: "确认挂牌",
        lines: [`标的：${listing.title}`, `挂牌期：${period}`,
          "挂牌后即在交易大厅公开，不能修改价格。挂牌期内第一家经认证的企业摘牌即按此价成交，成交后转为对接线索，由区域服务中心的技术经纪人联系双方签订技术合同；无人摘牌则到期结束。"],
      };
    case "Auction":
      return {
        title: "确认发起拍卖", amount: `起拍价 ${amount(body.startingPrice)}`, confirm: "确认拍卖",
        lines: [`标的：${listing.title}`, `加价幅度：${amount(body.minIncrement)}；保留价：${body.reservePrice ? amount(body.reservePrice) : "无"}${body.depositRequired ? "；须缴纳保证金" : ""}`,
          `拍卖期：${period}`,
          "拍卖发起后即在交易大厅公开，不能修改条件。经认证的企业可出价，最后 5 分钟内有人出价则顺延；结束时最高出价达到保留价即成交，转为对接线索由技术经纪人跟进签约，否则流拍。"],
      };
    default:
      return {
        title: "确认发起招标", confirm: "确认招标",
        lines: [`招标需求：${listing.title}`, `投标期：${period}`, `评标办法：${body.criteria}`,
          "招标发起后即在交易大厅公开。高校和科研院所可在截止前密封投标，截止前任何人都看不到投标内容；截止时统一开标，由贵单位定标，中标后转为对接线索由技术经纪人跟进签约。"],
      };
  }
}

