// 机构入驻申请: a signed-out visitor applies for an organization and its first admin account; the center of the
// province reviews it. The server judges every field; its messages appear under the fields they name.
import { api, ApiError } from "../api.js";
import { fill, h } from "../dom.js";
import { organizationKinds, provinces } from "../labels.js";
import { signedIn } from "../session.js";

/** A labelled control with its own error line (aria-describedby), as the editor does it. */
export function formField(name, labelText, input, hint) {
  if (!input.name) input.name = name; // an input's name is "" until set
  input.id = `f-${name}`;
  const error = h("p", { class: "error", id: `err-${name}`, "aria-live": "polite" });
  const hintEl = hint ? h("small", { class: "muted", id: `hint-${name}` }, hint) : null;
  input.setAttribute("aria-describedby", [hintEl?.id, error.id].filter(Boolean).join(" "));
  // A corrected field stops saying what was wrong with it.
  const clear = () => {
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    input.closest(".field")?.classList.remove("invalid");
  };
  input.addEventListener("input", clear);
  input.addEventListener("change", clear);
  return h("div", { class: "field", dataset: { field: name } },
    h("span", { class: "label-row" }, h("label", { for: input.id }, labelText), input.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    input, hintEl, error);
}

/** Puts a problem's field messages under their fields; returns whether any field was named. Focuses the first. */
export function showFieldErrors(form, error) {
  form.querySelectorAll(".field").forEach((f) => f.classList.remove("invalid"));
  form.querySelectorAll(".field .error").forEach((e) => (e.textContent = ""));
  form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
  const byField = error instanceof ApiError ? error.fieldErrors : {};
  let first = null;
  for (const [name, messages] of Object.entries(byField)) {
    const field = form.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
    if (!field) continue;
    field.classList.add("invalid");
    field.querySelector(".error").textContent = messages.join("；");
    field.querySelector("input, select, textarea")?.setAttribute("aria-invalid", "true");
    first ??= field.querySelector("input, select, textarea");
  }
  first?.focus();
  return first !== null;
}

export async function join({ view, me }) {
  if (me) {
    fill(view, h("h1", { tabindex: -1 }, "机构入驻申请"),
      h("p", {}, "您已登录。机构入驻申请由新机构的管理员在未登录状态下提交。"), h("p", {}, h("a", { href: "#/me" }, "查看我的账号 →")));
    return;
  }
  const summary = h("p", { class: "error", role: "alert", id: "join-error" });
  const option = (map) => Object.entries(map).map(([value, text]) => h("option", { value }, text));
  const form = h("form", { class: "panel editor", novalidate: true, "aria-describedby": "join-error", onsubmit: submit },
    h("fieldset", {},
      h("legend", {}, "机构信息"),
      formField("name", "机构名称", h("input", { required: true, maxlength: 100, autocomplete: "organization" })),
      formField("kind", "机构类型", h("select", { required: true }, h("option", { value: "" }, "请选择"),
        option({ University: organizationKinds.University, Institute: organizationKinds.Institute, Enterprise: organizationKinds.Enterprise }))),
      formField("province", "所在省份", h("select", { required: true }, h("option", { value: "" }, "请选择"), provinces.map((p) => h("option", { value: p }, p))),
        "由该省份所属的区域服务中心审核"),
      formField("phone", "联系电话", h("input", { type: "tel", maxlength: 30, autocomplete: "tel" }), "电话与邮箱至少填一项"),
      formField("email", "电子邮箱", h("input", { type: "email", maxlength: 254, autocomplete: "email" }))),
    h("fieldset", {},
      h("legend", {}, "机构管理员账号"),
      formField("account", "登录账号", h("input", { required: true, maxlength: 64, autocomplete: "username", autocapitalize: "none" }),
        "3–64 位字母、数字或 . _ -，用于登录"),
      formField("displayName", "姓名", h("input", { required: true, maxlength: 50, autocomplete: "name" })),
      formField("password", "登录密码", h("input", { type: "password", required: true, minlength: 10, maxlength: 128, autocomplete: "new-password" }), "至少 10 个字符"),
      formField("confirm", "确认密码", h("input", { type: "password", required: true, maxlength: 128, autocomplete: "new-password" }))),
    summary,
    h("div", { class: "actions" }, h("button", { class: "primary" }, "提交申请"), h("a", { href: "#/login" }, "已有账号？登录")));

  async function submit(e) {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    summary.textContent = "";
    if (data.password !== data.confirm) {
      showFieldErrors(form, new ApiError(400, { errors: [{ field: "confirm", zh: "两次输入的密码不一致" }] }));
      return;
    }
    const button = form.querySelector("button.primary");
    button.disabled = true;
    try {
      const body = { ...data, phone: data.phone || null, email: data.email || null };
      delete body.confirm;
      await api("/api/organizations/applications", { method: "POST", body });
      // The applicant signs in at once and sees where the application stands.
      const login = await api("/api/auth/login", { method: "POST", body: { account: data.account, password: data.password } });
      await signedIn(login.me);
      location.hash = "#/me";
    } catch (err) {
      showFieldErrors(form, err);
      summary.textContent = err.status === 409 ? "该登录账号已被使用，请换一个。" : (err.message ?? String(err));
      button.disabled = false;
    }
  }

  fill(view,
    h("h1", { tabindex: -1 }, "机构入驻申请"),
    h("p", { class: "lead" }, "高校、科研院所和企业可申请加入科技成果转化“一张网”。提交后由机构所在省份的区域服务中心审核；审核通过前可登录并准备成果、需求草稿，但不能发布或参与交易。"),
    form);
  form.querySelector("#f-name").focus();
}
