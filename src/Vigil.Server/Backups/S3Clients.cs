using Amazon.Runtime;
using Amazon.S3;

namespace Vigil.Server.Backups;

/// <summary>The one way Vigil talks to S3-compatible servers (backup destinations and audit witnesses).</summary>
internal static class S3Clients
{
    /// <summary>A client for AWS (<paramref name="endpoint"/> null) or any S3-compatible server.</summary>
    public static AmazonS3Client Create(string? endpoint, string region, bool pathStyle, string accessKey, string secretKey)
    {
        var s3 = new AmazonS3Config
        {
            ForcePathStyle = pathStyle,
            AuthenticationRegion = region,
            // Checksums only where S3 requires them: every S3-compatible server accepts that, not all know the newer headers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (endpoint is not null)
        {
            s3.ServiceURL = endpoint;
        }
        else
        {
            s3.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        return new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), s3);
    }
}
