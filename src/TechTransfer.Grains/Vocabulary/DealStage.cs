namespace TechTransfer.Vocabulary;

/// <summary>
/// A match's way to a registered contract: Matched (interest being expressed) → Lead (both parties interested) →
/// 对接 Introduced (a broker claimed it) → 洽谈 Negotiating → 签约 ContractSigned → 登记 Registered; or 终止 Closed.
/// </summary>
public enum DealStage
{
    Matched,
    Lead,
    Introduced,
    Negotiating,
    ContractSigned,
    Registered,
    Closed,
}
