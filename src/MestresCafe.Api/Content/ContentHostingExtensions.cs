using MestresCafe.Data.Content;
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
    /// The blog and the coffee school: queries, stores, the content cache, and the periodic work
    /// every server runs (<see cref="ScheduledPostPublisher"/>, <see cref="BlogViewCounter"/>).
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
        services.AddSingleton<ContentCache>();
        services.AddSingleton<ContentWriter>();
        services.AddSingleton<BlogViewCounter>();
        services.AddSingleton<ScheduledPostPublisher>();
        services.AddHostedService(sp => new PeriodicRunner(
            "Scheduled posts published", sp.GetRequiredService<IOptions<ContentOptions>>().Value.PublishScheduledEvery,
            sp.GetRequiredService<ScheduledPostPublisher>().RunOnceAsync, runOnStop: false, sp.GetRequiredService<ILogger<ScheduledPostPublisher>>()));
        services.AddHostedService(sp => new PeriodicRunner(
            "Post views written", sp.GetRequiredService<IOptions<ContentOptions>>().Value.FlushViewsEvery,
            sp.GetRequiredService<BlogViewCounter>().RunOnceAsync, runOnStop: true, sp.GetRequiredService<ILogger<BlogViewCounter>>()));
        return builder;
    }

    /// <summary>The public blog, its feed, the sitemap, the blog's back office and course completion.</summary>
    public static WebApplication MapContentEndpoints(this WebApplication app, RouteGroupBuilder api)
    {
        var blog = api.MapBlogApi();
        blog.MapCommentsApi(api);
        app.MapBlogFeeds(blog);
        api.MapBlogAdminApi();
        api.MapCourseCompletionApi();
        api.MapCoursesApi();
        api.MapCertificatesApi();
        return app;
    }
}
