namespace TechTransfer.Vocabulary;

/// <summary>成果转化方式 (促进科技成果转化法 第十六条).</summary>
public enum TransferMode
{
    Assignment,
    License,
    JointImplementation,
    EquityInvestment,
    SelfImplementation,
    Other,
}
