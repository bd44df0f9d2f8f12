// 入驻审核: a center admin decides the applications to join of its region's provinces (the national level: all),
// newest first, paged. Approval verifies the organization; a rejection says why, and the applicant reads it.
import { api } from "../api.js";
import { confirmAction, fill, h, time, toast } from "../dom.js";
import { organizationKinds } from "../labels.js";

const PageSize = 20;
const tabs = { Pending: "待审核", Approved: "已通过", Rejected: "已驳回" };

export async function applications({ view, params, me }) {
  if (!me || !(me.role === "CenterAdmin" || me.role === "NationalAdmin")) {
    fill(view, h("h1", { tabindex: -1 }, "入驻审核"), h("p", {}, "仅区域服务中心管理员和火炬中心管理员可以审核机构入驻申请。"));
    return;
  }
  const status = tabs[params.get("status")] ? params.get("status") : "Pending";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const list = await api(`/api/organizations/applications?status=${status}&page=${page}&size=${PageSize}`);
  const href = (s, p = 1) => `#/applications?status=${s}&page=${p}`;
  const rerender = () => applications({ view, params, me });

  const decide = async (a, verified) => {
    const kind = organizationKinds[a.kind] ?? a.kind;
    const answer = verified
      ? await confirmAction({ title: "通过入驻申请", lines: [`「${a.name}」（${kind}，${a.province}）`, "通过后该机构即为已认证机构：可以发布成果与需求、参与交易，其管理员可以添加成员。"], confirm: "通过认证" })
      : await confirmAction({ title: "驳回入驻申请", lines: [`「${a.name}」（${kind}，${a.province}）`, "申请人登录后会看到驳回原因。"], confirm: "驳回", reason: "驳回原因" });
    if (!answer) return;
    try {
      await api(`/api/organizations/${a.organizationId}/verification`, { method: "POST", body: verified ? { verified: true } : { verified: false, reason: answer } });
      toast(verified ? `已通过：${a.name}` : `已驳回：${a.name}`);
      await rerender();
    } catch (err) {
      toast(err.message ?? String(err), "error");
    }
  };

  const card = (a) => h("li", { class: "card application", dataset: { organization: a.organizationId } },
    h("a", { class: "title", href: `#/organizations/${a.organizationId}` }, a.name),
    h("div", { class: "meta" },
      h("span", {}, organizationKinds[a.kind] ?? a.kind), h("span", {}, a.province),
      h("span", {}, "联系：", [a.phone, a.email].filter(Boolean).join("　")),
      h("span", {}, "申请时间：", time(a.appliedAt))),
    a.status === "Rejected" ? h("p", { class: "small" }, `驳回原因：${a.reason ?? ""}（${time(a.decidedAt)}）`) : null,
    a.status === "Approved" ? h("p", { class: "small muted" }, `已于 ${time(a.decidedAt)} 通过`) : null,
    a.status === "Pending" ? h("div", { class: "actions" },
      h("button", { type: "button", class: "primary", onclick: () => decide(a, true) }, "通过认证"),
      h("button", { type: "button", onclick: () => decide(a, false) }, "驳回")) : null);

  const pages = Math.max(1, Math.ceil(list.total / PageSize));
  fill(view,
    h("h1", { tabindex: -1 }, "机构入驻审核"),
    h("p", { class: "lead" }, me.role === "NationalAdmin" ? "全国各区域的机构入驻申请。" : "本区域各省份的机构入驻申请，按提交时间由新到旧。"),
    h("nav", { class: "tabs", "aria-label": "申请状态" }, Object.entries(tabs).map(([s, text]) =>
      h("a", { href: href(s), class: "button small", "aria-current": s === status ? "page" : null }, text))),
    h("p", { class: "muted", id: "applications-total" }, `共 ${list.total} 条`),
    list.items.length ? h("ol", { class: "cards", id: "applications" }, list.items.map(card)) : h("p", { class: "muted" }, "暂无申请。"),
    pages > 1 ? h("nav", { class: "pager", "aria-label": "申请分页" },
      page > 1 ? h("a", { href: href(status, page - 1) }, "← 上一页") : null,
      h("span", {}, `第 ${page} / ${pages} 页`),
      page < pages ? h("a", { href: href(status, page + 1) }, "下一页 →") : null) : null);
}
