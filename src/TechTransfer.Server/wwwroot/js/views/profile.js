// 我的账号: who I am, my organization and where its application stands, my name (editable), my password.
// After a reset or an invitation the account signs in with a temporary password and this page asks for a new one
// before anything else (the server refuses everything else to such a sign-in).
import { api, ApiError } from "../api.js";
import { fill, h, time, toast } from "../dom.js";
import { organizationKinds, roles, standings } from "../labels.js";
import { session, signedIn } from "../session.js";
import { formField, showFieldErrors } from "./join.js";

const acknowledged = (me) => `tt.approved.${me.accountId}`;

/** One line on where an organization's application stands, or null when there is nothing to say. */
export function standingNote(org, me) {
  if (!org?.application) return null;
  const center = org.reviewingCenter?.name ?? "所属区域服务中心";
  if (org.standing === "Pending") {
    return h("p", { class: "hint standing", id: "standing", role: "status" }, `待认证：由${center}审核`,
      h("span", { class: "muted" }, `（${time(org.application.appliedAt)} 提交）。审核通过前可准备草稿，不能发布或参与交易。`));
  }
  if (org.standing === "Rejected") {
    return h("p", { class: "hint standing rejected", id: "standing", role: "status" }, `入驻申请未通过（${center}）：${org.application.reason ?? ""}`);
  }
  if (org.standing === "Approved" && me && localStorage.getItem(acknowledged(me)) !== org.application.decidedAt) {
    const note = h("p", { class: "hint standing approved", id: "standing", role: "status" },
      `您的机构已于 ${time(org.application.decidedAt)} 通过${center}认证，可以发布成果与需求、参与交易。 `,
      h("button", { type: "button", class: "link", onclick: () => {
        localStorage.setItem(acknowledged(me), org.application.decidedAt);
        note.remove();
      } }, "知道了"));
    return note;
  }
  return null;
}

let cached = { key: null, at: 0, org: null };

/**
 * Shown above every page to the people of an applicant organization: pending, rejected (with the reason), or just
 * approved (until acknowledged). The organization is asked at most once a minute.
 */
export async function showStanding(me) {
  document.getElementById("standing-slot")?.remove();
  if (!me || me.mustChangePassword || !["University", "Institute", "Enterprise"].includes(me.organizationKind)) return;
  if (cached.key !== me.accountId || Date.now() - cached.at > 60_000) {
    cached = { key: me.accountId, at: Date.now(), org: await api(`/api/organizations/${me.organizationId}`).catch(() => null) };
  }
  const note = location.hash.startsWith("#/me") ? null : standingNote(cached.org, me);
  if (note) document.getElementById("view").before(h("div", { id: "standing-slot", class: "standing-slot" }, note));
}

export async function profile({ view, me }) {
  if (!me) {
    location.hash = "#/login?next=%23%2Fme";
    return;
  }
  const passwordForm = changePasswordForm(me);
  if (me.mustChangePassword) {
    fill(view, h("h1", { tabindex: -1 }, "请修改临时密码"),
      h("p", { class: "hint", role: "status" }, "您正在使用管理员提供的临时密码登录。请先设置自己的新密码，之后才能使用平台的其他功能。"),
      passwordForm);
    passwordForm.querySelector("input").focus();
    return;
  }
  const org = await api(`/api/organizations/${me.organizationId}`).catch(() => null);
  cached = { key: me.accountId, at: Date.now(), org };

  const nameError = h("p", { class: "error", id: "err-displayName", "aria-live": "polite" });
  const nameInput = h("input", { id: "f-displayName", name: "displayName", value: me.displayName, required: true, maxlength: 50, "aria-describedby": "err-displayName" });
  const nameForm = h("form", { class: "inline-form", onsubmit: async (e) => {
    e.preventDefault();
    nameError.textContent = "";
    try {
      const result = await api("/api/auth/me", { method: "PUT", body: { displayName: nameInput.value } });
      session.me = result.me;
      toast("姓名已更新");
      window.dispatchEvent(new HashChangeEvent("hashchange")); // header and page show the new name
    } catch (err) {
      nameError.textContent = err instanceof ApiError ? (err.fieldErrors.displayName ?? [err.message]).join("；") : String(err);
    }
  } }, nameInput, h("button", {}, "保存"), nameError);

  const orgCell = org
    ? [h("a", { href: `#/organizations/${org.id}`, id: "profile-org" }, org.name), " ", h("span", { class: "muted" }, `${organizationKinds[org.kind] ?? org.kind} · ${org.province}`)]
    : "—";
  fill(view,
    h("h1", { tabindex: -1 }, "我的账号"),
    standingNote(org, null),
    h("dl", { class: "facts" },
      h("dt", {}, "登录账号"), h("dd", { id: "profile-account" }, me.accountId.replace(/^acct-/, "")),
      h("dt", {}, h("label", { for: "f-displayName" }, "姓名")), h("dd", {}, nameForm),
      h("dt", {}, "所属机构"), h("dd", {}, orgCell),
      h("dt", {}, "角色"), h("dd", { id: "profile-role" }, roles[me.role] ?? me.role),
      org ? [h("dt", {}, "认证状态"), h("dd", { id: "profile-standing" }, org.verified ? "已认证" : standings[org.standing] ?? "未认证")] : null),
    me.role === "OrganizationAdmin" ? h("p", {}, h("a", { href: `#/organizations/${me.organizationId}/members` }, "管理机构成员 →")) : null,
    h("section", { "aria-labelledby": "password-title" }, h("h2", { id: "password-title" }, "修改密码"), passwordForm));
}

function changePasswordForm(me) {
  const summary = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "panel narrow", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    summary.textContent = "";
    if (data.newPassword !== data.confirm) {
      showFieldErrors(form, new ApiError(400, { errors: [{ field: "confirm", zh: "两次输入的新密码不一致" }] }));
      return;
    }
    try {
      const result = await api("/api/auth/password", { method: "POST", body: { currentPassword: data.currentPassword, newPassword: data.newPassword } });
      const forced = me.mustChangePassword;
      await signedIn(result.me); // a fresh sign-in: every earlier one has ended
      toast("密码已修改，其他设备上的登录已失效");
      if (forced) location.hash = "#/me";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      if (!showFieldErrors(form, err)) summary.textContent = err.message ?? String(err);
    }
  } },
  formField("currentPassword", me.mustChangePassword ? "临时密码" : "当前密码", h("input", { type: "password", required: true, maxlength: 128, autocomplete: "current-password" })),
  formField("newPassword", "新密码", h("input", { type: "password", required: true, minlength: 10, maxlength: 128, autocomplete: "new-password" }), "至少 10 个字符，不能与当前密码相同"),
  formField("confirm", "确认新密码", h("input", { type: "password", required: true, maxlength: 128, autocomplete: "new-password" })),
  summary,
  h("button", { class: "primary" }, "修改密码"));
  return form;
}
