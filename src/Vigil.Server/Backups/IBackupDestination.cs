namespace Vigil.Server.Backups;

/// <summary>Where a job's artifacts and manifests are stored: a local folder, an S3 bucket or commands.</summary>
internal interface IBackupDestination
{
    /// <summary>Where, for messages and the store (no secrets).</summary>
    string Description { get; }

    /// <summary>Stores the local file under <paramref name="name"/>, replacing nothing half-written.</summary>
    Task PutAsync(string localFile, string name, CancellationToken ct);

    /// <summary>Copies <paramref name="name"/> into <paramref name="localFile"/>; false when it does not exist there.</summary>
    Task<bool> GetAsync(string name, string localFile, CancellationToken ct);

    /// <summary>Opens <paramref name="name"/> for reading; null when it does not exist there.</summary>
    Task<Stream?> OpenAsync(string name, CancellationToken ct);

    /// <summary>Deletes <paramref name="name"/>; false when this destination cannot delete.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken ct);
}
