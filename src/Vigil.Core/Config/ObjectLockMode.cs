namespace Vigil.Core.Config;

/// <summary>S3 object lock retention mode.</summary>
public enum ObjectLockMode
{
    /// <summary>Accounts with <c>s3:BypassGovernanceRetention</c> can shorten or remove the retention.</summary>
    Governance,

    /// <summary>No account can shorten or remove the retention until it expires.</summary>
    Compliance,
}
