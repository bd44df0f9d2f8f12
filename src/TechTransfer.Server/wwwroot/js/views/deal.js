import { api, ApiError } from "../api.js";
import { amount, confirmAction, fill, h, time, toast } from "../dom.js";
import { contestSubjectId, contestSubjects, contractTypes, dealActions, dealStages, label, tradeHref, tradeKinds } from "../labels.js";
import { onEvent } from "../live.js";
import { may } from "../session.js";
import { options } from "./common.js";
import { valuationPanel } from "./valuation.js";

const flow = ["Matched", "Lead", "Introduced", "Negotiating", "ContractSigned", "Registered"];

/**
 * One match's way to a contract: both parties' interest, the contacts once both agree, the broker's claim and
 * stages, the contract, and the audit trail. The page offers what the viewer's role allows; the server decides.
 */
export async function deal({ view, match, me }) {
  if (!me) {
    location.hash = `#/login?next=${encodeURIComponent(location.hash)}`;
    return;
  }
  const id = match[1];
  const render = async () => {
    let d;
    try {
      d = await api(`/api/deals/${id}`);
    } catch (e) {
      if (e.status !== 404) throw e;
      fill(view, h("h1", { tabindex: -1 }, "未找到"), h("p", {}, "该对接不存在，或您无权查看。"));
      return;
    }
    const f = d.facts;
    const trade = { fpl: "FixedPriceListing", auc: "Auction", tnd: "Tender" }[id.slice(0, 3)];
    const nameOf = (id) => d.names?.[id] ?? "—"; // the server names every id it shows; never print the id itself
    // A trade's deal may have no listing on one side (an auction's buyer, a tender's bidder): no link to nothing.
    const listingLink = (path, listingId, title) => (listingId ? h("a", { href: `#/${path}/${listingId}` }, title) : title);
    const side = me.organizationId === f.achievementOrganizationId ? "achievement" : me.organizationId === f.demandOrganizationId ? "demand" : null;
    const leads = d.claimedBy === me.accountId || (me.role === "CenterAdmin" && me.regionCode === d.leadingRegion);
    const broker = may.broker(me) && [f.achievementRegion, f.demandRegion].includes(me.regionCode);
    const act = (path, body, method = "POST") => async () => {
      try {
        await api(`/api/deals/${id}/${path}`, { method, body });
        await render();
      } catch (e) {
        toast(e instanceof ApiError ? e.message : String(e), "error");
      }
    };
    const mine = side === "achievement" ? d.achievementInterest : d.demandInterest;
    const next = { Introduced: "Negotiating", Negotiating: "ContractSigned" }[d.stage];
    const open = !["Registered", "Closed"].includes(d.stage);

    fill(view,
      h("h1", { tabindex: -1 }, "对接详情"),
      // The gaps are boxes, not ideographic spaces: a U+3000 at a line's end hangs past a phone's edge.
      h("p", {}, h("span", { class: "tag" }, "成果"), " ", listingLink("achievements", f.achievementId, f.achievementTitle), gap(),
        h("span", { class: "tag demand" }, "需求"), " ", listingLink("demands", f.demandId, f.demandTitle),
        // A trade's deal came from the trade (its id is the trade's), not from a match score.
        trade ? [gap(), "来自", h("a", { href: tradeHref(id), id: "deal-trade" }, tradeKinds[trade])] : [gap(), `匹配度 ${f.score} 分`]),
      h("ol", { class: "stages", "aria-label": "对接阶段" }, flow.map((s) =>
        h("li", { class: s === d.stage ? "current" : flow.indexOf(s) < flow.indexOf(d.stage) ? "done" : "", "aria-current": s === d.stage ? "step" : null }, label(dealStages, s))),
        d.stage === "Closed" ? h("li", { class: "current", "aria-current": "step" }, `终止：${d.closeReason}`) : null),
      d.stale ? h("p", { class: "error", role: "status" }, "该对接已超过期限无进展。") : null,
      h("dl", { class: "facts" },
        h("dt", {}, "成果方"), h("dd", { id: "deal-supplier" }, nameOf(f.achievementOrganizationId)),
        h("dt", {}, "需求方"), h("dd", { id: "deal-buyer" }, nameOf(f.demandOrganizationId)),
        h("dt", {}, "成果方意向"), h("dd", {}, d.achievementInterest ? "✓ 已表达" : "尚未表达"),
        h("dt", {}, "需求方意向"), h("dd", {}, d.demandInterest ? "✓ 已表达" : "尚未表达"),
        h("dt", {}, "牵头经纪人"), h("dd", { id: "deal-broker" }, d.claimedBy ? `${nameOf(d.claimedBy)}（${nameOf(d.leadingRegion)}）` : "尚未认领"),
        d.contractNumber ? [h("dt", {}, "合同登记号"), h("dd", { id: "deal-contract" }, h("a", { href: `#/contracts/${d.contractNumber}` }, d.contractNumber, "（查看合同）"))] : null),
      // 评估报价 of the achievement, for the center's brokers while the deal is open (they negotiate the price).
      broker && open && f.achievementId ? valuationPanel("achievements", f.achievementId) : null,
      h("div", { class: "actions" },
        side && d.stage === "Matched" ? h("button", { type: "button", class: mine ? "" : "primary", onclick: mine ? act("interest", undefined, "DELETE") : act("interest", {}) },
          mine ? "撤回意向" : "表达意向") : null,
        broker && d.stage === "Lead" && !d.claimedBy ? h("button", { type: "button", class: "primary", onclick: act("claim", {}) }, "认领线索") : null,
        leads && next ? h("button", { type: "button", class: "primary", onclick: act("stage", { stage: next }) }, `推进到“${label(dealStages, next)}”`) : null,
        leads && open && d.stage !== "Matched" ? h("button", { type: "button", onclick: async () => {
          const reason = await confirmAction({
            title: "终止对接", confirm: "确认终止", reason: "终止原因",
            lines: [`${f.achievementTitle} ↔ ${f.demandTitle}`, "终止后该对接不可恢复，不能再推进或登记合同；双方和区域服务中心将收到通知。"],
          });
          if (reason) await act("close", { reason })();
        } }, "终止对接") : null),
      leads && d.stage === "ContractSigned" ? contractForm(id, render, nameOf(f.achievementOrganizationId), nameOf(f.demandOrganizationId)) : null,
      // The seller registers a contract signed outside the deal flow; the broker who led it stays attributed for a while.
      d.mayRegisterOwnContract && !(leads && d.stage === "ContractSigned")
        ? contractForm(id, render, nameOf(f.achievementOrganizationId), nameOf(f.demandOrganizationId), { attribution: d.attribution, nameOf }) : null,
      d.mayRateAs ? ratingForm(id, render, nameOf(d.claimedBy)) : null,
      d.ratings?.length ? h("section", { "aria-labelledby": "deal-ratings" }, h("h2", { id: "deal-ratings" }, "经纪服务评价"),
        h("ul", { class: "trail", id: "deal-rating-list" }, d.ratings.map((r) => h("li", {},
          r.side === "achievement" ? "成果方" : "需求方", "：", h("span", { class: "stars-shown", "aria-label": `${r.stars} 星` }, "★".repeat(r.stars) + "☆".repeat(5 - r.stars)),
          r.comment ? ` — ${r.comment}` : "", " ", h("span", { class: "muted" }, time(r.at)))))) : null,
      contestSection(d, act, nameOf),
      h("section", { "aria-labelledby": "deal-contacts" }, h("h2", { id: "deal-contacts" }, "联系方式"),
        d.contacts
          ? h("dl", { class: "facts" },
            h("dt", {}, "成果方"), h("dd", {}, contactText(d.contacts.achievement)),
            h("dt", {}, "需求方"), h("dd", {}, contactText(d.contacts.demand)))
          : h("p", { class: "muted" }, "双方均表达意向后，联系方式对双方及负责的经纪人可见。")),
      h("section", { "aria-labelledby": "deal-trail" }, h("h2", { id: "deal-trail" }, "过程记录"),
        h("ol", { class: "trail" }, d.trail.map((e) => h("li", {}, h("span", { class: "muted" }, time(e.at)), " ",
          nameOf(e.actor), "：", label(dealActions, e.action), e.to && e.action === "stage" ? `（${label(dealStages, e.to)}）` : "",
          e.note ? ` — ${e.note}` : "")))));
  };
  await render();
  return onEvent((e) => {
    if ((e.type === "DealUpdated" || e.type === "DealStale") && e.dealId === id) render();
  });
}

const contestOutcomes = { upheld: "已支持：该对接不再计入其信誉", rejected: "已驳回" };

/**
 * 信誉异议: a party (for its organization) or the leading broker (for themself) contests how this deal counts in their
 * 信誉, once; the center leading the deal decides, with a reason. Both on the trail; the server decides who may.
 */
function contestSection(d, act, nameOf) {
  const f = d.facts;
  const whose = (subject) => `${contestSubjects[subject]}（${nameOf(contestSubjectId(subject, { ...f, claimedBy: d.claimedBy }))}）`;
  const contests = d.contests ?? [];
  if (!contests.length && !d.mayContestAs) return null;
  const decide = (c, upheld) => async () => {
    const note = await confirmAction({
      title: upheld ? "支持异议" : "驳回异议", confirm: upheld ? "确认支持" : "确认驳回", reason: "审核意见",
      lines: [`${whose(c.subject)}：${c.reason}`, upheld ? "支持后，该对接不再计入其信誉评级；决定记入过程记录，不能更改。" : "驳回后，该对接照常计入其信誉评级；决定记入过程记录，不能更改。"],
    });
    if (note) await act(`contests/${c.subject}/decision`, { upheld, note })();
  };
  return h("section", { "aria-labelledby": "deal-contests", id: "deal-contest-section" }, h("h2", { id: "deal-contests" }, "信誉异议"),
    contests.length ? h("ul", { class: "trail", id: "deal-contest-list" }, contests.map((c) => h("li", { dataset: { subject: c.subject } },
      h("strong", {}, whose(c.subject)), "：", c.reason, " ", h("span", { class: "muted" }, time(c.filedAt)), " — ",
      c.outcome ? h("span", { class: "contest-outcome" }, `${contestOutcomes[c.outcome]}（${nameOf(c.decidedBy)}：${c.decisionNote}）`)
        : d.mayDecideContests ? h("span", { class: "actions" },
          h("button", { type: "button", class: "primary", onclick: decide(c, true) }, "支持异议"),
          h("button", { type: "button", onclick: decide(c, false) }, "驳回异议"))
        : h("span", { class: "muted" }, "待区域服务中心审核")))) : null,
    d.mayContestAs ? [
      h("p", { class: "muted" }, "如认为这次对接不应计入您的信誉记录（例如终止原因不在您方），可提出一次异议，由牵头的区域服务中心审核。"),
      h("button", { type: "button", id: "contest-button", onclick: async () => {
        const reason = await confirmAction({
          title: "对信誉记录提出异议", confirm: "提交异议", reason: "异议理由",
          lines: [`${f.achievementTitle} ↔ ${f.demandTitle}`, "每条对接记录只能申诉一次；提交后记入过程记录，双方和区域服务中心可见。"],
        });
        if (reason) await act("contests", { reason })();
      } }, "提出异议")] : null);
}

const gap = () => h("span", { class: "gap" });

const contactText = (c) => (c ? [c.name, c.phone, c.email].filter(Boolean).join("　") : "—");

/** A party's rating of the leading broker once the deal is over: once, final; the server decides whether it may. */
function ratingForm(id, done, brokerName) {
  const errors = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "panel editor", novalidate: true, "aria-labelledby": "rating-title", id: "rating-form", onsubmit: async (e) => {
    e.preventDefault();
    errors.textContent = "";
    const data = Object.fromEntries(new FormData(form));
    if (!data.stars) {
      errors.textContent = "请选择 1–5 星";
      return;
    }
    const sure = await confirmAction({ title: "提交评价", confirm: "确认提交",
      lines: [`经纪人：${brokerName}　评分：${data.stars} 星`, "评价提交后不能修改，计入该经纪人的信誉记录，区域服务中心可见。"] });
    if (!sure) return;
    try {
      await api(`/api/deals/${id}/rating`, { method: "POST", body: { stars: Number(data.stars), comment: data.comment || null } });
      toast("评价已提交");
      await done();
    } catch (err) {
      errors.textContent = err instanceof ApiError ? err.problem.detailZh ?? err.message : String(err);
    }
  } },
  h("h2", { id: "rating-title" }, "评价经纪服务"),
  h("p", { class: "muted" }, `本次对接已结束。请为牵头经纪人 ${brokerName} 的服务打分（每方一次）。`),
  h("fieldset", { class: "stars" }, h("legend", {}, "评分"),
    [1, 2, 3, 4, 5].map((n) => h("label", {}, h("input", { type: "radio", name: "stars", value: n }), `${n} 星`))),
  h("label", { class: "field" }, h("span", {}, "评价内容（选填）"), h("textarea", { name: "comment", maxlength: 500, rows: 3 })),
  errors,
  h("button", { class: "primary" }, "提交评价"));
  return form;
}

/**
 * 技术合同认定登记: the server validates; its messages appear under the fields. With `own`, the seller registers a
 * contract signed outside the deal flow (POST own-contract): the form says which broker it will be attributed to and
 * asks the seller to confirm that.
 */
function contractForm(id, done, supplier, buyer, own) {
  const errors = h("p", { class: "error", role: "alert" });
  const broker = own?.attribution ? `${own.nameOf(own.attribution.broker)}（${own.nameOf(own.attribution.region)}）` : null;
  const form = h("form", { class: "panel editor", novalidate: true, "aria-labelledby": "contract-title", onsubmit: async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const number = (v) => (v === "" ? null : Number(v));
    const sure = await confirmAction({
      title: "确认技术合同认定登记", amount: `合同金额 ${data.contractAmount === "" ? "—" : amount(Number(data.contractAmount))}`, confirm: "确认登记",
      lines: [`其中技术交易额：${data.techTransactionAmount === "" ? "—" : amount(Number(data.techTransactionAmount))}`,
        `卖方：${data.seller || "—"}　买方：${data.buyer || "—"}　签订日期：${data.signingDate || "—"}`,
        broker ? `本合同归属居间经纪人：${broker}，该经纪人将收到通知。` : null,
        "登记后对接即完成，不可撤销；合同计入全国技术交易指数，双方和区域服务中心将收到通知。"].filter(Boolean),
    });
    if (!sure) return;
    try {
      await api(`/api/deals/${id}/${own ? "own-contract" : "contract"}`, { method: "POST", body: {
        type: data.type || null, contractAmount: number(data.contractAmount), techTransactionAmount: number(data.techTransactionAmount),
        seller: data.seller, buyer: data.buyer, signingDate: data.signingDate || null, note: data.note || null,
        ...(own ? { acknowledgeBroker: data.acknowledgeBroker === "on" } : {}),
      } });
      toast("合同已登记");
      await done();
    } catch (err) {
      errors.textContent = err instanceof ApiError ? err.zh : String(err);
    }
  } },
  h("h2", { id: "contract-title" }, own ? "自行登记技术合同" : "技术合同认定登记"),
  own ? h("p", { class: "muted" }, "双方在本平台对接后自行签订了合同？由成果方（卖方）在此登记。") : null,
  broker ? h("p", { id: "contract-attribution" }, `双方由经纪人 ${broker} 于 ${time(own.attribution.claimedAt)} 居间对接；`,
    `${time(own.attribution.until)} 前登记的合同归属该经纪人，登记后将通知该经纪人。`) : null,
  h("label", { class: "field" }, h("span", {}, "合同类型"), h("select", { name: "type" }, options(contractTypes, "", "请选择"))),
  h("label", { class: "field" }, h("span", {}, "合同金额（万元）"), h("input", { name: "contractAmount", type: "number", min: 0, step: "any" })),
  h("label", { class: "field" }, h("span", {}, "其中技术交易额（万元）"), h("input", { name: "techTransactionAmount", type: "number", min: 0, step: "any" })),
  h("label", { class: "field" }, h("span", {}, "卖方（技术提供方）"), h("input", { name: "seller", maxlength: 100, value: supplier === "—" ? "" : supplier })),
  h("label", { class: "field" }, h("span", {}, "买方（技术受让方）"), h("input", { name: "buyer", maxlength: 100, value: buyer === "—" ? "" : buyer })),
  h("label", { class: "field" }, h("span", {}, "签订日期"), h("input", { name: "signingDate", type: "date" })),
  h("label", { class: "field" }, h("span", {}, "备注"), h("input", { name: "note", maxlength: 500 })),
  broker ? h("label", { class: "check long" }, h("input", { type: "checkbox", name: "acknowledgeBroker", id: "acknowledge-broker" }),
    ` 确认双方经 ${broker} 居间对接，本合同归属该经纪人`) : null,
  errors,
  h("button", { class: "primary" }, "登记合同"));
  return form;
}
