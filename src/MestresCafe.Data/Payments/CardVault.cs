using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Data.Payments;

/// <summary>Section <c>Payments:SavedCards</c>.</summary>
public sealed class SavedCardOptions
{
    public const string Section = "Payments:SavedCards";

    /// <summary>
    /// The folder of the key ring that encrypts saved cards: never in PostgreSQL, so a database dump
    /// alone reveals nothing. Every server of a cluster must see the same folder (in production a
    /// volume mounted from the secret store on each server). Unset, a folder under the machine's
    /// temporary directory is used, with a warning outside Development.
    /// </summary>
    public string? KeyRingPath { get; set; }
}

/// <summary>What is kept encrypted about a saved card: the gateway's token and the brand.</summary>
public sealed record SavedCardSecret(string Token, string Brand);

/// <summary>
/// Encrypts what is stored about a saved card with ASP.NET Data Protection over a key ring of its
/// own (its own application name and folder, apart from whatever else the server protects). Keys
/// rotate (every 90 days by default, or <see cref="Keys"/>.CreateNewKey); retired keys stay in the
/// ring, so a card saved under an old key is still read.
/// </summary>
public sealed class CardVault : IDisposable
{
    private const string Purpose = "MestresCafe.SavedCards.v1";
    private readonly ServiceProvider _services;
    private readonly IDataProtector _protector;

    public CardVault(IOptions<SavedCardOptions> options, IHostEnvironment environment, ILogger<CardVault> logger)
    {
        var path = options.Value.KeyRingPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            path = Path.Combine(Path.GetTempPath(), "mestres-cafe", "card-keys");
            if (!environment.IsDevelopment())
            {
                logger.LogWarning("{Setting} is not set: saved cards are encrypted with a key ring in {Path}, which other servers do not share",
                    SavedCardOptions.Section + ":KeyRingPath", path);
            }
        }

        _services = new ServiceCollection()
            .AddDataProtection()
            .SetApplicationName("MestresCafe.SavedCards")
            .PersistKeysToFileSystem(new DirectoryInfo(path))
            .Services.BuildServiceProvider();
        _protector = _services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
        Keys = _services.GetRequiredService<IKeyManager>();
    }

    /// <summary>The key ring: rotate with CreateNewKey; what it protected before stays readable.</summary>
    public IKeyManager Keys { get; }

    public string Protect(SavedCardSecret secret) => _protector.Protect(JsonSerializer.Serialize(secret));

    /// <summary>The card's secret, or null when this key ring cannot read it (another ring, a revoked key, tampering).</summary>
    public SavedCardSecret? Unprotect(string protectedData)
    {
        try
        {
            return JsonSerializer.Deserialize<SavedCardSecret>(_protector.Unprotect(protectedData));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public void Dispose() => _services.Dispose();
}
