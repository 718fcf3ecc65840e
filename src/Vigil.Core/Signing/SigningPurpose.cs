namespace Vigil.Core.Signing;

/// <summary>
/// What a signature is for. The purpose is part of the signed bytes, so a signature made for one
/// purpose (an audit checkpoint, say) can never be passed off as one for another (an export).
/// </summary>
public enum SigningPurpose
{
    /// <summary>The head of the audit hash chain at a checkpoint.</summary>
    AuditCheckpoint,

    /// <summary>The data of an export file.</summary>
    Export,

    /// <summary>A backup artifact's manifest.</summary>
    BackupManifest,
}
