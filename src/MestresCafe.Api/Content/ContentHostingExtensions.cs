using MestresCafe.Api.Infrastructure;
using MestresCafe.Data.Content;
using MestresCafe.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Content;

public static class ContentHostingExtensions
{
    /// <summary>
    /// The blog and the coffee school: queries, stores, the content cache, the scheduled task
    /// <see cref="ScheduledPostPublisher"/> and each server's <see cref="BlogViewCounter"/> flush.
    /// </summary>
    public static IHostApplicationBuilder AddMestresContent(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ContentOptions>().BindConfiguration(ContentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BlogQueries>();
        services.AddSingleton<BlogAdminStore>();
        services.AddSingleton<BlogCommentStore>();
        services.AddSingleton<CourseStore>();
        services.AddSingleton<CourseAdminStore>();
        services.AddSingleton<ContentCache>();
        services.AddSingleton<ContentWriter>();
        services.AddSingleton<BlogViewCounter>();
        services.AddSingleton<ScheduledPostPublisher>();
        services.AddScheduledTask<ScheduledPostPublisher>(ScheduledPostPublisher.TaskName);
        // Views are counted in each server's memory, so each server writes its own (and once more at stop).
        services.AddHostedService<BlogViewFlusher>();
        return builder;
    }

    /// <summary>The public blog, its feed, the sitemap, the blog's back office and course completion.</summary>
    public static WebApplication MapContentEndpoints(this WebApplication app, RouteGroupBuilder api)
    {
        var blog = api.MapBlogApi();
        blog.MapCommentsApi(api);
        app.MapBlogFeeds(blog);
        api.MapBlogAdminApi();
        api.MapCourseAdminApi();
        api.MapCourseCompletionApi();
        api.MapCoursesApi();
        api.MapCertificatesApi();
        return app;
    }
}

/// <summary>Writes this server's counted post views: <see cref="BlogViewCounter.RunOnceAsync"/>.</summary>
internal sealed class BlogViewFlusher(BlogViewCounter counter, IOptions<ContentOptions> options, ILogger<BlogViewFlusher> logger)
    : PeriodicRunner(options.Value.FlushViewsEvery, "post views written", logger, runOnStop: true)
{
    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => counter.RunOnceAsync(cancellationToken);
}
