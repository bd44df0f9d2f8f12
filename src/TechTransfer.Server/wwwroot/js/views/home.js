import { api } from "../api.js";
import { fill, h } from "../dom.js";
import { session } from "../session.js";
import { listingItem } from "./common.js";

export async function home({ view }) {
  const [regions, achievements, demands] = await Promise.all([
    api("/api/regions"),
    api("/api/achievements?status=Published&size=8"),
    api("/api/demands?status=Published&size=8"),
  ]);
  const searchForm = h("form", { class: "hero-search", role: "search", onsubmit: (e) => {
    e.preventDefault();
    location.hash = `#/search?q=${encodeURIComponent(new FormData(e.target).get("q"))}`;
  } },
  h("label", { for: "home-q", class: "sr-only" }, "搜索科技成果与技术需求"),
  h("input", { id: "home-q", name: "q", type: "search", placeholder: "搜索科技成果、技术需求，例如：锂电池 缺陷检测" }),
  h("button", {}, "搜索"));
  fill(view,
    h("h1", { tabindex: -1 }, "科技成果转化“一张网”"),
    h("p", { class: "lead" }, "高校院所发布科技成果，企业发布技术需求；发布即匹配，匹配即推送，区域服务中心全程撮合。"),
    session.me ? null : h("p", {}, h("a", { class: "button", href: "#/join", id: "home-join" }, "机构入驻申请"), " ", h("a", { href: "#/login" }, "已有账号，登录")),
    searchForm,
    h("section", { "aria-labelledby": "regions-title" },
      h("h2", { id: "regions-title" }, "区域服务中心"),
      h("ul", { class: "chips", id: "regions" }, regions.map((r) =>
        h("li", {}, h("a", { href: `#/search?region=${r.code}` }, `${r.shortName}：成果 ${r.publishedAchievements} · 需求 ${r.publishedDemands}`))))),
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "latest-a" },
        h("h2", { id: "latest-a" }, "最新科技成果"),
        h("ol", { class: "cards", id: "achievements" }, achievements.items.map((a) => listingItem(a, "achievement"))),
        h("a", { href: "#/search?kind=achievement" }, "更多成果 →")),
      h("section", { "aria-labelledby": "latest-d" },
        h("h2", { id: "latest-d" }, "最新技术需求"),
        h("ol", { class: "cards", id: "demands" }, demands.items.map((d) => listingItem(d, "demand"))),
        h("a", { href: "#/search?kind=demand" }, "更多需求 →"))));
}
