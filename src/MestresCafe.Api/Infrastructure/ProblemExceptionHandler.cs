using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace MestresCafe.Api.Infrastructure;

/// <summary>
/// Turns the exceptions a handler may legitimately meet into problem details: malformed bodies are
/// 400s, version conflicts from a duplicate activation are a retryable 503, and so is PostgreSQL
/// being unreachable (the driver's transient errors here, or a grain's
/// <see cref="GrainStateUnavailableException"/>), a server of the cluster or the media store, never a 500.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request is malformed."),
            JsonException => (StatusCodes.Status400BadRequest, "The request body is not valid JSON."),
            InconsistentStateException => (StatusCodes.Status503ServiceUnavailable, "A concurrent update won; retry the request."),
            GrainStateUnavailableException { IsTransient: false } => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
            GrainStateUnavailableException => (StatusCodes.Status503ServiceUnavailable, "The change could not be saved; retry the request."),
            _ when GrainStateUnavailableException.IsOutage(exception) => (StatusCodes.Status503ServiceUnavailable, "The database is unreachable; retry the request."),
            // A server of the cluster died or did not answer in time: the grain is re-activated
            // elsewhere on the next call, and every grain step is idempotent under a retry.
            SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
                => (StatusCodes.Status503ServiceUnavailable, "A server of the store is unavailable; retry the request."),
            Media.MediaStoreUnavailableException => (StatusCodes.Status503ServiceUnavailable, "The media store is unreachable; retry the request."),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "The client closed the request."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // Long enough for a PostgreSQL restart or failover not to be hammered, short for a conflict.
            context.Response.Headers.RetryAfter = exception is InconsistentStateException ? "1" : "5";
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title },
        });
    }
}
