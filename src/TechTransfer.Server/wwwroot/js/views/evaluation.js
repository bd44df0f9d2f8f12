import { api, ApiError } from "../api.js";
import { confirmAction, fill, h, time, toast } from "../dom.js";
import { advancementGrades, hardTechIndicators, innovationGrades, label, trlLevels } from "../labels.js";
import { may, session } from "../session.js";

/**
 * 科技成果评价 (issue 19 item 4): a center invites expert reviewers, each signs one review that never changes, and the
 * center publishes the summary. The page offers each person what the server says they may do (mayReview, mayManage).
 */
export async function evaluation({ view, match }) {
  const id = match[1];
  const render = async () => {
    let e;
    try {
      e = await api(`/api/evaluations/${id}`);
    } catch (err) {
      if (err.status !== 404) throw err;
      fill(view, h("h1", { tabindex: -1 }, "未找到"), h("p", {}, "该评价不存在，或尚未公布。"));
      return;
    }
    const nameOf = (x) => e.names?.[x] ?? "—";
    fill(view,
      h("h1", { tabindex: -1 }, "科技成果评价"),
      h("p", {}, h("span", { class: "tag" }, "成果"), " ", h("a", { href: `#/achievements/${e.achievementId}` }, e.achievementTitle)),
      h("dl", { class: "facts" },
        h("dt", {}, "评价机构"), h("dd", {}, nameOf(e.region)),
        h("dt", {}, "成果完成单位"), h("dd", {}, nameOf(e.ownerOrganizationId)),
        h("dt", {}, "状态"), h("dd", { id: "evaluation-status" }, e.status === "Published" ? `已公布（${time(e.summary.publishedAt)}）` : "评审中"),
        h("dt", {}, "发起"), h("dd", {}, `${nameOf(e.startedBy)}　${time(e.startedAt)}`),
        h("dt", {}, "评审专家"), h("dd", { id: "evaluation-reviewers" }, e.reviewers.map((r, i) =>
          [i ? "、" : "", nameOf(r), e.reviewed.includes(r) ? "（已签署）" : "（待评审）"]))),
      e.summary ? summarySection(e.summary, nameOf) : null,
      e.mayReview ? reviewForm(id, render) : null,
      e.reviews.length ? h("section", { "aria-labelledby": "reviews-title" },
        h("h2", { id: "reviews-title" }, e.status === "Published" ? "专家评审意见" : "已签署的评审意见"),
        h("ol", { class: "cards", id: "review-list" }, e.reviews.map((r) => reviewCard(r, nameOf)))) : null,
      e.mayManage ? manageSection(id, e, render) : null);
  };
  await render();
}

function summarySection(s, nameOf) {
  return h("section", { class: "panel", id: "evaluation-summary", "aria-labelledby": "summary-title" },
    h("h2", { id: "summary-title" }, "评价结论"),
    h("dl", { class: "facts" },
      h("dt", {}, "技术成熟度"), h("dd", {}, label(trlLevels, String(s.trl))),
      h("dt", {}, "技术创新度"), h("dd", {}, label(innovationGrades, s.innovation)),
      h("dt", {}, "技术先进度"), h("dd", {}, label(advancementGrades, s.advancement)),
      h("dt", {}, "硬科技属性"), h("dd", {}, s.hardTech.length ? s.hardTech.map((x) => label(hardTechIndicators, x)).join("、") : "—")),
    h("p", { class: "prose" }, s.statement),
    h("p", { class: "muted" }, `依据 ${s.reviews} 份签署的专家意见（取中位数；意见不一时取较审慎者）。${nameOf(s.publishedBy)} 公布于 ${time(s.publishedAt)}。`));
}

function reviewCard(r, nameOf) {
  const c = r.content;
  return h("li", { class: "card", dataset: { reviewer: r.reviewer } },
    h("strong", {}, nameOf(r.reviewer)), " ", h("span", { class: "muted" }, `签署于 ${time(r.signedAt)}`),
    h("div", { class: "meta" }, h("span", {}, `成熟度 ${c.trl} 级`), h("span", {}, label(innovationGrades, c.innovation)),
      h("span", {}, label(advancementGrades, c.advancement)),
      c.hardTech.length ? h("span", {}, c.hardTech.map((x) => label(hardTechIndicators, x)).join("、")) : null),
    h("p", {}, "成熟度依据：", c.trlEvidence.join("；")),
    h("p", { class: "prose" }, c.comment),
    // The digest lets anyone check that the review shown is the one signed.
    h("p", { class: "muted digest" }, "签名摘要（SHA-256）：", h("code", {}, r.digest)));
}

/** The reviewer's form: signed on submission and final, so a dialog says so first. */
function reviewForm(id, done) {
  const errors = h("p", { class: "error", role: "alert" });
  const radios = (name, labels) => h("fieldset", { class: "field" }, h("legend", {}, name === "innovation" ? "技术创新度" : "技术先进度"),
    Object.entries(labels).map(([code, text]) => h("label", { class: "check" }, h("input", { type: "radio", name, value: code }), ` ${text}`)));
  const form = h("form", { class: "panel editor", id: "review-form", novalidate: true, "aria-labelledby": "review-title", onsubmit: async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const body = {
      trl: data.get("trl") ? Number(data.get("trl")) : null,
      trlEvidence: String(data.get("trlEvidence") ?? "").split("\n").map((x) => x.trim()).filter(Boolean),
      innovation: data.get("innovation"), advancement: data.get("advancement"), hardTech: data.getAll("hardTech"),
      comment: data.get("comment"),
    };
    const sure = await confirmAction({
      title: "签署评审意见", confirm: "签署提交",
      lines: [`技术成熟度：${body.trl ?? "—"} 级`, "签署后意见不能修改；评价公布前，其他专家和成果完成单位看不到您的意见。"],
    });
    if (!sure) return;
    try {
      await api(`/api/evaluations/${id}/reviews`, { method: "POST", body });
      toast("评审意见已签署");
      await done();
    } catch (err) {
      errors.textContent = err instanceof ApiError ? err.zh : String(err);
    }
  } },
  h("h2", { id: "review-title" }, "我的评审意见"),
  h("label", { class: "field" }, h("span", {}, "技术成熟度（GB/T 22900）"),
    h("select", { name: "trl" }, h("option", { value: "" }, "请选择"), Object.entries(trlLevels).map(([v, t]) => h("option", { value: v }, t)))),
  h("label", { class: "field" }, h("span", {}, "成熟度依据（每行一项，如检测报告、中试记录）"), h("textarea", { name: "trlEvidence", rows: 3 })),
  radios("innovation", innovationGrades),
  radios("advancement", advancementGrades),
  h("fieldset", { class: "field" }, h("legend", {}, "硬科技属性（可多选）"),
    Object.entries(hardTechIndicators).map(([code, text]) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "hardTech", value: code }), ` ${text}`))),
  h("label", { class: "field" }, h("span", {}, "评审意见"), h("textarea", { name: "comment", rows: 4, maxlength: 2000 })),
  errors,
  h("button", { class: "primary" }, "签署并提交"));
  return form;
}

/** The center: invite one more reviewer, and publish once reviews are in. */
function manageSection(id, e, done) {
  const errors = h("p", { class: "error", role: "alert" });
  const problem = (err) => (err instanceof ApiError ? err.zh : String(err));
  const account = h("input", { id: "invite-account", maxlength: 64, autocomplete: "off" });
  const statement = h("textarea", { id: "publish-statement", rows: 4, maxlength: 2000 });
  return h("section", { class: "panel", id: "evaluation-manage", "aria-labelledby": "manage-title" },
    h("h2", { id: "manage-title" }, "组织评价"),
    h("label", { class: "field", for: "invite-account" }, h("span", {}, "邀请评审专家（登录账号）"), account),
    h("button", { type: "button", onclick: async () => {
      try {
        await api(`/api/evaluations/${id}/reviewers`, { method: "POST", body: { account: account.value } });
        toast("已邀请，专家将收到通知");
        await done();
      } catch (err) {
        errors.textContent = problem(err);
      }
    } }, "邀请"),
    h("label", { class: "field", for: "publish-statement" }, h("span", {}, "评价结论")), statement,
    e.reviews.length === 0 ? h("p", { class: "muted" }, "至少一位专家签署意见后才能公布。") : null,
    errors,
    h("button", { type: "button", class: "primary", disabled: e.reviews.length === 0, onclick: async () => {
      const sure = await confirmAction({
        title: "公布评价结论", confirm: "确认公布",
        lines: [`依据 ${e.reviews.length} 份已签署的意见（共邀请 ${e.reviewers.length} 位）。`, "公布后评价不能再修改，未签署的专家不能再提交意见；成果页面将展示评价结论。"],
      });
      if (!sure) return;
      try {
        await api(`/api/evaluations/${id}/publish`, { method: "POST", body: { statement: statement.value } });
        toast("评价已公布");
        await done();
      } catch (err) {
        errors.textContent = problem(err);
      }
    } }, "公布评价"));
}

/** 我的评审: the evaluations I am invited to, the open ones I have not signed first. */
export async function evaluations({ view }) {
  if (!session.me) {
    location.hash = "#/login?next=%23%2Fevaluations";
    return;
  }
  const page = await api("/api/evaluations/invitations");
  fill(view, h("h1", { tabindex: -1 }, "我的评审"),
    page.items.length === 0 ? h("p", { class: "muted" }, "暂无评审邀请。区域服务中心邀请您评审科技成果时，会出现在这里并通知您。") : null,
    h("ol", { class: "cards", id: "invitations" }, page.items.map((r) => h("li", { class: "card" },
      h("a", { href: `#/evaluations/${r.id}` }, r.achievementTitle), " ",
      h("span", { class: "tag" }, r.status === "Published" ? "已公布" : r.reviewed ? "已签署" : "待评审"),
      h("div", { class: "meta" }, h("span", {}, page.names?.[r.region] ?? "—"), h("span", { class: "muted" }, `邀请于 ${time(r.startedAt)}`))))));
}

/**
 * The achievement page's 科技成果评价: the published evaluations for everyone, the open ones for those involved, and
 * for the achievement's center a way to start one (reviewers by their sign-in names).
 */
export function evaluationSection(achievementId, listing) {
  const me = session.me;
  const section = h("section", { id: "evaluations", "aria-labelledby": "evaluations-title" }, h("h2", { id: "evaluations-title" }, "科技成果评价"));
  const staff = may.broker(me) && me.regionCode === listing.regionCode || may.national(me);
  const load = async () => {
    const list = await api(`/api/achievements/${achievementId}/evaluations`);
    const nameOf = (x) => list.names?.[x] ?? "—";
    fill(section, h("h2", { id: "evaluations-title" }, "科技成果评价"),
      list.items.length === 0 ? h("p", { class: "muted" }, "尚无评价。") : null,
      list.items.map((e) => h("div", { class: "panel" },
        e.summary
          ? [h("p", {}, h("strong", {}, `技术成熟度 ${e.summary.trl} 级`), "　", label(innovationGrades, e.summary.innovation), "　",
            label(advancementGrades, e.summary.advancement)), h("p", { class: "prose" }, e.summary.statement)]
          : h("p", {}, `评审中：${e.reviewed.length} / ${e.reviewers.length} 位专家已签署`),
        h("p", { class: "muted" }, `${nameOf(e.region)}　`, h("a", { href: `#/evaluations/${e.id}` }, "查看评价 →")))),
      staff && listing.status === "Published" ? startForm(achievementId) : null);
  };
  load().catch((err) => fill(section, h("p", { class: "error" }, err instanceof ApiError ? err.message : String(err))));
  return section;
}

function startForm(achievementId) {
  const errors = h("p", { class: "error", role: "alert" });
  const reviewers = h("input", { id: "evaluation-reviewers-input", maxlength: 700, autocomplete: "off", placeholder: "如 expert-wang, expert-li" });
  return h("div", { class: "panel" },
    h("label", { class: "field", for: "evaluation-reviewers-input" }, h("span", {}, "邀请评审专家（登录账号，逗号分隔，1–9 位；不含成果完成单位的人员）"), reviewers),
    errors,
    h("button", { type: "button", class: "primary", onclick: async () => {
      try {
        const started = await api(`/api/achievements/${achievementId}/evaluations`, { method: "POST", body: {
          reviewers: reviewers.value.split(/[,，、\s]+/).filter(Boolean),
        } });
        location.hash = `#/evaluations/${started.id}`;
      } catch (err) {
        errors.textContent = err instanceof ApiError ? err.zh : String(err);
      }
    } }, "发起评价"));
}
