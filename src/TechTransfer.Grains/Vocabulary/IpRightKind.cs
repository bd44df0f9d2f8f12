namespace TechTransfer.Vocabulary;

/// <summary>知识产权 kinds.</summary>
public enum IpRightKind
{
    InventionPatent,
    UtilityModel,
    Design,
    SoftwareCopyright,
    IcLayout,
    PlantVariety,
    TradeSecret,
}
