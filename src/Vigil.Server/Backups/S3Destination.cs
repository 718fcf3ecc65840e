using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Vigil.Core.Config;

namespace Vigil.Server.Backups;

/// <summary>An S3-compatible bucket through AWSSDK.S3; credentials from the environment variables the config names.</summary>
internal sealed class S3Destination(BackupS3Config config, string jobId, Func<string, string?> environment) : IBackupDestination
{
    private string Prefix => config.Prefix ?? jobId + "/";

    public string Description => $"s3://{config.Bucket}/{Prefix}" + (config.Endpoint is { } e ? $" at {e}" : string.Empty);

    private AmazonS3Client Client()
    {
        var access = environment(config.AccessKeyEnv);
        var secret = environment(config.SecretKeyEnv);
        if (string.IsNullOrEmpty(access) || string.IsNullOrEmpty(secret))
        {
            throw new BackupDestinationException(
                $"the S3 destination needs credentials in the environment variables {config.AccessKeyEnv} and {config.SecretKeyEnv} (destination.s3.access_key_env, secret_key_env); set them where Vigil runs");
        }

        return S3Clients.Create(config.Endpoint, config.Region, config.PathStyle, access, secret);
    }

    public async Task PutAsync(string localFile, string name, CancellationToken ct)
    {
        using var client = Client();
        try
        {
            // UseChunkEncoding off: the SDK's default aws-chunked upload (a signature per chunk) is stored verbatim,
            // chunk headers and all, by S3-compatible servers that do not decode it (s3rver in the tests did).
            // A plain body signed with the file's SHA-256 is understood by every S3 server; the file is on disk, so
            // hashing it first costs one extra read.
            await client.PutObjectAsync(new PutObjectRequest { BucketName = config.Bucket, Key = Prefix + name, FilePath = localFile, UseChunkEncoding = false }, ct);
        }
        catch (AmazonServiceException ex)
        {
            throw new BackupDestinationException($"S3 refused {Prefix + name} in bucket {config.Bucket} ({(int)ex.StatusCode} {ex.ErrorCode}): {ex.Message}");
        }
    }

    public async Task<bool> GetAsync(string name, string localFile, CancellationToken ct)
    {
        await using var stream = await OpenAsync(name, ct);
        if (stream is null)
        {
            return false;
        }

        await using var file = File.Create(localFile);
        await stream.CopyToAsync(file, ct);
        return true;
    }

    public async Task<Stream?> OpenAsync(string name, CancellationToken ct)
    {
        var client = Client();
        try
        {
            var response = await client.GetObjectAsync(config.Bucket, Prefix + name, ct);
            return new OwningStream(response.ResponseStream, response, client);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            client.Dispose();
            return null;
        }
        catch (AmazonServiceException ex)
        {
            client.Dispose();
            throw new BackupDestinationException($"S3 refused reading {Prefix + name} in bucket {config.Bucket} ({(int)ex.StatusCode} {ex.ErrorCode}): {ex.Message}");
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        using var client = Client();
        await client.DeleteObjectAsync(config.Bucket, Prefix + name, ct);
        return true;
    }

    /// <summary>The response body, disposing the response and the client with it.</summary>
    private sealed class OwningStream(Stream inner, IDisposable response, IDisposable client) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
                client.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
