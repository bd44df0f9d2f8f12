// An organization's page: who they are, where, whether verified, what they have published and done on the platform.
import { api } from "../api.js";
import { fill, h, time } from "../dom.js";
import { organizationKinds, standings } from "../labels.js";
import { listingItem } from "./common.js";
import { creditPanel } from "./credit.js";
import { standingNote } from "./profile.js";

const PageSize = 10;

export async function organization({ view, match, params, me }) {
  const id = match[1];
  let org;
  try {
    org = await api(`/api/organizations/${id}`);
  } catch (e) {
    if (e.status === 404) {
      fill(view, h("h1", { tabindex: -1 }, "未找到"), h("p", {}, "该机构不存在，或尚未通过入驻审核。"));
      return;
    }
    throw e;
  }
  const [record, credit] = await Promise.all([api(`/api/organizations/${id}/record`), api(`/api/organizations/${id}/credit`)]);
  const insider = me && (me.organizationId === id || me.role === "NationalAdmin"
    || (me.role === "CenterAdmin" && me.regionCode && me.regionCode === org.reviewingCenter?.code));
  const lists = org.kind === "ServiceCenter" || org.kind === "National" ? [] : [
    ["achievements", "已发布科技成果", "achievement", "a"],
    ...(org.kind === "Enterprise" ? [["demands", "已发布技术需求", "demand", "d"]] : []),
  ];
  const pages = await Promise.all(lists.map(([path, , , key]) => {
    const page = Math.max(1, Number(params.get(key)) || 1);
    return api(`/api/${path}?owner=${encodeURIComponent(id)}&status=Published&page=${page}&size=${PageSize}`);
  }));

  const pageHref = (key, n) => {
    const next = new URLSearchParams(params);
    next.set(key, String(n));
    return `#/organizations/${id}?${next}`;
  };
  const section = ([, title, kind, key], page) => {
    const count = Math.max(1, Math.ceil(page.total / PageSize));
    return h("section", { "aria-labelledby": `org-${key}` },
      h("h2", { id: `org-${key}` }, `${title}（${page.total}）`),
      page.items.length ? h("ol", { class: "cards", id: `org-${kind}s` }, page.items.map((l) => listingItem(l, kind))) : h("p", { class: "muted" }, "暂无。"),
      count > 1 ? h("nav", { class: "pager", "aria-label": `${title}分页` },
        page.page > 1 ? h("a", { href: pageHref(key, page.page - 1) }, "← 上一页") : null,
        h("span", {}, `第 ${page.page} / ${count} 页`),
        page.page < count ? h("a", { href: pageHref(key, page.page + 1) }, "下一页 →") : null) : null);
  };
  const stat = (idName, text, value) => h("div", { class: "stat" }, h("span", { class: "value", id: idName }, String(value)), h("span", {}, text));

  fill(view,
    h("p", { class: "crumbs" }, "机构"),
    h("h1", { tabindex: -1 }, org.name, " ", h("span", { class: `status ${org.verified ? "status-Published" : "status-Draft"}`, id: "org-verified" }, org.verified ? "已认证" : "未认证")),
    insider ? standingNote(org, null) : null,
    h("dl", { class: "facts" },
      h("dt", {}, "机构类型"), h("dd", { id: "org-kind" }, organizationKinds[org.kind] ?? org.kind),
      h("dt", {}, "所在省份"), h("dd", { id: "org-province" }, org.province),
      org.reviewingCenter ? [h("dt", {}, "所属区域服务中心"), h("dd", {}, org.reviewingCenter.name)] : null,
      h("dt", {}, "入网状态"), h("dd", {}, standings[org.standing] ?? org.standing),
      h("dt", {}, "入网时间"), h("dd", {}, time(org.createdAt)),
      insider && org.application ? [
        h("dt", {}, "联系方式"), h("dd", {}, [org.application.phone, org.application.email].filter(Boolean).join("　")),
      ] : null),
    h("section", { "aria-labelledby": "record-title" },
      h("h2", { id: "record-title" }, "平台记录"),
      h("div", { class: "stats", id: "org-record" },
        stat("rec-achievements", "已发布成果", record.publishedAchievements),
        stat("rec-demands", "已发布需求", record.publishedDemands),
        stat("rec-deals", "对接中及完成的项目", record.deals),
        stat("rec-contracts", "登记合同", record.registeredContracts))),
    org.kind === "ServiceCenter" || org.kind === "National" ? null : creditPanel(credit),
    insider ? h("p", {}, h("a", { href: `#/organizations/${id}/members`, id: "org-members" }, "机构成员 →")) : null,
    h("div", { class: "columns" }, lists.map((l, i) => section(l, pages[i]))));
}
