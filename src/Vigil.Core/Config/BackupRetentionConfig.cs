namespace Vigil.Core.Config;

/// <summary>Backup retention (<c>keep:</c>). Set at least one rule; a backup is kept while any rule keeps it.</summary>
public sealed class BackupRetentionConfig : IConfigValidatable
{
    /// <summary>Keep the newest N backups.</summary>
    [NumberRange(1, 100000)]
    public int? Last { get; set; }

    /// <summary>Keep the newest backup of each of the last N hours.</summary>
    [NumberRange(1, 100000)]
    public int? Hourly { get; set; }

    /// <summary>Keep the newest backup of each of the last N days.</summary>
    [NumberRange(1, 100000)]
    public int? Daily { get; set; }

    /// <summary>Keep the newest backup of each of the last N weeks.</summary>
    [NumberRange(1, 100000)]
    public int? Weekly { get; set; }

    /// <summary>Keep the newest backup of each of the last N months.</summary>
    [NumberRange(1, 100000)]
    public int? Monthly { get; set; }

    /// <summary>Keep every backup younger than this.</summary>
    [Positive]
    public TimeSpan? Within { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (Last is null && Hourly is null && Daily is null && Weekly is null && Monthly is null && Within is null)
        {
            context.Error(path, "`keep` needs at least one rule: `last`, `hourly`, `daily`, `weekly`, `monthly` or `within`");
        }
    }
}
