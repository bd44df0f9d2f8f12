import { api, ApiError } from "../api.js";
import { amount, confirmAction, fill, h, time, toast } from "../dom.js";
import { watchTrade } from "../live.js";

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

const problem = (e) => (e instanceof ApiError ? e.problem.detailZh ?? e.message : String(e));

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
    rows.length === 0 ? h("p", { class: "muted" }, "暂无交易。") : h("table", { class: "table" },
      h("thead", {}, h("tr", {}, ["方式", "标的", "状态", "价格", "出价/投标", "截止时间（北京时间）"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows.map((r) => h("tr", {},
        h("td", {}, h("span", { class: "tag" }, kinds[r.kind])),
        h("td", {}, h("a", { href: `#/${paths[r.kind]}/${r.id}` }, r.title)),
        h("td", {}, statuses[r.status] ?? r.status),
        h("td", {}, r.kind === "Tender" ? "密封" : amount(r.price)),
        h("td", {}, String(r.bids)),
        h("td", {}, time(r.endsAt)))))));
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
        h("dt", {}, "开始时间"), h("dd", {}, time(a.startsAt)),
        h("dt", {}, "结束时间"), h("dd", { id: "auction-ends" }, time(a.endsAt), open ? "（最后 5 分钟内出价将顺延）" : ""),
        a.winningAmount !== null ? [h("dt", {}, "成交价"), h("dd", {}, amount(a.winningAmount))] : null,
        a.dealId ? [h("dt", {}, "对接"), h("dd", {}, h("a", { href: `#/deals/${a.dealId}` }, "查看线索"))] : null),
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
        h("dt", {}, "挂牌期"), h("dd", {}, `${time(o.startsAt)} 至 ${time(o.endsAt)}`),
        o.dealId ? [h("dt", {}, "对接"), h("dd", {}, h("a", { href: `#/deals/${o.dealId}` }, "查看线索"))] : null),
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
        h("dt", {}, "投标截止（开标）"), h("dd", {}, time(t.deadline)),
        h("dt", {}, "评标办法"), h("dd", {}, t.criteria),
        h("dt", {}, "已收投标"), h("dd", { id: "tender-count" }, `${t.bidCount} 份`),
        t.myReceipt ? [h("dt", {}, "我的投标"), h("dd", {}, `已于 ${time(t.myReceipt.submittedAt)} 密封提交`)] : null,
        t.dealId ? [h("dt", {}, "对接"), h("dd", {}, h("a", { href: `#/deals/${t.dealId}` }, "查看线索"))] : null),
      t.status === "Open" ? h("p", { class: "muted" }, "投标在截止时间前密封：任何人（包括招标企业、经纪人和管理员）都无法查看内容。") : null,
      t.status === "Open" && institution && !t.myReceipt ? form : null,
      t.bids ? h("section", { "aria-labelledby": "tender-bids" }, h("h2", { id: "tender-bids" }, "开标结果"),
        h("table", { class: "table" },
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
            } }, "定标") : "")))))) : null);
  };
  // Watch first, then load: whatever happens after the load is in the feed, so nothing falls in between.
  const stop = await watchTrade(id, () => render());
  await render();
  return stop;
}
