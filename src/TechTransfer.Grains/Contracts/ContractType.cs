namespace TechTransfer.Contracts;

/// <summary>技术合同类型: the five kinds of 技术合同, 技术开发 split into commissioned and cooperative.</summary>
public enum ContractType
{
    /// <summary>技术开发（委托）</summary>
    DevelopmentCommissioned,

    /// <summary>技术开发（合作）</summary>
    DevelopmentCooperative,

    /// <summary>技术转让</summary>
    Transfer,

    /// <summary>技术许可</summary>
    License,

    /// <summary>技术咨询</summary>
    Consulting,

    /// <summary>技术服务</summary>
    Service,
}

public static class ContractTypes
{
    /// <summary>The zh-CN names, as 技术合同认定登记 uses them.</summary>
    public static readonly IReadOnlyDictionary<ContractType, string> Zh = new Dictionary<ContractType, string>
    {
        [ContractType.DevelopmentCommissioned] = "技术开发（委托）",
        [ContractType.DevelopmentCooperative] = "技术开发（合作）",
        [ContractType.Transfer] = "技术转让",
        [ContractType.License] = "技术许可",
        [ContractType.Consulting] = "技术咨询",
        [ContractType.Service] = "技术服务",
    };
}
