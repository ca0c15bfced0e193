using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Data.Configuration;

/// <summary>
/// The one rule for every secret the server needs (webhook signing, session protection, ...): there
/// is no default in code or in a committed file. Outside Development the server refuses to start
/// unless the secret is configured with at least <see cref="MinimumBytes"/> bytes; in Development a
/// missing secret is replaced by a random one for this process only, so nothing usable is published.
/// </summary>
public static class SecretSetting
{
    public const int MinimumBytes = 32;

    /// <summary>
    /// Validates <paramref name="secret"/> of <typeparamref name="TOptions"/> when the host starts.
    /// <paramref name="key"/> is the configuration key an operator sets (for the error message).
    /// <paramref name="neededWhen"/>: only when the feature using it is switched on.
    /// </summary>
    public static OptionsBuilder<TOptions> RequireSecret<TOptions>(
        this OptionsBuilder<TOptions> options,
        string key,
        Func<TOptions, string?> secret,
        Action<TOptions, string> generated,
        Func<TOptions, bool>? neededWhen = null)
        where TOptions : class
    {
        options.Services.AddSingleton<IPostConfigureOptions<TOptions>>(provider =>
            new GenerateInDevelopment<TOptions>(provider.GetRequiredService<IHostEnvironment>(), options.Name, secret, generated));
        return options
            .Validate(value => (neededWhen is not null && !neededWhen(value)) || IsStrong(secret(value)), $"{key} must be set to a secret of at least {MinimumBytes} bytes (UTF-8); the server does not start without it.")
            .ValidateOnStart();
    }

    public static bool IsStrong(string? secret) =>
        !string.IsNullOrWhiteSpace(secret) && Encoding.UTF8.GetByteCount(secret) >= MinimumBytes;

    /// <summary>A random secret for a Development process: 32 bytes, base64url.</summary>
    public static string NewRandom() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class GenerateInDevelopment<TOptions>(
        IHostEnvironment environment, string? name, Func<TOptions, string?> secret, Action<TOptions, string> generated)
        : IPostConfigureOptions<TOptions>
        where TOptions : class
    {
        public void PostConfigure(string? optionsName, TOptions options)
        {
            if (optionsName == name && environment.IsDevelopment() && string.IsNullOrWhiteSpace(secret(options)))
            {
                generated(options, NewRandom());
            }
        }
    }
}
