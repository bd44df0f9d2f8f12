import { api, ApiError, sessionHint } from "../api.js";
import { fill, h } from "../dom.js";
import { session, signedIn } from "../session.js";

export async function login({ view, params }) {
  const error = h("p", { class: "error", role: "alert", id: "login-error" });
  const form = h("form", { class: "panel narrow", "aria-describedby": "login-error", onsubmit: async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    error.textContent = "";
    try {
      const result = await api("/api/auth/login", { method: "POST", body: { account: data.get("account"), password: data.get("password") } });
      if (result.me.mustChangePassword) {
        // A temporary password: no live connection and no other page until it is changed.
        session.me = result.me;
        sessionHint.set(true);
        location.hash = "#/me";
        return;
      }
      await signedIn(result.me);
      location.hash = params.get("next") ?? "#/feed";
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
      form.elements.password.select();
    }
  } },
  h("label", { class: "field" }, h("span", {}, "账号"), h("input", { name: "account", autocomplete: "username", required: true, maxlength: 64 })),
  h("label", { class: "field" }, h("span", {}, "密码"), h("input", { name: "password", type: "password", autocomplete: "current-password", required: true, maxlength: 128 })),
  error,
  h("button", { class: "primary" }, "登录"),
  h("p", { class: "muted small" }, "忘记密码？请联系本机构管理员（机构管理员请联系所属区域服务中心）重置。"));
  fill(view, h("h1", { tabindex: -1 }, "登录"), form,
    h("p", {}, "还没有账号？", h("a", { href: "#/join", id: "join-link" }, "机构入驻申请"), "：高校、科研院所和企业均可申请。"));
  form.elements.account.focus();
}
