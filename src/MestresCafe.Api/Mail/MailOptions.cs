using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MestresCafe.Api.Mail;

/// <summary>How this server sends mail (<c>Mail:*</c>). The SMTP password is a secret: give it as an environment variable or a file in the secrets folder, never in appsettings.</summary>
public sealed class MailOptions : OutboxSenderOptions, IValidatableObject
{
    public const string Section = "Mail";

    /// <summary>Four connections per server by default (a text provider's sender keeps one): see <see cref="OutboxSenderOptions.Connections"/>.</summary>
    public MailOptions() => Connections = 4;

    /// <summary>Whether this server runs a sender. Messages are queued either way; any server with a sender delivers them.</summary>
    public bool Enabled { get; set; } = true;

    public SmtpSettings Smtp { get; set; } = new();

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "loja@mestres.cafe";

    [Required, StringLength(100)]
    public string FromName { get; set; } = "Mestres Café";

    /// <summary>The storefront's address, which links in messages start with.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The company's details in every message's footer.</summary>
    public CompanyDetails Company { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Smtp.Host))
        {
            yield break;
        }

        if (Smtp.Security == SmtpSecurity.None && !IsLoopback(Smtp.Host))
        {
            yield return new ValidationResult(
                $"Mail:Smtp:Security=None sends mail and credentials in clear: only allowed to a loopback host, not {Smtp.Host}.", ["Smtp.Security"]);
        }

        if (!string.IsNullOrEmpty(Smtp.Username) && string.IsNullOrEmpty(Smtp.Password))
        {
            yield return new ValidationResult("Mail:Smtp:Username is set without Mail:Smtp:Password.", ["Smtp.Password"]);
        }

        if (Lease < Smtp.Timeout * 2)
        {
            yield return new ValidationResult("Mail:Lease must be at least twice Mail:Smtp:Timeout, so that a slow send does not outlive its claim.", ["Lease"]);
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}

public sealed class SmtpSettings
{
    /// <summary>The relay; empty means no sender runs (messages wait in the queue).</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

public enum SmtpSecurity
{
    /// <summary>Plain SMTP: the local dev-mail server only.</summary>
    None,
    /// <summary>STARTTLS required (port 587).</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

public sealed class CompanyDetails
{
    public string Name { get; set; } = "Mestres Café Comércio de Cafés Especiais Ltda.";
    public string Address { get; set; } = "Rua dos Torrefadores, 120, Vila Madalena, São Paulo - SP, 05433-000";
    public string Cnpj { get; set; } = "00.000.000/0001-00";
    public string SupportEmail { get; set; } = "atendimento@mestres.cafe";
    public string LogoUrl { get; set; } = "https://mestres.cafe/logo.png";
}
