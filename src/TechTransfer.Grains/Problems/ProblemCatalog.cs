namespace TechTransfer.Problems;

public static class ProblemCodes
{
    public const string Validation = "validation";
    public const string BadRequest = "bad-request";
    public const string Unauthorized = "unauthorized";
    public const string LoginFailed = "login-failed";
    public const string SignInThrottled = "sign-in-throttled";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string AlreadyExists = "already-exists";
    public const string InvalidTransition = "invalid-transition";
    public const string AlreadyClaimed = "already-claimed";
    public const string VersionMismatch = "version-mismatch";
    public const string VersionRequired = "version-required";
    public const string TooLarge = "too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string Unavailable = "unavailable";
    public const string Overloaded = "overloaded";
    public const string IdempotencyKeyInvalid = "idempotency-key-invalid";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    public const string IdempotencyKeyInFlight = "idempotency-key-in-flight";
    public const string RateLimited = "rate-limited";
    public const string Internal = "internal";
    public const string NotVerified = "not-verified";
    public const string OwnTrade = "own-trade";
    public const string BidTooLow = "bid-too-low";
    public const string TradeNotOpen = "trade-not-open";
    public const string TradeClosed = "trade-closed";
    public const string AchievementInTrade = "achievement-in-trade";
    public const string PageTooDeep = "page-too-deep";
    public const string ImportTooLarge = "import-too-large";
    public const string CrossOrigin = "cross-origin";
    public const string NotAdmitted = "organization-not-admitted";
    public const string PasswordChangeRequired = "password-change-required";
    public const string AlreadyRenewed = "already-renewed";
    public const string NotRenewable = "not-renewable";
    public const string SubscriptionLimit = "subscription-limit";
    public const string AlreadyRated = "already-rated";
    public const string AlreadyContested = "already-contested";
    public const string AlreadyReviewed = "already-reviewed";
}

/// <summary>The one catalogue of user-facing messages: every problem and every field rule in zh-CN and English.</summary>
public static class ProblemCatalog
{
    public sealed record Entry(int Status, string Zh, string En);

    static readonly Dictionary<string, Entry> Problems = new()
    {
        [ProblemCodes.Validation] = new(400, "提交的内容未通过校验", "The request did not pass validation"),
        [ProblemCodes.BadRequest] = new(400, "请求格式不正确", "The request is malformed"),
        [ProblemCodes.Unauthorized] = new(401, "请先登录", "Sign-in required"),
        [ProblemCodes.LoginFailed] = new(401, "账号或密码不正确", "Wrong account or password"),
        [ProblemCodes.SignInThrottled] = new(429, "从此处登录失败次数过多，请按 Retry-After 所示稍后再试", "Too many failed sign-ins from here; wait as Retry-After says and try again"),
        [ProblemCodes.Forbidden] = new(403, "无权执行此操作", "You are not allowed to do this"),
        [ProblemCodes.NotFound] = new(404, "未找到该资源", "Not found"),
        [ProblemCodes.AlreadyExists] = new(409, "该资源已存在", "It already exists"),
        [ProblemCodes.InvalidTransition] = new(409, "当前状态下不能执行此操作", "This is not possible in the current status"),
        [ProblemCodes.AlreadyClaimed] = new(409, "该线索已由其他经纪人认领", "Another broker has already claimed this lead"),
        [ProblemCodes.VersionMismatch] = new(412, "内容已被他人修改，请刷新后重试", "It was changed by someone else; reload and try again"),
        [ProblemCodes.VersionRequired] = new(428, "修改时须提供 If-Match 版本号", "An If-Match version is required to change it"),
        [ProblemCodes.TooLarge] = new(413, "请求内容过大", "The request body is too large"),
        [ProblemCodes.UnsupportedMediaType] = new(415, "不支持该请求内容类型或字符集", "The request's content type or charset is not supported"),
        [ProblemCodes.IdempotencyKeyInvalid] = new(400, "Idempotency-Key 须为 1 至 200 个可见 ASCII 字符", "Idempotency-Key must be 1 to 200 visible ASCII characters"),
        [ProblemCodes.IdempotencyKeyReused] = new(422, "该 Idempotency-Key 已用于另一个请求", "This Idempotency-Key was already used for a different request"),
        [ProblemCodes.IdempotencyKeyInFlight] = new(409, "使用该 Idempotency-Key 的请求仍在处理中，请稍后重试", "A request with this Idempotency-Key is still being processed; retry shortly"),
        [ProblemCodes.RateLimited] = new(429, "请求过于频繁，请稍后再试", "Too many requests; slow down and retry later"),
        [ProblemCodes.Unavailable] = new(503, "服务暂时不可用，请稍后重试", "The service is temporarily unavailable; try again shortly"),
        [ProblemCodes.Overloaded] = new(503, "系统繁忙，您的请求未被处理，请稍后重试", "The network is busy and did not take your request; retry in a moment"),
        [ProblemCodes.Internal] = new(500, "服务器内部错误", "Internal server error"),
        [ProblemCodes.NotVerified] = new(403, "仅限已认证的机构参与交易", "Only verified organizations may take part in this trade"),
        [ProblemCodes.OwnTrade] = new(403, "不能参与本机构发起的交易", "You cannot bid on or accept your own organization's trade"),
        [ProblemCodes.BidTooLow] = new(409, "出价低于当前最低可出价", "The bid is below the lowest acceptable amount"),
        [ProblemCodes.TradeNotOpen] = new(409, "交易尚未开始", "The trade has not started yet"),
        [ProblemCodes.TradeClosed] = new(409, "交易已结束", "The trade has ended"),
        [ProblemCodes.AchievementInTrade] = new(409, "该成果已在进行中的交易中", "This achievement is already in an open trade"),
        [ProblemCodes.PageTooDeep] = new(400, "最多只能翻阅前 1000 条结果，请缩小查询范围（增加关键词或筛选条件）",
            "Only the first 1,000 results can be paged through; narrow the query (more words or filters)"),
        [ProblemCodes.ImportTooLarge] = new(413, "一次导入最多 1000 行，请分批提交",
            "One import request holds at most 1,000 lines; send the catalogue in chunks"),
        [ProblemCodes.CrossOrigin] = new(403, "请求来自不被允许的来源网页，已拒绝", "The request comes from a page of an origin that is not allowed"),
        [ProblemCodes.NotAdmitted] = new(403, "机构入驻申请尚未通过区域服务中心审核，暂不能执行此操作",
            "The organization's application to join has not been approved by its regional center yet"),
        [ProblemCodes.PasswordChangeRequired] = new(403, "请先修改临时密码", "Change the temporary password first"),
        [ProblemCodes.AlreadyContested] = new(409, "这条对接记录已提出过异议，每条记录只能申诉一次", "This deal's entry has already been contested; an entry can be contested once"),
        [ProblemCodes.AlreadyReviewed] = new(409, "您已签署过这份评审意见，签署后不能修改", "You have already signed your review of this evaluation; a signed review cannot be changed"),
        [ProblemCodes.AlreadyRated] = new(409, "贵单位已评价过这次对接的经纪服务，评价提交后不能修改", "Your organization has already rated the broker on this deal; a rating cannot be changed"),
        [ProblemCodes.AlreadyRenewed] = new(409, "该发布已续期过一次，不能再次续期", "This listing has already been renewed once; it cannot be renewed again"),
        [ProblemCodes.NotRenewable] = new(422, "只有已发布或已过期的发布可以续期；需求的截止日期须晚于今天",
            "Only a published or expired listing can be renewed, and a demand's deadline must be after today"),
        [ProblemCodes.SubscriptionLimit] = new(409, "每个账号最多保存 20 个订阅，请先删除不再需要的订阅",
            "An account keeps at most 20 subscriptions; delete one you no longer need first"),
    };

    static readonly Dictionary<string, (string Zh, string En)> Rules = new()
    {
        ["required"] = ("{0}不能为空", "{0} is required"),
        ["phone-or-email"] = ("电话与邮箱至少填一项", "Give a phone number or an e-mail address (at least one)"),
        ["max-length"] = ("{0}不能超过 {1} 个字符", "{0} must be at most {1} characters"),
        ["max-items"] = ("{0}最多 {1} 项", "{0} may have at most {1} items"),
        ["unknown-value"] = ("{0}的取值“{1}”不在允许范围内", "{0} has an unknown value \"{1}\""),
        ["range"] = ("{0}须在 {1} 之间", "{0} must be within {1}"),
        ["not-negative"] = ("{0}不能为负数", "{0} must not be negative"),
        ["min-greater-than-max"] = ("预算下限不能高于上限", "budgetMin must not exceed budgetMax"),
        ["in-past"] = ("{0}须晚于今天", "{0} must be in the future"),
        ["invalid-format"] = ("{0}格式不正确", "{0} has an invalid format"),
        ["control-characters"] = ("{0}含有不允许的控制字符", "{0} contains control characters"),
        ["duplicate"] = ("{0}重复：{1}", "{0} is a duplicate: {1}"),
        ["length"] = ("{0}长度须为 {1} 个字符", "{0} must be {1} characters long"),
        ["not-allowed"] = ("{0}不能是“{1}”", "{0} may not be \"{1}\" here"),
        ["positive"] = ("{0}须大于 0", "{0} must be greater than 0"),
        ["exceeds-contract-amount"] = ("{0}不能超过合同金额", "{0} must not exceed contractAmount"),
        ["in-future"] = ("{0}不能晚于今天", "{0} must not be in the future"),
        ["too-early"] = ("{0}不能早于 {1}", "{0} must not be before {1}"),
        ["unchanged"] = ("{0}与当前值相同", "{0} is the same as the current value"),
        ["after-to"] = ("{0}不能晚于结束月份", "{0} must not be after to"),
        ["max-days"] = ("{0}不能晚于开始后 {1} 天", "{0} must be at most {1} days after the start"),
        ["in-open-trade"] = ("{0}已在进行中的交易 {1} 中，须待其结束", "{0} is already in open trade {1}; wait until it ends"),
        ["max-months"] = ("{0}：时间跨度不能超过 {1} 个月", "{0}: the range must not exceed {1} months"),
        ["invisible"] = ("{0}没有可见的文字", "{0} has no visible characters"),
        ["bidi-control"] = ("{0}含有改变文字方向的控制字符", "{0} contains text-direction control characters"),
        ["reserved"] = ("{0}“{1}”为系统保留，不能使用", "{0} \"{1}\" is reserved for the system"),
        ["mismatch"] = ("{0}不正确", "{0} is not correct"),
        ["unknown-account"] = ("{0}：账号“{1}”不存在", "{0}: there is no account \"{1}\""),
        ["conflict-of-interest"] = ("{0}：“{1}”属于成果完成单位，不能评审本单位的成果", "{0}: \"{1}\" belongs to the achievement's own organization and cannot review it"),
        ["page-or-after"] = ("{0}与 after 不能同时使用：按页码翻页，或按上一页的 next 继续", "Give {0} or after, not both: number the pages, or continue from the last page's next"),
        ["broker-attribution"] = ("请确认：双方经本平台经纪人居间对接，本合同将归属于该经纪人",
            "Confirm that the parties were introduced by this network's broker; the contract will be attributed to them"),
    };

    static readonly Dictionary<string, string> FieldNamesZh = new()
    {
        ["title"] = "标题", ["summary"] = "成果简介", ["description"] = "需求描述", ["keywords"] = "关键词",
        ["techField"] = "技术领域", ["trl"] = "技术成熟度", ["minTrl"] = "最低技术成熟度",
        ["transferModes"] = "转化方式", ["askingPrice"] = "挂牌价", ["province"] = "省份",
        ["ipRights"] = "知识产权", ["budgetMin"] = "预算下限", ["budgetMax"] = "预算上限", ["deadline"] = "截止日期",
        ["contact"] = "联系方式", ["contact.name"] = "联系人", ["contact.phone"] = "联系电话", ["contact.email"] = "电子邮箱",
        ["externalId"] = "外部编号", ["account"] = "账号", ["password"] = "密码", ["body"] = "请求内容",
        ["id"] = "编号", ["name"] = "名称", ["kind"] = "机构类型", ["displayName"] = "姓名", ["role"] = "角色",
        ["note"] = "备注", ["reason"] = "原因", ["stage"] = "阶段",
        ["type"] = "合同类型", ["contractAmount"] = "合同金额", ["techTransactionAmount"] = "技术交易额",
        ["seller"] = "卖方", ["buyer"] = "买方", ["signingDate"] = "签订日期", ["field"] = "修正项", ["value"] = "修正值",
        ["from"] = "起始月份", ["to"] = "结束月份", ["base"] = "基期月份",
        ["queue"] = "线索范围", ["minScore"] = "最低匹配分", ["maxScore"] = "最高匹配分", ["age"] = "线索时间", ["sort"] = "排序方式",
        ["before"] = "起始通知", ["upTo"] = "截止通知", ["acknowledgeBroker"] = "经纪人归属确认", ["ids"] = "机构编号",
        ["reviewers"] = "评审专家", ["trlEvidence"] = "成熟度依据", ["innovation"] = "技术创新度", ["advancement"] = "技术先进度",
        ["hardTech"] = "硬科技属性", ["comment"] = "评审意见", ["statement"] = "评价结论",
        ["achievementId"] = "科技成果", ["demandId"] = "技术需求", ["price"] = "价格", ["startsAt"] = "开始时间", ["endsAt"] = "结束时间",
        ["startingPrice"] = "起拍价", ["reservePrice"] = "保留价", ["minIncrement"] = "加价幅度", ["amount"] = "出价",
        ["clientBidId"] = "出价编号", ["criteria"] = "评标办法", ["plan"] = "实施方案",
        ["durationDays"] = "工期（天）", ["attachments"] = "附件", ["bidId"] = "投标", ["verified"] = "认证状态",
        ["page"] = "页码", ["after"] = "翻页位置", ["size"] = "每页条数", ["q"] = "搜索词", ["owner"] = "发布机构", ["status"] = "状态",
        ["trlMin"] = "技术成熟度下限", ["priceMax"] = "价格上限", ["region"] = "区域",
        ["currentPassword"] = "当前密码", ["newPassword"] = "新密码",
        ["phone"] = "联系电话", ["email"] = "电子邮箱", ["adminAccount"] = "管理员账号",
        // 评估报价 (Valuation/ValuationInputs.cs)
        ["income.annualBenefit"] = "预期年新增收益", ["income.shareMin"] = "分成率下限", ["income.shareMax"] = "分成率上限",
        ["income.years"] = "收益年限", ["income.discountRate"] = "折现率", ["replacementCost.rdCost"] = "重置研发成本",
        ["replacementCost.profitRate"] = "合理利润率", ["replacementCost.usedYears"] = "已使用年限", ["replacementCost.remainingYears"] = "剩余经济寿命",
    };

    public static Entry Describe(string code) =>
        Problems.TryGetValue(code, out var entry) ? entry : Problems[ProblemCodes.Internal];

    public static (string Zh, string En) Describe(FieldError error)
    {
        var (zh, en) = Rules.TryGetValue(error.Rule, out var rule) ? rule : ("{0}无效", "{0} is invalid");
        var fieldZh = FieldNamesZh.TryGetValue(StripIndex(error.Field), out var name) ? name : error.Field;
        return (string.Format(zh, fieldZh, error.Argument), string.Format(en, error.Field, error.Argument));
    }

    // "ipRights[2].number" is described by the name of "ipRights"
    static string StripIndex(string field)
    {
        var bracket = field.IndexOf('[');
        return bracket < 0 ? field : field[..bracket];
    }
}
