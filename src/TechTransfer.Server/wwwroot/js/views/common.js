// Pieces several views share: listing cards, match cards, status badges.
import { api } from "../api.js";
import { amount, h, highlighted, time, when } from "../dom.js";
import { label, statuses, techFields } from "../labels.js";

export const pathOf = (kind) => (kind === "achievement" || kind === "Achievement" ? "achievements" : "demands");

export function statusBadge(status) {
  return h("span", { class: `status status-${status}` }, label(statuses, status));
}

/** A listing as lists show it: linked title, field, province, TRL and price or budget. */
export function listingItem(listing, kind) {
  const isAchievement = kind === "achievement";
  const price = isAchievement ? amount(listing.askingPrice)
    : listing.budgetMax ? `预算 ${listing.budgetMin ?? 0}–${listing.budgetMax} 万元` : "预算面议";
  return h("li", { class: "card" },
    h("a", { class: "title", href: `#/${pathOf(kind)}/${listing.id}` }, listing.title),
    h("div", { class: "meta" },
      listing.status !== "Published" ? statusBadge(listing.status) : null,
      h("span", {}, label(techFields, listing.techField)),
      h("span", {}, listing.province),
      h("span", {}, isAchievement ? `TRL ${listing.trl}` : `TRL ≥ ${listing.minTrl}`),
      h("span", {}, price),
      h("span", { class: "muted" }, time(listing.updatedAt))));
}

/** A match with its score and why: shared terms, both sides highlighted, each criterion. */
export function matchCard(m, { live = false } = {}) {
  const e = m.explanation ?? {};
  return h("article", { class: `card match${live ? " fresh" : ""}`, "aria-label": `匹配 ${m.score} 分` },
    h("div", { class: "match-head" },
      h("span", { class: "score", title: "匹配度（0–100）" }, String(m.score), h("small", {}, " 分")),
      h("div", {},
        h("div", {}, h("span", { class: "tag" }, "成果"), " ", h("a", { href: `#/achievements/${m.achievementId}` }, m.achievementTitle),
          publisher(m.achievementPublisher ?? m.names?.[m.achievementOrganizationId], m.grades ? m.grades[m.achievementOrganizationId] : lateGrade(m.achievementOrganizationId))),
        h("div", {}, h("span", { class: "tag demand" }, "需求"), " ", h("a", { href: `#/demands/${m.demandId}` }, m.demandTitle),
          publisher(m.demandPublisher ?? m.names?.[m.demandOrganizationId], m.grades ? m.grades[m.demandOrganizationId] : lateGrade(m.demandOrganizationId))))),
    e.reason ? h("p", { class: "reason" }, e.reason) : null,
    e.matchedTerms?.length ? h("p", { class: "terms" }, "共同技术词：", e.matchedTerms.map((t) => h("mark", {}, t))) : null,
    h("details", {},
      h("summary", {}, "匹配依据"),
      h("p", { class: "snippet" }, h("strong", {}, "成果："), highlighted(e.achievementSnippet)),
      h("p", { class: "snippet" }, h("strong", {}, "需求："), highlighted(e.demandSnippet)),
      h("ul", { class: "criteria" }, (e.criteria ?? []).map((c) =>
        h("li", { class: c.held === true ? "held" : c.held === false ? "failed" : "na" },
          c.held === true ? "✓ " : c.held === false ? "✗ " : "— ", c.zh)))),
    h("p", { class: "muted small match-foot" }, when(m.at ?? m.createdAt),
      " · ", h("a", { href: `#/deals/${m.matchId ?? m.id}` }, "对接进度与意向 →")));
}

const publisher = (name, grade) => (name ? h("span", { class: "muted publisher" }, ` · ${name}`, grade instanceof Node ? grade : gradeChip(grade)) : null);

/**
 * A card pushed live names the organizations but not their grades (grading on the push path would cost every publish
 * a credit query per organization): a placeholder filled from one request for all cards rendered in the same moment,
 * remembered for the page's life.
 */
const knownGrades = new Map();
let waitingGrades = new Map();
function lateGrade(organizationId) {
  if (!organizationId) return null;
  if (knownGrades.has(organizationId)) return gradeChip(knownGrades.get(organizationId));
  const slot = h("span", { class: "grade-late" });
  if (!waitingGrades.has(organizationId)) waitingGrades.set(organizationId, []);
  waitingGrades.get(organizationId).push(slot);
  if (waitingGrades.size === 1 && waitingGrades.get(organizationId).length === 1) setTimeout(fetchGrades, 50);
  return slot;
}
async function fetchGrades() {
  const waiting = waitingGrades;
  waitingGrades = new Map();
  try {
    const { grades } = await api(`/api/organizations/grades?ids=${encodeURIComponent([...waiting.keys()].slice(0, 50).join(","))}`);
    for (const [id, slots] of waiting) {
      if (!(id in grades)) continue;
      knownGrades.set(id, grades[id]);
      for (const slot of slots) slot.replaceWith(gradeChip(grades[id]) ?? "");
    }
  } catch {
    // A grade is a courtesy beside the name; the card stands without it.
  }
}

/** An organization's 信誉 grade beside its name in a list (its page explains it); nothing while it is 新加入. */
export const gradeChip = (grade) => (["A", "B", "C", "D"].includes(grade)
  ? h("span", { class: `grade-chip grade-${grade}`, title: "信誉等级（详见机构主页）" }, `信誉 ${grade}`)
  : null);

export function field(labelText, control, hint) {
  return h("label", { class: "field" }, h("span", {}, labelText), control, hint ? h("small", { class: "muted" }, hint) : null);
}

export function options(map, selected, emptyText) {
  return [
    emptyText !== undefined ? h("option", { value: "" }, emptyText) : null,
    ...Object.entries(map).map(([value, text]) => h("option", { value, selected: value === String(selected ?? "") }, text)),
  ];
}

/**
 * Pages of a server-paged list ({ page, size, total }): 上一页 / 下一页 links to the same route with ?page=n (other
 * parameters kept), and where the reader is. The server caps how deep a list may be paged; so does this.
 */
export function pager({ page, size, total }, route, params, max = 1000) {
  const pages = Math.max(1, Math.ceil(Math.min(total, max) / size));
  const link = (n) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    return `#${route}?${next}`;
  };
  return h("nav", { class: "pager", "aria-label": "分页" },
    page > 1 ? h("a", { href: link(page - 1), rel: "prev" }, "‹ 上一页") : null,
    h("span", { class: "muted" }, `第 ${page} / ${pages} 页，共 ${total} 条`),
    page < pages ? h("a", { href: link(page + 1), rel: "next" }, "下一页 ›") : null);
}
