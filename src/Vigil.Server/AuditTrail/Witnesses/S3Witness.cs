using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Vigil.Core.Audit;
using Vigil.Core.Config;
using Vigil.Server.Backups;
using ObjectLockMode = Vigil.Core.Config.ObjectLockMode;

namespace Vigil.Server.AuditTrail.Witnesses;

/// <summary>
/// Writes each checkpoint as the object <c>{prefix}{seq:D20}.json</c>, with object lock headers when configured.
/// The lock is enforced by the bucket (it must have object lock enabled); Vigil only asks for it.
/// </summary>
internal sealed class S3Witness(string id, AuditWitnessS3Config config, Func<string, string?> environment, TimeProvider time) : IAuditWitness
{
    public string Id => id;

    public string Description => $"s3://{config.Bucket}/{config.Prefix}" + (config.Endpoint is { } e ? $" at {e}" : string.Empty)
        + (config.ObjectLock is { } l ? $" (object lock {l.Mode.ToString().ToUpperInvariant()} {l.Days} d)" : string.Empty);

    public bool CanRead => true;

    public static string Key(string prefix, long seq) => prefix + seq.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    private AmazonS3Client Client()
    {
        var access = environment(config.AccessKeyEnv);
        var secret = environment(config.SecretKeyEnv);
        if (string.IsNullOrEmpty(access) || string.IsNullOrEmpty(secret))
        {
            throw new WitnessException(
                $"witness {id} needs S3 credentials in the environment variables {config.AccessKeyEnv} and {config.SecretKeyEnv} (audit.witnesses s3.access_key_env, secret_key_env); set them where Vigil runs");
        }

        return S3Clients.Create(config.Endpoint, config.Region, config.PathStyle, access, secret);
    }

    public async Task SendAsync(WitnessRecord record, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(record.ToJson());
        var request = new PutObjectRequest
        {
            BucketName = config.Bucket,
            Key = Key(config.Prefix, record.Seq),
            ContentBody = Encoding.UTF8.GetString(body),
            ContentType = "application/json",
            UseChunkEncoding = false,
            // S3 requires Content-MD5 (or a checksum) on a PUT with object lock; every S3-compatible server understands it.
            MD5Digest = Convert.ToBase64String(MD5.HashData(body)),
        };
        if (config.ObjectLock is { } lockConfig)
        {
            request.ObjectLockMode = lockConfig.Mode == ObjectLockMode.Compliance ? Amazon.S3.ObjectLockMode.Compliance : Amazon.S3.ObjectLockMode.Governance;
            request.ObjectLockRetainUntilDate = time.GetUtcNow().UtcDateTime.AddDays(lockConfig.Days);
        }

        using var client = Client();
        try
        {
            await client.PutObjectAsync(request, ct);
        }
        catch (AmazonServiceException ex)
        {
            throw new WitnessException($"S3 refused {request.Key} in bucket {config.Bucket} ({(int)ex.StatusCode} {ex.ErrorCode}): {ex.Message}");
        }
    }

    public async Task<IReadOnlyList<AuditCheckpoint>> ReadAsync(CancellationToken ct)
    {
        using var client = Client();
        var list = new List<AuditCheckpoint>();
        try
        {
            string? token = null;
            do
            {
                var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = config.Bucket, Prefix = config.Prefix, ContinuationToken = token }, ct);
                foreach (var o in page.S3Objects ?? [])
                {
                    using var response = await client.GetObjectAsync(config.Bucket, o.Key, ct);
                    using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
                    var json = await reader.ReadToEndAsync(ct);
                    list.Add(WitnessRecord.TryParse(json, out var problem)
                        ?? throw new WitnessException($"object {o.Key} in bucket {config.Bucket} is not a checkpoint: {problem}"));
                }

                token = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (token is not null);
        }
        catch (AmazonServiceException ex)
        {
            throw new WitnessException($"S3 refused listing or reading {config.Prefix} in bucket {config.Bucket} ({(int)ex.StatusCode} {ex.ErrorCode}): {ex.Message}");
        }

        return list;
    }
}
