// The header as one bar: a few primary links, the rest in disclosure menus (a button with aria-expanded showing a
// list of links; Escape closes it and returns focus to its button, leaving it with Tab or a click elsewhere closes
// it), 通知 with its unread count always in view, the account in its own menu. Below the wide layout one 菜单 button
// opens the primary links and the menus as a panel (docs/portal.md, "Navigation").
import { fill, h } from "./dom.js";

const state = { panel: false, menu: null, shape: null };

/**
 * primary: [[href, text]]; menus: [[key, label, [[href, text]]]] (empty ones are left out); unread: the count for
 * 通知, null for no 通知 link; account: { name, role, items: [[href, text]], signOut } or null (then 登录).
 */
export function renderHeader({ path, primary, menus, unread, account }) {
  const shape = JSON.stringify({ path, primary, menus, bell: unread !== null, account: account && [account.name, account.role, account.items] });
  // Pushed events re-render the header: when only the unread count changed, keep the menus (and the focus) as they are.
  if (shape === state.shape) return showUnread(unread);
  state.shape = shape;
  state.panel = false;
  state.menu = null;

  const nav = document.getElementById("nav");
  const link = ([href, text]) => h("a", { href, "aria-current": href.slice(1) === path ? "page" : null }, text);
  fill(nav, ...primary.map((item) => h("li", {}, link(item))),
    ...menus.filter(([, , items]) => items.length > 0).map(([key, label, items]) =>
      menu(key, label, items.map((item) => h("li", {}, link(item))), items.some(([href]) => href.slice(1) === path))));

  const top = nav.closest("nav");
  top.querySelector(".nav-toggle")?.remove();
  top.prepend(h("button", { type: "button", class: "nav-toggle", "aria-expanded": "false", "aria-controls": "nav",
    onclick: () => setPanel(!state.panel) }, "菜单"));
  top.classList.remove("open");

  fill(document.getElementById("who"), ...(account
    ? [unread === null ? null : h("a", { class: "bell", href: "#/notifications", "aria-current": path === "/notifications" ? "page" : null }, "通知"),
      menu("account", account.name, [
        h("li", { class: "menu-note" }, account.role),
        ...account.items.map((item) => h("li", {}, link(item))),
        h("li", {}, h("button", { type: "button", class: "link", onclick: account.signOut }, "退出")),
      ], false, "account")]
    : [h("a", { href: "#/login" }, "登录")]));
  showUnread(unread);
}

function menu(key, label, items, current, kind = "") {
  const id = `menu-${key}`;
  return h(kind ? "div" : "li", { class: `menu ${kind}`.trim(), dataset: { menu: key } },
    h("button", {
      type: "button", class: current ? "menu-button current" : "menu-button", "aria-expanded": "false", "aria-controls": id,
      onclick: () => setMenu(state.menu === key ? null : key),
      onkeydown: (e) => {
        if (e.key !== "ArrowDown") return;
        e.preventDefault();
        setMenu(key);
        document.getElementById(id).querySelector("a, button")?.focus();
      },
    }, h("span", { class: "menu-label" }, label)),
    h("ul", { class: "submenu", id, hidden: true }, items));
}

function setMenu(key) {
  state.menu = key;
  for (const el of document.querySelectorAll("header .menu")) {
    const isOpen = el.dataset.menu === key;
    el.querySelector(".menu-button").setAttribute("aria-expanded", String(isOpen));
    el.querySelector(".submenu").hidden = !isOpen;
  }
}

function setPanel(open) {
  state.panel = open;
  const nav = document.getElementById("nav").closest("nav");
  nav.classList.toggle("open", open);
  nav.querySelector(".nav-toggle")?.setAttribute("aria-expanded", String(open));
  if (!open) setMenu(state.menu === "account" ? "account" : null);
}

function showUnread(unread) {
  const bell = document.querySelector("header a.bell");
  if (!bell) return;
  let badge = document.getElementById("unread-badge");
  if (!(unread > 0)) return badge?.remove();
  if (!badge) bell.append(badge = h("span", { class: "badge", id: "unread-badge" }));
  badge.textContent = unread > 99 ? "99+" : String(unread);
  badge.setAttribute("aria-label", `${unread} 条未读`);
}

// Escape closes the innermost open thing and puts the focus on the button that opened it.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape") return;
  if (state.menu) {
    const button = document.querySelector(`header .menu[data-menu="${state.menu}"] .menu-button`);
    setMenu(null);
    button?.focus();
  } else if (state.panel) {
    setPanel(false);
    document.querySelector("header .nav-toggle")?.focus();
  }
});

// A click elsewhere, or on a link (also one to the page already shown), closes what is open.
document.addEventListener("click", (e) => {
  const inMenu = e.target.closest?.("header .menu");
  if (e.target.closest?.("header a") || !inMenu) setMenu(null);
  if (e.target.closest?.("header a") || !e.target.closest?.("header nav")) setPanel(false);
});

// Tabbing out of a menu (or out of the panel) closes it.
document.addEventListener("focusin", (e) => {
  if (state.menu && !e.target.closest?.(`header .menu[data-menu="${state.menu}"]`)) setMenu(null);
  if (state.panel && !e.target.closest?.("header nav")) setPanel(false);
});
