// 机构成员: who belongs to an organization, with names and roles; its admin adds colleagues and resets passwords.
// Temporary passwords come back from the server once and are shown here once, to be passed on in person.
import { api, ApiError } from "../api.js";
import { confirmAction, fill, h, time, toast } from "../dom.js";
import { roles } from "../labels.js";
import { formField, showFieldErrors } from "./join.js";

const PageSize = 20;

export async function members({ view, match, params, me }, flash = null) {
  const id = match[1];
  if (!me) {
    location.hash = `#/login?next=${encodeURIComponent(location.hash)}`;
    return;
  }
  const page = Math.max(1, Number(params.get("page")) || 1);
  let org, list;
  try {
    [org, list] = await Promise.all([api(`/api/organizations/${id}`), api(`/api/organizations/${id}/members?page=${page}&size=${PageSize}`)]);
  } catch (e) {
    if (e.status === 403 || e.status === 404) {
      fill(view, h("h1", { tabindex: -1 }, "机构成员"), h("p", {}, "只有本机构成员、负责审核的区域服务中心和火炬中心可以查看成员。"));
      return;
    }
    throw e;
  }
  const national = me.role === "NationalAdmin";
  const ownAdmin = me.role === "OrganizationAdmin" && me.organizationId === id;
  const reviewer = me.role === "CenterAdmin" && me.regionCode && org.reviewingCenter?.code === me.regionCode;
  const mayReset = (m) => m.accountId !== me.accountId
    && (national || (ownAdmin && (m.role === "Member" || m.role === "OrganizationAdmin")) || (reviewer && m.role === "OrganizationAdmin"));
  const admitted = org.standing === "Registered" || org.standing === "Approved";
  const secret = h("div", { id: "secret", "aria-live": "polite" });

  /** The one time a temporary password is visible. */
  const showSecret = (who, account, password, what) => fill(secret, h("div", { class: "panel secret", role: "status" },
    h("p", {}, `${what}：${who}（账号 `, h("code", {}, account), "）"),
    h("p", {}, what === "已添加成员" ? "初始密码：" : "临时密码：", h("code", { class: "password", id: "temporary-password" }, password)),
    h("p", { class: "muted small" }, "该密码只显示这一次，请当面或通过可信渠道转交本人。对方首次登录时须设置新密码。"),
    h("button", { type: "button", onclick: () => fill(secret) }, "已转交，关闭")));

  const reset = async (m) => {
    const ok = await confirmAction({
      title: "重置密码",
      lines: [`将为「${m.displayName}」（${roles[m.role] ?? m.role}）生成临时密码。`, "其在所有设备上的登录立即失效；对方须用临时密码登录并设置新密码。"],
      confirm: "重置密码",
    });
    if (!ok) return;
    try {
      const result = await api(`/api/organizations/${id}/members/${m.accountId}/password-reset`, { method: "POST" });
      await members({ view, match, params, me }, { what: "已重置密码", who: result.displayName, account: m.account, password: result.temporaryPassword });
    } catch (err) {
      toast(err.message ?? String(err), "error");
    }
  };

  const rows = list.items.map((m) => h("tr", { dataset: { account: m.account } },
    h("td", {}, m.displayName, m.accountId === me.accountId ? h("span", { class: "muted" }, "（我）") : null),
    h("td", {}, h("code", {}, m.account)),
    h("td", {}, roles[m.role] ?? m.role),
    h("td", {}, m.mustChangePassword ? h("span", { class: "status status-Draft" }, "待修改临时密码") : "正常"),
    h("td", { class: "muted" }, time(m.createdAt)),
    h("td", {}, mayReset(m) ? h("button", { type: "button", class: "small", onclick: () => reset(m) }, "重置密码") : null)));

  const pages = Math.max(1, Math.ceil(list.total / PageSize));
  const pager = pages > 1 ? h("nav", { class: "pager", "aria-label": "成员分页" },
    page > 1 ? h("a", { href: `#/organizations/${id}/members?page=${page - 1}` }, "← 上一页") : null,
    h("span", {}, `第 ${page} / ${pages} 页`),
    page < pages ? h("a", { href: `#/organizations/${id}/members?page=${page + 1}` }, "下一页 →") : null) : null;

  let addForm = null;
  if (national || ownAdmin) {
    const summary = h("p", { class: "error", role: "alert" });
    addForm = h("form", { class: "panel editor", novalidate: true, id: "add-member", onsubmit: async (e) => {
      e.preventDefault();
      summary.textContent = "";
      const data = Object.fromEntries(new FormData(addForm));
      try {
        const created = await api(`/api/organizations/${id}/accounts`, { method: "POST", body: data });
        // The list again, with the new member in it and the initial password shown once above it.
        await members({ view, match, params, me }, { what: "已添加成员", who: created.displayName, account: created.account, password: created.temporaryPassword });
      } catch (err) {
        if (!showFieldErrors(addForm, err)) summary.textContent = err instanceof ApiError && err.status === 409 ? "该登录账号已被使用，请换一个。" : (err.message ?? String(err));
      }
    } },
    h("h2", { id: "add-title" }, "添加成员"),
    admitted ? null : h("p", { class: "hint" }, "机构通过认证后才能添加成员。"),
    formField("account", "登录账号", h("input", { required: true, maxlength: 64, autocapitalize: "none", autocomplete: "off" }), "3–64 位字母、数字或 . _ -"),
    formField("displayName", "姓名", h("input", { required: true, maxlength: 50, autocomplete: "off" })),
    formField("role", "角色", h("select", { required: true }, h("option", { value: "Member" }, roles.Member), h("option", { value: "OrganizationAdmin" }, roles.OrganizationAdmin))),
    h("p", { class: "muted small" }, "初始密码由系统生成，添加后显示一次。"),
    summary,
    h("button", { class: "primary", disabled: !admitted }, "添加成员"));
  }

  fill(view,
    h("p", { class: "crumbs" }, h("a", { href: `#/organizations/${id}` }, org.name), " › 机构成员"),
    h("h1", { tabindex: -1 }, `机构成员（${list.total}）`),
    secret,
    h("div", { class: "table-wrap" }, h("table", { class: "table", id: "members" },
      h("caption", { class: "sr-only" }, `${org.name}的成员`),
      h("thead", {}, h("tr", {}, ["姓名", "账号", "角色", "状态", "加入时间", "操作"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows))),
    pager,
    addForm);
  if (flash) {
    showSecret(flash.who, flash.account, flash.password, flash.what);
    secret.querySelector("button").focus();
  }
}
