namespace MestresCafe.Server.Hosting;

public static class SecretFilesHostingExtensions
{
    /// <summary>
    /// Secrets mounted as files, one per key (<c>Payments__WebhookSecret</c> holds
    /// <c>Payments:WebhookSecret</c>), the way Docker secrets and Kubernetes secret volumes present
    /// them. The folder is <c>Secrets:Directory</c>, by default <c>/run/secrets</c>; a missing folder
    /// is fine (environment variables work too). Files override the settings files, and environment
    /// variables and the command line still override the files.
    /// </summary>
    public static WebApplicationBuilder AddSecretFiles(this WebApplicationBuilder builder)
    {
        var directory = builder.Configuration["Secrets:Directory"] ?? "/run/secrets";
        var sources = builder.Configuration.Sources;
        var environmentIndex = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        builder.Configuration.AddKeyPerFile(directory, optional: true, reloadOnChange: false);
        if (environmentIndex >= 0)
        {
            // Move the file source just before the environment variables so that those win.
            var files = sources[^1];
            sources.RemoveAt(sources.Count - 1);
            sources.Insert(environmentIndex, files);
        }

        return builder;
    }
}
