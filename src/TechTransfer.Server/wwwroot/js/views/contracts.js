import { api, ApiError } from "../api.js";
import { amount, confirmAction, fill, h, time, toast } from "../dom.js";
import { contractFields, contractTypes, label } from "../labels.js";
import { field, options, pager } from "./common.js";

const date = (iso) => (iso ? new Date(iso).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" }) : "—");
const organizationLink = (id, names) => (id ? h("a", { href: `#/organizations/${id}` }, names?.[id] ?? "未登记机构") : "—");

/** 我的合同: registered contracts the server lets this person see (their organization's; a center's; national: all). */
export async function contracts({ view, params, me }) {
  if (!me) {
    location.hash = "#/login?next=%23%2Fcontracts";
    return;
  }
  const page = Number(params.get("page") || 1);
  const result = await api(`/api/contracts?page=${page}&size=20`);
  const party = ["University", "Institute", "Enterprise"].includes(me.organizationKind);
  fill(view,
    h("h1", { tabindex: -1 }, "我的合同"),
    h("p", { class: "lead" }, party ? "本机构作为合同一方的已登记技术合同，最新登记在前。" : "可查看的已登记技术合同，最新登记在前。"),
    result.items.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "list", id: "my-contracts" },
        h("thead", {}, h("tr", {}, ["登记编号", "成交标的", "卖方", "买方", "合同金额", "类型", "登记日期"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, result.items.map((c) => h("tr", { dataset: { number: c.number } },
          h("td", { "data-label": "登记编号" }, h("a", { href: `#/contracts/${c.number}` }, c.number)),
          h("td", { "data-label": "成交标的" }, [c.achievementTitle, c.demandTitle].filter(Boolean).join(" ↔ ") || "—"),
          h("td", { "data-label": "卖方" }, result.names?.[c.sellerOrganizationId] ?? "未登记机构"),
          h("td", { "data-label": "买方" }, result.names?.[c.buyerOrganizationId] ?? "未登记机构"),
          h("td", { "data-label": "合同金额", class: "num" }, amount(c.contractAmount)),
          h("td", { "data-label": "类型" }, label(contractTypes, c.type)),
          h("td", { "data-label": "登记日期" }, h("time", { datetime: c.registeredAt }, date(c.registeredAt))))))))
      : h("p", { class: "muted" }, "暂无已登记的技术合同。对接在经纪人推进下签约并登记后，合同会出现在这里。"),
    pager(result, "/contracts", params));
}

/** One registered contract: what was registered, what is in effect, its amendments, and (for its center) a correction form. */
export async function contract({ view, match, me }) {
  if (!me) {
    location.hash = `#/login?next=${encodeURIComponent(location.hash)}`;
    return;
  }
  const number = match[1];
  const render = async () => {
    let c;
    try {
      c = await api(`/api/contracts/${number}`);
    } catch (e) {
      if (e.status !== 404) throw e;
      fill(view, h("h1", { tabindex: -1 }, "未找到"), h("p", {}, "该合同不存在，或您无权查看。"));
      return;
    }
    const f = c.facts;
    const e = c.effective;
    const names = c.names ?? {};
    const changed = (field) => c.content[field] !== e[field] ? h("span", { class: "muted" }, `（登记时 ${field.endsWith("Amount") ? amount(c.content[field]) : c.content[field] ?? "—"}）`) : null;
    fill(view,
      h("p", { class: "crumbs" }, h("a", { href: "#/contracts" }, "我的合同"), " › ", number),
      h("h1", { tabindex: -1 }, `技术合同 ${number}`),
      h("dl", { class: "facts", id: "contract-facts" },
        h("dt", {}, "登记编号"), h("dd", {}, number),
        h("dt", {}, "合同类型"), h("dd", {}, label(contractTypes, e.type)),
        h("dt", {}, "卖方（技术提供方）"), h("dd", { id: "contract-seller" }, organizationLink(f.sellerOrganizationId, names), "　合同所列：", e.seller, changed("seller")),
        h("dt", {}, "买方（技术受让方）"), h("dd", { id: "contract-buyer" }, organizationLink(f.buyerOrganizationId, names), "　合同所列：", e.buyer, changed("buyer")),
        h("dt", {}, "成交标的"), h("dd", {},
          f.achievementId ? [h("span", { class: "tag" }, "成果"), " ", h("a", { href: `#/achievements/${f.achievementId}` }, c.achievementTitle ?? "科技成果"), " "] : null,
          f.demandId ? [h("span", { class: "tag demand" }, "需求"), " ", h("a", { href: `#/demands/${f.demandId}` }, c.demandTitle ?? "技术需求")] : null),
        h("dt", {}, "合同金额"), h("dd", { id: "contract-amount" }, amount(e.contractAmount), changed("contractAmount")),
        h("dt", {}, "技术交易额"), h("dd", { id: "contract-tech-amount" }, amount(e.techTransactionAmount), changed("techTransactionAmount")),
        h("dt", {}, "签订日期"), h("dd", {}, e.signingDate),
        h("dt", {}, "登记时间"), h("dd", {}, h("time", { datetime: c.registeredAt }, time(c.registeredAt))),
        h("dt", {}, "登记机构"), h("dd", {}, names[f.regionCode] ?? "区域服务中心", "　登记人：", names[c.registeredBy] ?? "—"),
        h("dt", {}, "牵头经纪人"), h("dd", { id: "contract-broker" }, c.broker ? names[c.broker] ?? "—" : "无"),
        h("dt", {}, "对接"), h("dd", {}, h("a", { href: `#/deals/${f.dealId}` }, "查看对接过程 →")),
        e.note ? [h("dt", {}, "备注"), h("dd", {}, e.note)] : null),
      h("section", { "aria-labelledby": "contract-amendments" },
        h("h2", { id: "contract-amendments" }, `修正记录（${c.amendments.length}）`),
        c.amendments.length
          ? h("ol", { class: "trail", id: "amendments" }, c.amendments.map((a) => h("li", {},
            h("time", { class: "muted", datetime: a.amendedAt }, time(a.amendedAt)), " ", names[a.amendedBy] ?? "—", "：",
            label(contractFields, a.field), " ", shown(a.field, a.oldValue), " → ", shown(a.field, a.newValue), ` — ${a.reason}`)))
          : h("p", { class: "muted" }, "登记后未作修正。")),
      c.mayAmend ? amendmentForm(number, e, render) : null);
  };
  await render();
}

const shown = (field, value) => (value === null || value === undefined ? "（空）" : field.endsWith("Amount") ? amount(value) : `“${value}”`);

/** A correction of one field, with its reason; asked once more before it is appended (it cannot be taken back). */
function amendmentForm(number, effective, done) {
  const errors = h("p", { class: "error", role: "alert" });
  const which = h("select", { name: "field", id: "amend-field" }, options(contractFields, "contractAmount"));
  const value = h("input", { name: "value", id: "amend-value", maxlength: 500 });
  const reason = h("textarea", { name: "reason", id: "amend-reason", rows: 2, maxlength: 500 });
  const form = h("form", { class: "panel editor", id: "amend-form", novalidate: true, "aria-labelledby": "amend-title", onsubmit: async (ev) => {
    ev.preventDefault();
    errors.textContent = "";
    const f = which.value;
    const money = f.endsWith("Amount");
    const next = value.value.trim();
    const sure = await confirmAction({
      title: "确认修正合同", confirm: "确认修正",
      amount: money ? `${label(contractFields, f)} ${amount(effective[f])} → ${next === "" ? "—" : amount(Number(next))}` : null,
      lines: [money ? null : `${label(contractFields, f)}：${shown(f, effective[f])} → ${shown(f, next)}`, `原因：${reason.value.trim() || "—"}`,
        "修正记入合同的修正记录，不可撤销；原登记内容保留。金额的修正同时计入全国技术交易指数。"].filter(Boolean),
    });
    if (!sure) return;
    try {
      await api(`/api/contracts/${number}/amendments`, { method: "POST", body: { field: f, value: money && next !== "" && !Number.isNaN(Number(next)) ? Number(next) : next, reason: reason.value } });
      toast("修正已记录");
      await done();
    } catch (err) {
      errors.textContent = err instanceof ApiError ? err.zh : String(err);
    }
  } },
  h("h2", { id: "amend-title" }, "修正合同"),
  field("修正项", which), field("修正为", value, "金额以万元计"), field("修正原因", reason),
  errors, h("button", { class: "primary" }, "提交修正"));
  return form;
}
