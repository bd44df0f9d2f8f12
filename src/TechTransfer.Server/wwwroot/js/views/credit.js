// 信誉 (docs/institutions.md): a grade from the published formula and the indicators behind it, each with its evidence.
import { h } from "../dom.js";
import { contestSubjectId, contestSubjects } from "../labels.js";

const gradeNotes = {
  A: "优秀", B: "良好", C: "一般", D: "较差", 新加入: "活动尚少，暂不评级",
};

const shown = (i) => (i.value === null || i.value === undefined ? "—" : `${Number(i.value).toLocaleString("zh-CN")} ${i.unit}`);

/**
 * The credit section of a page: the grade, then one row per indicator ("依据 n 项" says how much is behind it).
 * Collapsed (a page whose main work is elsewhere, the broker's workbench), the indicators open on request.
 */
export function creditPanel(report, { title = "信誉", id = "credit", collapsed = false } = {}) {
  const heading = [title, " ",
    h("span", { class: `grade grade-${report.grade === "新加入" ? "new" : report.grade}`, id: `${id}-grade` }, report.grade),
    h("span", { class: "muted" }, `　${gradeNotes[report.grade] ?? ""}${report.score !== null ? `（${report.score} 分）` : ""}`)];
  const body = [
    h("table", { class: "credit" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "指标"), h("th", { scope: "col" }, "数值"), h("th", { scope: "col" }, "依据"))),
      h("tbody", {}, report.indicators.map((i) => h("tr", { "data-name": i.name },
        h("th", { scope: "row" }, i.label), h("td", {}, shown(i)), h("td", { class: "muted" }, i.evidence ? `${i.evidence} 项` : "暂无"))))),
    h("p", { class: "muted small" }, "由平台上的实际对接、合同与评价自动计算，评分办法见平台文档（版本 ", report.formulaVersion, "）。"),
  ];
  return collapsed
    ? h("section", { id }, h("details", {}, h("summary", { class: "credit-summary" }, h("h2", { id: `${id}-title` }, ...heading)), ...body))
    : h("section", { "aria-labelledby": `${id}-title`, id }, h("h2", { id: `${id}-title` }, ...heading), ...body);
}

/**
 * 信誉异议待审核: the contests the viewer's center (every center's, for national) has not decided yet, oldest first;
 * each opens its deal, where the center decides. Null for anyone else (the server answers 403).
 */
export async function contestQueue(me, api) {
  if (!(me.role === "CenterAdmin" || me.role === "NationalAdmin")) return null;
  const { items, names } = await api("/api/credit-contests");
  const nameOf = (id) => names?.[id] ?? "—";
  const whose = (c) => nameOf(contestSubjectId(c.subject, c));
  return h("section", { "aria-labelledby": "contest-queue-title", id: "contest-queue" },
    h("h2", { id: "contest-queue-title" }, `信誉异议待审核（${items.length}）`),
    items.length
      ? h("ul", { class: "latest" }, items.map((c) => h("li", {},
        h("a", { href: `#/deals/${c.dealId}` }, `${contestSubjects[c.subject]} ${whose(c)}：${c.achievementTitle} ↔ ${c.demandTitle}`),
        h("span", { class: "muted" }, `　理由：${c.reason}（${nameOf(c.filedBy)}，${new Date(c.filedAt).toLocaleDateString("zh-CN")}）`))))
      : h("p", { class: "muted" }, "暂无待审核的异议。"));
}

const gradeOrder = ["A", "B", "C", "D", "新加入"];

/**
 * 各中心信誉: one row per center (its brokers' records taken together, each broker's grade, the grades of its most
 * active organizations, contests waiting for it). The national dashboard lists every center, a workbench its own.
 */
export function centerCreditTable({ centers, names }, { id = "center-credit", title = "各区域服务中心信誉" } = {}) {
  const value = (c, name) => {
    const i = c.indicators.find((x) => x.name === name);
    return i.value === null ? "—" : `${Number(i.value).toLocaleString("zh-CN")} ${i.unit}`;
  };
  const spread = (counts) => gradeOrder.filter((g) => counts[g]).map((g) => `${g} ${counts[g]}`).join("，") || "—";
  return h("section", { "aria-labelledby": `${id}-title`, id },
    h("h2", { id: `${id}-title` }, title),
    h("div", { class: "table-scroll" }, h("table", { class: "list credit-centers" },
      h("thead", {}, h("tr", {}, ["区域服务中心", "技术经纪人（评级）", "认领线索", "完成登记比例", "曾停滞比例", "当事方评分", "登记合同", "机构评级分布", "待审异议"]
        .map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, centers.map((c) => h("tr", { "data-code": c.code },
        h("th", { scope: "row" }, c.name),
        h("td", {}, c.brokers.length ? c.brokers.map((b, i) => [i ? "、" : "", names?.[b.accountId] ?? "—", `（${b.grade}）`]) : "—"),
        h("td", { class: "num" }, value(c, "leadsClaimed")),
        h("td", { class: "num" }, value(c, "registeredShare")),
        h("td", { class: "num" }, value(c, "wentStaleShare")),
        h("td", { class: "num" }, value(c, "averageStars")),
        h("td", { class: "num" }, value(c, "contractsRegistered")),
        h("td", {}, spread(c.organizationGrades)),
        h("td", { class: "num" }, String(c.openContests))))))),
    h("p", { class: "muted small" }, "经纪人指标按各自依据加权合并；机构评级取该中心对接最多的 50 家机构。"));
}
