import { api, ApiError } from "../api.js";
import { amount, confirmAction, fill, h, marked, time, toast, validUntil } from "../dom.js";
import { ipRightKinds, label, techFields, transferModes } from "../labels.js";
import { onEvent, publishing } from "../live.js";
import { may, session } from "../session.js";
import { matchCard, statusBadge } from "./common.js";
import { completenessSection } from "./completeness.js";
import { evaluationSection } from "./evaluation.js";
import { valuationPanel } from "./valuation.js";

/** One listing: everything public, the contact when the server shows it, its matches, and the owner's actions. */
export async function detail({ view, match, params }) {
  const [, path, id] = match;
  const isAchievement = path === "achievements";
  let listing;
  try {
    listing = await api(`/api/${path}/${id}`);
  } catch (e) {
    if (e.status === 404) {
      fill(view, h("h1", { tabindex: -1 }, "未找到"), h("p", {}, "该成果或需求不存在，或尚未公开。"));
      return;
    }
    throw e;
  }
  const terms = (params.get("hl") ?? "").split(/\s+/).filter((t) => t.length > 1);
  const me = session.me;
  const owner = me && (me.organizationId === listing.ownerOrganizationId || me.role === "NationalAdmin");

  const act = async (action, confirmText) => {
    if (confirmText && !confirm(confirmText)) return;
    try {
      if (action === "publish") publishing(id);
      const answer = await api(`/api/${path}/${id}/${action}`, { method: "POST" });
      toast(action === "publish" ? `已发布。${answer.matching?.zh ?? ""}` : "已下架");
      await detail({ view, match, params });
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), "error");
    }
  };

  const facts = isAchievement
    ? [["技术领域", label(techFields, listing.techField)], ["技术成熟度", `TRL ${listing.trl}`], ["转化方式", listing.transferModes.map((m) => label(transferModes, m)).join("、")],
      ["挂牌价", amount(listing.askingPrice)], ["所在省份", listing.province],
      ["知识产权", listing.ipRights.length ? listing.ipRights.map((r) => `${label(ipRightKinds, r.kind)} ${r.number}`).join("；") : "—"]]
    : [["技术领域", label(techFields, listing.techField)], ["最低技术成熟度", `TRL ${listing.minTrl}`],
      ["预算", listing.budgetMax ? `${listing.budgetMin ?? 0}–${listing.budgetMax} 万元` : "面议"], ["所在省份", listing.province], ["截止日期", listing.deadline]];
  facts.unshift(["发布机构", h("a", { href: `#/organizations/${listing.ownerOrganizationId}`, id: "publisher" }, listing.names?.[listing.ownerOrganizationId] ?? "发布机构")]);
  facts.push(["发布时间", time(listing.publishedAt) || "未发布"], ["更新时间", time(listing.updatedAt)]);
  if (listing.expiresAt) facts.push(["有效期至", h("span", { id: "valid-until" }, validUntil(listing.expiresAt),
    listing.status === "Expired" ? "（已过期，已退出检索与匹配）" : listing.status === "Archived" ? "（已过期两年，已归档，仅供查阅）"
      : listing.renewed ? "（已续期）" : "")]);

  // 续期: once, by the owner's organization, while published or after expiry; the dialog states the new date.
  const renew = async () => {
    const year = validUntil(new Date(Date.now() + 365 * 86400_000).toISOString());
    const until = isAchievement || year <= listing.deadline ? year : listing.deadline;
    const ok = await confirmAction({
      title: "确认续期",
      lines: [`续期后有效期至 ${until}（自今日起一年${isAchievement ? "" : "，且不晚于需求截止日期"}）。`,
        listing.status === "Expired" ? "该发布将重新进入检索、匹配和交易大厅。" : "原有效期不再保留。", "每条发布只能续期一次，续期后不能撤销。"],
      confirm: "续期",
    });
    if (!ok) return;
    try {
      const answer = await api(`/api/${path}/${id}/renew`, { method: "POST" });
      toast(`已续期，有效期至 ${validUntil(answer.expiresAt)}`);
      await detail({ view, match, params });
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), "error");
    }
  };
  const mayRenew = me?.organizationId === listing.ownerOrganizationId && !listing.renewed && (listing.status === "Published" || listing.status === "Expired");

  const matches = h("div", { id: "matches", "aria-live": "polite" });
  const loadMatches = async () => {
    const found = await api(`/api/${path}/${id}/matches`);
    fill(matches, ...(found.length ? found.map((m) => matchCard(m)) : [h("p", { class: "muted" }, listing.status === "Published" ? `暂无匹配，有新${isAchievement ? "需求" : "成果"}时会通知您。` : listing.status === "Expired" ? "已过期，不再参与匹配；续期后重新匹配。" : "发布后开始匹配。")]));
  };

  fill(view,
    h("p", { class: "crumbs" }, h("a", { href: "#/search" }, "搜索"), " › ", isAchievement ? "科技成果" : "技术需求"),
    h("h1", { tabindex: -1 }, marked(listing.title, terms), " ", statusBadge(listing.status)),
    owner ? h("div", { class: "actions" },
      h("a", { class: "button", href: `#/${path}/${id}/edit` }, "编辑"),
      listing.status === "Draft" ? h("button", { type: "button", class: "primary", onclick: () => act("publish") }, "发布") : null,
      mayRenew ? h("button", { type: "button", id: "renew", class: listing.status === "Expired" ? "primary" : "", onclick: renew }, "续期") : null,
      listing.status === "Published" ? h("button", { type: "button", onclick: () => act(isAchievement ? "withdraw" : "close", "确定下架？下架后不再参与匹配。") }, isAchievement ? "撤回" : "关闭需求") : null,
      // Trading: the owner's members take a published listing to market (the form says if it already is).
      listing.status === "Published" && me.organizationId === listing.ownerOrganizationId
        ? (isAchievement
          ? [h("a", { class: "button", href: `#/achievements/${id}/fixed-price-listings/new` }, "发起挂牌"),
            h("a", { class: "button", href: `#/achievements/${id}/auctions/new` }, "发起拍卖")]
          : h("a", { class: "button", href: `#/demands/${id}/tenders/new` }, "发起招标"))
        : null) : null,
    h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("section", { "aria-labelledby": "body-title" },
      h("h2", { id: "body-title" }, isAchievement ? "成果简介" : "需求描述"),
      h("p", { class: "prose" }, marked(isAchievement ? listing.summary : listing.description, terms)),
      h("p", { class: "chips-inline" }, "关键词：", listing.keywords.map((k) => h("span", { class: "chip" }, marked(k, terms))))),
    // 信息完整度: the owner sees what a buyer still misses, with the edit link beside it.
    owner && isAchievement && listing.completeness && listing.completeness.score < listing.completeness.of
      ? h("div", { class: "panel" }, completenessSection(listing.completeness), h("a", { href: `#/achievements/${id}/edit` }, "补充信息 →"))
      : null,
    // 评估报价: the owner, brokers and the national level (the server decides; the panel removes itself on 403).
    owner || may.broker(me) ? valuationPanel(path, id) : null,
    // 科技成果评价: published evaluations for everyone; the achievement's center starts one.
    isAchievement ? evaluationSection(id, listing) : null,
    h("section", { "aria-labelledby": "contact-title" },
      h("h2", { id: "contact-title" }, "联系方式"),
      listing.contact
        ? h("p", {}, `${listing.contact.name}　${listing.contact.phone ?? ""}　${listing.contact.email ?? ""}`)
        : h("p", { class: "muted" }, "联系方式仅在双方均表达意向后可见。")),
    h("section", { "aria-labelledby": "matches-title" }, h("h2", { id: "matches-title" }, "匹配结果"), matches));
  await loadMatches();
  // A new match for this listing appears without reload.
  return onEvent((e) => {
    if (e.type === "MatchFound" && (e.achievementId === id || e.demandId === id)) loadMatches();
  });
}
