using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Media;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Tests.Media;

/// <summary>Media:Store and Media:S3:* are checked when the server starts, not at the first upload.</summary>
public sealed class MediaStoreSettingsTests
{
    [Fact]
    public async Task A_server_set_to_S3_without_a_bucket_or_an_endpoint_refuses_to_start_naming_both_settings()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Media:Store"] = "S3" });
        builder.AddMestresMedia();
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Media:S3:Bucket is not set", refused.Message);
        Assert.Contains("neither Media:S3:ServiceUrl", refused.Message);
    }

    [Fact]
    public void S3_settings_name_what_is_wrong_and_the_disk_store_ignores_them()
    {
        Assert.Empty(Problems(new MediaOptions { Store = MediaStoreKind.S3, S3 = new() { Bucket = "midia-loja", Region = "sa-east-1" } }));
        Assert.Empty(Problems(new MediaOptions { Store = MediaStoreKind.S3, S3 = new() { Bucket = "media", ServiceUrl = "http://127.0.0.1:9000", AccessKeyId = "id", SecretAccessKey = "segredo" } }));
        Assert.Empty(Problems(new MediaOptions { Store = MediaStoreKind.Disk, S3 = new() { ServiceUrl = "not a url", AccessKeyId = "id" } }));

        Assert.Equal(
            ["Media:S3:Bucket 'Fotos_da_Loja' is not a bucket name (3-63 lower-case letters, digits, dots and hyphens).",
             "Media:S3:ServiceUrl 'ftp://s3.example.com' is not an http(s) address.",
             "Set both Media:S3:AccessKeyId and Media:S3:SecretAccessKey, or neither (the SDK's own credentials are then used)."],
            Problems(new MediaOptions
            {
                Store = MediaStoreKind.S3,
                S3 = new() { Bucket = "Fotos_da_Loja", ServiceUrl = "ftp://s3.example.com", AccessKeyId = "id" },
            }));
    }

    private static List<string?> Problems(MediaOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage).ToList();
    }
}
