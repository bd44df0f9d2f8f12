namespace TechTransfer.Vocabulary;

/// <summary>技术领域: the eight fields of 国家重点支持的高新技术领域.</summary>
public enum TechField
{
    ElectronicInformation,
    BioMedicine,
    Aerospace,
    NewMaterials,
    HighTechServices,
    NewEnergy,
    ResourcesEnvironment,
    AdvancedManufacturing,
}
