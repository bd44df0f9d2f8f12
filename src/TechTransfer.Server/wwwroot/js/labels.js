// zh-CN names of the API's codes (../shared/GLOSSARY.md).

export const techFields = {
  ElectronicInformation: "电子信息",
  BioMedicine: "生物与新医药",
  Aerospace: "航空航天",
  NewMaterials: "新材料",
  HighTechServices: "高技术服务",
  NewEnergy: "新能源与节能",
  ResourcesEnvironment: "资源与环境",
  AdvancedManufacturing: "先进制造与自动化",
};

export const transferModes = {
  Assignment: "转让",
  License: "许可",
  JointImplementation: "合作实施",
  EquityInvestment: "作价投资",
  SelfImplementation: "自行实施",
  Other: "其他",
};

export const ipRightKinds = {
  InventionPatent: "发明专利",
  UtilityModel: "实用新型",
  Design: "外观设计",
  SoftwareCopyright: "软件著作权",
  IcLayout: "集成电路布图设计",
  PlantVariety: "植物新品种",
  TradeSecret: "技术秘密",
};

export const statuses = {
  Draft: "草稿",
  Published: "已发布",
  Withdrawn: "已撤回",
  Transferred: "已转化",
  Closed: "已关闭",
  Fulfilled: "已满足",
  Expired: "已过期",
  Archived: "已归档",
};

export const roles = {
  Member: "成员",
  OrganizationAdmin: "机构管理员",
  Broker: "技术经纪人",
  CenterAdmin: "中心管理员",
  NationalAdmin: "火炬中心管理员",
};

export const kinds = { achievement: "科技成果", demand: "技术需求" };

export const provinces = [
  "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建", "江西", "山东",
  "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
  "香港", "澳门", "台湾",
];

export const label = (map, code) => map[code] ?? code;

export const dealStages = {
  Matched: "待表达意向",
  Lead: "待认领线索",
  Introduced: "对接",
  Negotiating: "洽谈",
  ContractSigned: "签约",
  Registered: "登记",
  Closed: "终止",
};

export const dealActions = {
  "interest:achievement": "成果方表达意向",
  "interest:demand": "需求方表达意向",
  "withdraw-interest:achievement": "成果方撤回意向",
  "withdraw-interest:demand": "需求方撤回意向",
  lead: "双方均有意向，形成线索",
  "lead:fpl": "挂牌被摘牌，形成线索",
  "lead:auc": "拍卖成交，形成线索",
  "lead:tnd": "招标已定标，形成线索",
  claim: "经纪人认领",
  stage: "推进阶段",
  close: "终止",
  register: "合同登记",
  "register-own": "成果方自行登记合同（归属牵头经纪人）",
  "register-own-unattributed": "成果方自行登记合同",
  stale: "超期提醒",
  "rate:achievement": "成果方评价经纪服务",
  "rate:demand": "需求方评价经纪服务",
  "contest:achievement": "成果方对信誉记录提出异议",
  "contest:demand": "需求方对信誉记录提出异议",
  "contest:broker": "经纪人对信誉记录提出异议",
  "contest-upheld:achievement": "区域服务中心支持成果方的异议",
  "contest-upheld:demand": "区域服务中心支持需求方的异议",
  "contest-upheld:broker": "区域服务中心支持经纪人的异议",
  "contest-rejected:achievement": "区域服务中心驳回成果方的异议",
  "contest-rejected:demand": "区域服务中心驳回需求方的异议",
  "contest-rejected:broker": "区域服务中心驳回经纪人的异议",
};

/** Whose 信誉 record a contest is about: its words, and the id of whom it names (a deal's facts or a queue item carry the ids). */
export const contestSubjects = { achievement: "成果方", demand: "需求方", broker: "牵头经纪人" };
export const contestSubjectId = (subject, { achievementOrganizationId, demandOrganizationId, claimedBy }) =>
  ({ achievement: achievementOrganizationId, demand: demandOrganizationId, broker: claimedBy })[subject];

export const contractTypes = {
  DevelopmentCommissioned: "技术开发（委托）",
  DevelopmentCooperative: "技术开发（合作）",
  Transfer: "技术转让",
  License: "技术许可",
  Consulting: "技术咨询",
  Service: "技术服务",
};

export const tradeKinds = { FixedPriceListing: "挂牌", Auction: "拍卖", Tender: "招标" };

/** The portal route of each trading mode's page. */
export const tradePaths = { FixedPriceListing: "fixed-price-listings", Auction: "auctions", Tender: "tenders" };

/** A trade id's page: the id says its kind ("fpl-…", "auc-…", "tnd-…"). */
export const tradeHref = (id) => ({ fpl: "#/fixed-price-listings/", auc: "#/auctions/", tnd: "#/tenders/" })[id?.slice(0, 3)] + id;

/** TradeNotice.news: what happened, as the recipient reads it. */
export const tradeNews = {
  Outbid: "您的出价已被超过", Won: "恭喜，您已竞得", Lost: "拍卖已结束，未竞得", Sold: "您的交易已成交", Unsold: "您的拍卖未达保留价，流拍",
  Accepted: "您已摘牌成功", Taken: "已被他人摘牌", Withdrawn: "成果已撤回，交易终止", Opened: "招标已开标", Awarded: "恭喜，您已中标",
  NotAwarded: "招标结果：未中标",
};

// Join / who is who (issue 18).
export const organizationKinds = { University: "高校", Institute: "科研院所", Enterprise: "企业", ServiceCenter: "区域服务中心", National: "火炬中心" };

/** OrganizationPage.standing: Registered by the national level, or where its application to join stands. */
export const standings = { Registered: "已入网", Pending: "待认证", Approved: "已通过认证", Rejected: "未通过认证" };
/** The fields an amendment of a registered contract may correct. */
export const contractFields = { contractAmount: "合同金额", techTransactionAmount: "技术交易额", seller: "卖方", buyer: "买方", note: "备注" };

/** 科技成果评价 (issue 19 item 4): the grades and indicators a reviewer chooses, as GB/T 22900-style evaluations name them. */
export const innovationGrades = { WorldFirst: "国际首创", ChinaFirst: "国内首创", Improved: "有改进创新", Incremental: "无明显创新" };
export const advancementGrades = {
  WorldLeading: "国际领先", WorldAdvanced: "国际先进", ChinaLeading: "国内领先", ChinaAdvanced: "国内先进", ChinaGeneral: "国内一般",
};
export const hardTechIndicators = {
  KeyCoreTechnology: "关键核心技术", Bottleneck: "突破“卡脖子”环节", OriginalInnovation: "原始创新",
  IndependentIp: "自主知识产权", ReadyForIndustry: "具备产业化条件",
};
/** GB/T 22900 technology readiness levels, as a reviewer picks one (the evidence is written beside it). */
export const trlLevels = {
  1: "1 级：发现基本原理", 2: "2 级：形成技术概念", 3: "3 级：关键功能可行性验证", 4: "4 级：实验室环境部件验证",
  5: "5 级：相关环境部件验证", 6: "6 级：相关环境系统或原型验证", 7: "7 级：实际环境原型验证", 8: "8 级：系统完成并通过试验验证",
  9: "9 级：实际应用中得到验证",
};

